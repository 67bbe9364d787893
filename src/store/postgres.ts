// The team store: one PostgreSQL database shared by servers on any number of machines. A write takes
// a transaction-scoped advisory lock on its project before its body runs, so writers of one project
// are serialized exactly as SQLite's BEGIN IMMEDIATE serializes them (every compare-and-set sees the
// previous writer's commit), while other projects write in parallel. Reads run on one REPEATABLE READ
// snapshot. Bodies are the same generators SQLite runs; here each step is awaited.

import pg from 'pg';
import { ChangeFeed, CHANGE_CHANNEL } from './postgres-changes.js';
import { isUnreachable, postgresFault, redactedUrl } from './postgres-faults.js';
import { postgresReadOps, postgresWriteOps, type WriteEffects } from './postgres-ops.js';
import { migrate } from './postgres-schema.js';
import { TABLE_NAMES, type TableName } from './rows.js';
import type { Store, TransactionCounts } from './store.js';
import { readSteps, runAsynchronously, writeSteps } from './transaction.js';

export interface PostgresStoreOptions {
  /** Connections this process may hold for transactions (the change listener has one more). */
  maxConnections?: number;
  /** How long a write waits for its project's lock before STORE_BUSY (as SQLite's busy timeout). */
  lockTimeoutMs?: number;
}

const LOCK_TIMEOUT_MS = 10_000;
/** A holder that stopped mid-transaction (a frozen process) loses its session, and with it the lock. */
const IDLE_IN_TRANSACTION_MS = 30_000;

const INT8 = 20;
/** count(*), max() and BIGINT columns arrive as text by default; every value we store fits a double. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const location = redactedUrl(url);
  // The application name lets a database administrator (and a test) tell our connections apart.
  const config = { connectionString: url, types, connectionTimeoutMillis: 10_000, application_name: 'lockstep-mcp' };
  const pool = new pg.Pool({
    ...config,
    max: options.maxConnections ?? 4,
    idleTimeoutMillis: 30_000,
    lock_timeout: options.lockTimeoutMs ?? LOCK_TIMEOUT_MS,
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS,
  });
  // An idle connection the server dropped only leaves the pool; the next transaction opens a new one.
  pool.on('error', () => undefined);
  const changes = new ChangeFeed(config, location);
  let columns: Map<TableName, ReadonlySet<string>>;
  try {
    columns = await withClient(pool, location, async (client) => {
      await migrate(client, location);
      return readColumns(client);
    });
    await changes.start();
  } catch (error) {
    changes.close();
    await pool.end().catch(() => undefined);
    throw postgresFault(error, location);
  }
  const columnsOf = (table: TableName) => columns.get(table)!;

  const transactions: TransactionCounts = { reads: 0, writes: 0 };
  return {
    backend: 'postgres',
    location,
    transactions,
    write(project, fn) {
      transactions.writes++;
      const effects: WriteEffects = { changed: false };
      return withClient(pool, location, (client) =>
        inTransaction(
          client,
          `BEGIN; SELECT pg_advisory_xact_lock(hashtextextended(${client.escapeLiteral(project)}, 0))`,
          () => runAsynchronously(fn(writeSteps(project)), postgresWriteOps(client, project, columnsOf, effects)),
          () => (effects.changed ? `SELECT pg_notify(${client.escapeLiteral(CHANGE_CHANNEL)}, ${client.escapeLiteral(changes.instance)}); COMMIT` : 'COMMIT'),
        ),
      );
    },
    foreignVersion: () => changes.foreignVersion(),
    read(project, fn) {
      transactions.reads++;
      return withClient(pool, location, (client) =>
        inTransaction(client, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', () =>
          runAsynchronously(fn(readSteps(project)), postgresReadOps(client, project, columnsOf)),
        ),
      );
    },
    projects: () =>
      withClient(pool, location, async (client) => {
        const { rows } = await client.query<{ project: string }>('SELECT DISTINCT project FROM counters ORDER BY project');
        return rows.map((row) => row.project);
      }),
    changeVersion: () => changes.changeVersion(),
    onCommit: (listener) => changes.subscribe(listener),
    close() {
      changes.close();
      void pool.end().catch(() => undefined);
    },
  };
}

/** Runs `work` on a pooled connection; one that failed mid-way is discarded rather than reused. */
async function withClient<R>(pool: pg.Pool, location: string, work: (client: pg.PoolClient) => Promise<R>): Promise<R> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw postgresFault(error, location);
  }
  // A connection that breaks while checked out also emits 'error' (its queries fail as well); the pool
  // listens only to idle ones, and an unheard 'error' would end the process.
  const ignore = () => undefined;
  client.on('error', ignore);
  try {
    const result = await work(client);
    client.removeListener('error', ignore);
    client.release();
    return result;
  } catch (error) {
    client.removeListener('error', ignore);
    client.release(isUnreachable(error) ? (error as Error) : undefined);
    throw postgresFault(error, location);
  }
}

/**
 * `begin` and `commit` may carry a statement each beside BEGIN and COMMIT (the project lock, the
 * change notification), sent as one simple query: a round trip fewer each on every write.
 */
async function inTransaction<R>(client: pg.PoolClient, begin: string, body: () => Promise<R>, commit: () => string = () => 'COMMIT'): Promise<R> {
  try {
    await client.query(begin);
    const result = await body();
    await client.query(commit());
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function readColumns(client: pg.PoolClient): Promise<Map<TableName, ReadonlySet<string>>> {
  const { rows } = await client.query<{ table_name: string; column_name: string }>(
    'SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ANY($1)',
    [TABLE_NAMES],
  );
  const columns = new Map<TableName, Set<string>>(TABLE_NAMES.map((table) => [table, new Set()]));
  for (const row of rows) columns.get(row.table_name as TableName)!.add(row.column_name);
  return columns;
}
