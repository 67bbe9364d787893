// PostgreSQL's schema: SQLite's migrations (migrations.ts) translated statement by statement, so both
// databases share one list of versions and never drift apart. The version lives in a one-row table;
// a database newer than this code is refused, as SQLite's user_version is.

import type { PoolClient } from 'pg';
import { DomainError } from '../core/errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';

/** Any constant: the advisory lock that keeps two servers starting at once from migrating together. */
const MIGRATION_LOCK = 7_345_113;

/**
 * SQLite's DDL in PostgreSQL's words: camelCase names quoted (PostgreSQL folds bare names to lower
 * case), integers 64-bit (times are epoch milliseconds), text compared bytewise as SQLite's BINARY
 * collation does (so ordering and gt/lt agree across backends), and no rowid clause.
 */
export function postgresDdl(sqlite: string): string {
  return sqlite
    .replace(/\bWITHOUT ROWID\b/g, '')
    .replace(/\bINTEGER\b/g, 'BIGINT')
    .replace(/\bTEXT\b/g, 'TEXT COLLATE "C"')
    .replace(/(?<!["'\w])([a-z]+[A-Z]\w*)\b/g, '"$1"');
}

export async function migrate(client: PoolClient, location: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS lockstep_schema (version INTEGER NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM lockstep_schema');
    const version = rows[0]?.version ?? 0;
    if (version > SCHEMA_VERSION) {
      throw new DomainError(
        'STORE_CORRUPT',
        `the database ${location} has schema version ${version}, newer than this lockstep-mcp understands (${SCHEMA_VERSION})`,
        'Upgrade lockstep-mcp, or point --database-url at another database.',
      );
    }
    for (let next = version; next < SCHEMA_VERSION; next++) await client.query(postgresDdl(MIGRATIONS[next]!));
    if (rows.length === 0) await client.query('INSERT INTO lockstep_schema (version) VALUES ($1)', [SCHEMA_VERSION]);
    else if (version < SCHEMA_VERSION) await client.query('UPDATE lockstep_schema SET version = $1', [SCHEMA_VERSION]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
