// The JSON store: one document shared by every process, for setups that want a file they can read.
// A write transaction takes an exclusive lock file, takes the current document (json-file.ts keeps it in
// memory while no other process has written), runs fn on it and saves it only if fn returned, so it
// gives the same atomicity across processes as SQLite's BEGIN IMMEDIATE. Reads take no lock: the rename
// swaps whole documents.

import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DomainError } from '../core/errors.js';
import { acquireFileLock, DEFAULT_LOCK_OPTIONS, LockTimeoutError, type FileLockOptions } from '../../git/file-lock.js';
import { removeDeadWritersTemps } from '../../git/writer-temps.js';
import { rethrowFault } from './faults.js';
import { JsonDocumentFile, type JsonDocument } from './json-file.js';
import { matches, sortAndPage } from './json-query.js';
import type { TableName, Tables } from './rows.js';
import type { NewRow, Query, ReadOps, Store, TransactionCounts, TxStep, Where, WriteOps, WriteTx } from './store.js';
import { readSteps, runSynchronously, writeSteps } from './transaction.js';

type Row = Record<string, unknown>;

/** The columns besides project that SQLite declares as each table's primary key. */
const PRIMARY_KEYS: { readonly [T in TableName]: readonly (keyof Tables[T] & string)[] } = {
  agents: ['id'],
  tasks: ['id'],
  locks: ['id'],
  notes: ['id'],
  discussions: ['id'],
  messages: ['id'],
  events: ['seq'],
  contexts: [],
  admissions: ['name'],
  tokens: ['name'],
  comments: ['id'],
};

/** @param lockOptions only tests shorten the lock's patience and staleness. */
export function openJsonStore(file: string, lockOptions: Partial<FileLockOptions> = {}): Store {
  const document = new JsonDocumentFile(file);
  try {
    mkdirSync(dirname(file), { recursive: true });
    removeDeadWritersTemps(file); // half-written documents of writers killed before their rename
    document.check(); // refuse a corrupt or newer file when opening, as SQLite does
  } catch (error) {
    rethrowFault(error, file);
  }
  // A transaction holds the lock for about a millisecond: waiters retry within a few.
  const options = { ...DEFAULT_LOCK_OPTIONS, longestPauseMs: 4, ...lockOptions };
  let closed = false;
  // Writes of this process queue here, so they do not spin against each other on the lock file.
  let queue: Promise<unknown> = Promise.resolve();
  const open = () => {
    if (closed) throw new Error(`the store ${file} is closed`);
  };

  async function writeExclusively<R>(project: string, fn: (tx: WriteTx) => TxStep<R>): Promise<R> {
    open();
    const lock = await acquireFileLock(`${file}.lock`, options).catch(busyWhenTimedOut);
    try {
      const taken = document.take();
      const data = taken.document;
      const changes = { dirty: false };
      const result = runSynchronously(fn(writeSteps(project)), writeOps(data, project, changes));
      if (!changes.dirty) taken.giveBack();
      else {
        // Only a transaction that outlived staleAfterMs can lose its lock; this check narrows (it cannot
        // close) the window in which such a straggler would overwrite its successor's write.
        if (!(await lock.stillHeld())) throw lockLost(file, options.staleAfterMs);
        document.save(data);
      }
      return result;
    } finally {
      await lock.release();
    }
  }

  const transactions: TransactionCounts = { reads: 0, writes: 0 };
  return {
    backend: 'json',
    location: file,
    transactions,
    write(project, fn) {
      transactions.writes++;
      const run = queue.then(() => writeExclusively(project, fn)).catch((error: unknown) => rethrowFault(error, file));
      queue = run.catch(() => undefined);
      return run;
    },
    foreignVersion() {
      return document.foreignVersion();
    },
    async read(project, fn) {
      transactions.reads++;
      try {
        open();
        return document.read((data) => runSynchronously(fn(readSteps(project)), readOps(data, project)));
      } catch (error) {
        rethrowFault(error, file);
      }
    },
    async projects() {
      try {
        open();
        return document.read((data) => [...new Set(data.counters.map((counter) => counter.project))].sort());
      } catch (error) {
        rethrowFault(error, file);
      }
    },
    async changeVersion() {
      // Every write renames a new document into place: a new inode, so the stat alone tells.
      const stat = statSync(file, { throwIfNoEntry: false });
      return stat ? `${stat.ino}:${stat.mtimeMs}:${stat.size}` : 'none';
    },
    close() {
      closed = true;
    },
  };
}

function readOps(document: JsonDocument, project: string): ReadOps {
  const scoped = (table: TableName, where: unknown) => scopedRows(document, project, table, where);
  return {
    find(table, query = {}) {
      return sortAndPage(scoped(table, query.where), query as Query<object>).map(copyJson) as never;
    },
    one(table, where) {
      const row = rowsOf(document, table).find((row) => row.project === project && matches(row, where as Where<object>));
      return (row && copyJson(row)) as never;
    },
    count(table, where) {
      return scoped(table, where).length;
    },
    max(table, column, where) {
      const values = scoped(table, where)
        .map((row) => row[column])
        .filter((value): value is number => typeof value === 'number');
      return values.length === 0 ? 0 : Math.max(...values);
    },
  };
}

function writeOps(document: JsonDocument, project: string, changes: { dirty: boolean }): WriteOps {
  const scoped = (table: TableName, where: unknown) => scopedRows(document, project, table, where);
  return {
    ...readOps(document, project),
    insert<T extends TableName>(table: T, row: NewRow<T>) {
      const stored = copyJson({ ...row, project }) as Row;
      // SQLite binds undefined as NULL; keep the column so reads look the same on both backends.
      for (const [column, value] of Object.entries({ ...row })) if (value === undefined) stored[column] = null;
      assertKeyFree(document, table, stored);
      rowsOf(document, table).push(stored);
      changes.dirty = true;
      return copyJson(stored) as unknown as Tables[T];
    },
    update(table, where, patch) {
      const assignments = Object.entries(patch).filter(([, value]) => value !== undefined);
      if (assignments.length === 0) return 0;
      const rows = scoped(table, where);
      for (const row of rows) Object.assign(row, copyJson(Object.fromEntries(assignments)));
      if (rows.length > 0) changes.dirty = true;
      return rows.length;
    },
    remove(table, where) {
      const all = rowsOf(document, table);
      const kept = all.filter((row) => row.project !== project || !matches(row, where as Where<object>));
      if (kept.length === all.length) return 0;
      (document.tables as unknown as Record<TableName, Row[]>)[table] = kept;
      changes.dirty = true;
      return all.length - kept.length;
    },
    nextId(name) {
      let counter = document.counters.find((entry) => entry.project === project && entry.name === name);
      if (!counter) {
        counter = { project, name, value: 0 };
        document.counters.push(counter);
      }
      counter.value += 1;
      changes.dirty = true;
      return counter.value;
    },
  };
}

function rowsOf(document: JsonDocument, table: TableName): Row[] {
  return document.tables[table] as unknown as Row[];
}

/** The live rows of one project that match: callers mutate them only inside a write transaction. */
function scopedRows(document: JsonDocument, project: string, table: TableName, where: unknown): Row[] {
  return rowsOf(document, table).filter((row) => row.project === project && matches(row, where as Where<object>));
}

/** Mirrors SQLite's primary-key violation, message and code alike, so callers handle both the same. */
function assertKeyFree(document: JsonDocument, table: TableName, stored: Row): void {
  const key = ['project', ...PRIMARY_KEYS[table]];
  if (!rowsOf(document, table).some((row) => key.every((column) => row[column] === stored[column]))) return;
  const error = new Error(`UNIQUE constraint failed: ${key.map((column) => `${table}.${column}`).join(', ')}`);
  throw Object.assign(error, { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
}

/** Rows leave and enter the document as copies, so no caller can change stored state behind its back. */
function copyJson<V>(value: V): V {
  return JSON.parse(JSON.stringify(value)) as V;
}

function busyWhenTimedOut(error: unknown): never {
  if (!(error instanceof LockTimeoutError)) throw error;
  throw new DomainError('STORE_BUSY', `the store is busy: ${error.message}`, 'Retry the call; if it keeps failing, check that process.', error.holder);
}

function lockLost(file: string, staleAfterMs: number): DomainError {
  return new DomainError(
    'STORE_BUSY',
    `the transaction on ${file} outlived its lock (over ${staleAfterMs} ms) and another process took it; nothing was written`,
    'Retry the call.',
  );
}
