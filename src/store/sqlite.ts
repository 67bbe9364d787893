// The default store: one SQLite file in WAL mode shared by every server process. Each write runs as a
// BEGIN IMMEDIATE transaction, which takes the write lock up front so that two processes can never
// both read "free" and then both write "mine" (deferred transactions would fail with SQLITE_BUSY
// when upgrading instead of waiting).

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { DomainError } from '../core/errors.js';
import { isBusy, retryWhileBusy, tryTransaction } from './busy-retry.js';
import { rethrowFault, storeFault } from './faults.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { TABLE_NAMES, type TableName, type Tables } from './rows.js';
import { decodeRow, encodeValue, querySuffix, quoteColumn, whereSql } from './sql.js';
import type { NewRow, Query, ReadOps, Store, TransactionCounts, Where, WriteOps } from './store.js';
import { readSteps, runSynchronously, writeSteps } from './transaction.js';

const BUSY_TIMEOUT_MS = 10_000;

type Row = Record<string, unknown>;

export interface SqliteStoreOptions {
  /** Sees each distinct SQL statement once, when it is first prepared: how tests check query plans. */
  onPrepare?: (sql: string) => void;
}

export function openSqliteStore(file: string, options: SqliteStoreOptions = {}): Store {
  const db = openDatabase(file);
  const columns = new Map<TableName, ReadonlySet<string>>(
    TABLE_NAMES.map((table) => [
      table,
      new Set((db.pragma(`table_info(${table})`) as { name: string }[]).map((column) => column.name)),
    ]),
  );
  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      options.onPrepare?.(sql);
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };

  const known = (table: TableName) => columns.get(table)!;
  const decode = decodeRow;
  const encode = (table: TableName, value: unknown, column: string) => encodeValue(table, column, value);

  function readOps(project: string): ReadOps {
    return {
      find(table, query = {}) {
        const where = whereSql(query.where as Where<object>, known(table));
        const suffix = querySuffix(query as Query<object>, known(table));
        const rows = prepare(`SELECT * FROM ${table} WHERE ${where.sql}${suffix.sql}`).all(
          project,
          ...where.params,
          ...suffix.params,
        ) as Row[];
        return rows.map((row) => decode(table, row)) as never;
      },
      one(table, whereCondition) {
        const where = whereSql(whereCondition as Where<object>, known(table));
        const row = prepare(`SELECT * FROM ${table} WHERE ${where.sql} LIMIT 1`).get(project, ...where.params);
        return decode(table, row as Row | undefined) as never;
      },
      count(table, whereCondition) {
        const where = whereSql(whereCondition as Where<object>, known(table));
        const row = prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where.sql}`).get(project, ...where.params);
        return (row as { n: number }).n;
      },
      max(table, column, whereCondition) {
        const where = whereSql(whereCondition as Where<object>, known(table));
        const name = quoteColumn(column, known(table));
        const row = prepare(`SELECT coalesce(max(${name}), 0) AS n FROM ${table} WHERE ${where.sql}`).get(
          project,
          ...where.params,
        );
        return (row as { n: number }).n;
      },
    };
  }

  function writeOps(project: string): WriteOps {
    return {
      ...readOps(project),
      insert<T extends TableName>(table: T, row: NewRow<T>) {
        const full = { ...row, project } as Row;
        const names = Object.keys(full);
        const sql = `INSERT INTO ${table} (${names.map((name) => quoteColumn(name, known(table))).join(',')}) VALUES (${names.map(() => '?').join(',')})`;
        prepare(sql).run(...names.map((name) => encode(table, full[name], name)));
        return full as unknown as Tables[T];
      },
      update(table, whereCondition, patch) {
        const names = Object.keys(patch).filter((name) => (patch as Row)[name] !== undefined);
        if (names.length === 0) return 0;
        const where = whereSql(whereCondition as Where<object>, known(table));
        const set = names.map((name) => `${quoteColumn(name, known(table))} = ?`).join(',');
        const values = names.map((name) => encode(table, (patch as Row)[name], name));
        return prepare(`UPDATE ${table} SET ${set} WHERE ${where.sql}`).run(...values, project, ...where.params).changes;
      },
      remove(table, whereCondition) {
        const where = whereSql(whereCondition as Where<object>, known(table));
        return prepare(`DELETE FROM ${table} WHERE ${where.sql}`).run(project, ...where.params).changes;
      },
      nextId(counter) {
        const row = prepare(
          'INSERT INTO counters (project, name, value) VALUES (?, ?, 1) ON CONFLICT (project, name) DO UPDATE SET value = value + 1 RETURNING value',
        ).get(project, counter);
        return (row as { value: number }).value;
      },
    };
  }

  // Made once: a transaction wrapper and a project's operations cost more to build than a small
  // transaction's statements (issue 10), and neither holds state between transactions.
  const immediate = db.transaction((body: () => unknown) => body()).immediate;
  const deferred = db.transaction((body: () => unknown) => body()).deferred;
  const writeOpsOf = perProject(writeOps);
  const readOpsOf = perProject(readOps);
  const writeStepsOf = perProject(writeSteps);
  const readStepsOf = perProject(readSteps);

  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  // This process's writes wait for each other here, not on SQLite's lock, where they would only collide.
  let writes: Promise<unknown> = Promise.resolve();
  const transactions: TransactionCounts = { reads: 0, writes: 0 };
  return {
    backend: 'sqlite',
    location: file,
    transactions,
    write(project, fn) {
      transactions.writes++;
      const once = () =>
        tryTransaction((body) => immediate(body) as ReturnType<typeof body>, () => runSynchronously(fn(writeStepsOf(project)), writeOpsOf(project)), false);
      const run = writes.then(() => guardFaults(file, retryWhileBusy(BUSY_TIMEOUT_MS, once)));
      writes = run.catch(() => undefined);
      return run;
    },
    foreignVersion() {
      return dataVersion.get() as number;
    },
    read(project, fn) {
      transactions.reads++;
      const once = () =>
        tryTransaction((body) => deferred(body) as ReturnType<typeof body>, () => runSynchronously(fn(readStepsOf(project)), readOpsOf(project)), true);
      return guardFaults(file, retryWhileBusy(BUSY_TIMEOUT_MS, once));
    },
    async projects() {
      return guardFaults(file, (async () => (prepare('SELECT DISTINCT project FROM counters ORDER BY project').all() as { project: string }[]).map((row) => row.project))());
    },
    async changeVersion() {
      // data_version moves on other connections' commits only; total_changes() counts this connection's own.
      // Two cached statements: this runs many times a second while a dashboard page is open.
      return guardFaults(file, (async () => `${dataVersion.get() as number}:${prepare('SELECT total_changes()').pluck().get() as number}`)());
    },
    close() {
      db.close();
    },
  };
}

function openDatabase(file: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // A checkpoint syncs the WAL and the database file; a lock pair writes about nine pages, so the
    // default 1,000-page interval synced every hundred or so transactions and cost a third of each
    // commit under load. Four times fewer checkpoints copy nearly the same few hot pages each time.
    db.pragma('wal_autocheckpoint = 4000');
    migrate(db, file);
    // From here on transactions wait for the lock in busy-retry.ts, in short steps, not in SQLite's.
    db.pragma('busy_timeout = 0');
    return db;
  } catch (error) {
    db?.close();
    const fault = storeFault(error, file);
    if (fault) throw fault;
    throw new DomainError(
      'STORE_CORRUPT',
      `cannot open the store ${file}: ${(error as Error).message}`,
      'Check the file or point --db-path at another one; the file was left untouched.',
    );
  }
}

function migrate(db: Database.Database, file: string): void {
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new DomainError(
        'STORE_CORRUPT',
        `the store ${file} has schema version ${version}, newer than this lockstep-mcp understands (${SCHEMA_VERSION})`,
        'Upgrade lockstep-mcp, or use another --db-path.',
      );
    }
    for (let next = version; next < SCHEMA_VERSION; next++) {
      db.exec(MIGRATIONS[next]!);
      db.pragma(`user_version = ${next + 1}`);
    }
  }).immediate();
}

async function guardFaults<R>(file: string, running: Promise<R>): Promise<R> {
  try {
    return await running;
  } catch (error) {
    if (isBusy(error)) {
      throw new DomainError('STORE_BUSY', `the store ${file} stayed locked for ${BUSY_TIMEOUT_MS} ms`, 'Retry the call.');
    }
    rethrowFault(error, file);
  }
}

/** `make(project)` made once per project and kept: for objects that hold nothing but the project. */
function perProject<V>(make: (project: string) => V): (project: string) => V {
  const made = new Map<string, V>();
  return (project) => {
    let value = made.get(project);
    if (value === undefined) {
      value = make(project);
      made.set(project, value);
    }
    return value;
  };
}
