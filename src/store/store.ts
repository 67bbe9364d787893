// The storage contract every backend implements. Domain services express every read-decide-write as
// one transaction body over a project-scoped transaction, so the backend alone decides how that is
// made atomic across processes (SQLite: BEGIN IMMEDIATE; JSON: an exclusive lock file; PostgreSQL: a
// per-project transaction lock).

import type { TableName, Tables } from './rows.js';

export type Scalar = string | number | null;

/** A condition on one column; plain values mean equality (null means IS NULL). */
export type Condition<V> =
  | V
  | { in: readonly V[] }
  | { ne: V }
  | { gt: V }
  | { gte: V }
  | { lt: V }
  | { lte: V }
  | { has: string | number } // JSON array column contains the value
  | { contains: string }; // text column contains the string, ignoring ASCII case

export type Where<R> = { [K in keyof R]?: Condition<R[K]> };

export interface Query<R> {
  where?: Where<R>;
  orderBy?: keyof R & string;
  desc?: boolean;
  limit?: number;
  offset?: number;
}

/** Rows as stored, minus the project column that the transaction fills in. */
export type NewRow<T extends TableName> = Omit<Tables[T], 'project'>;

/**
 * A transaction's body is a generator: each `yield* tx.op(...)` hands one operation to the backend's
 * driver and resumes with its result. SQLite and JSON perform every operation at once inside their
 * synchronous transaction, so nothing else can interleave; PostgreSQL awaits each one inside BEGIN …
 * COMMIT. One body, written once, runs on all three.
 */
export type TxStep<R> = Generator<TxRequest, R, unknown>;

/** One operation a transaction body asks its backend for. */
export interface TxRequest {
  op: keyof WriteOps;
  args: unknown[];
}

/** The read operations, performed at once: what a synchronous backend implements. */
export interface ReadOps {
  find<T extends TableName>(table: T, query?: Query<Tables[T]>): Tables[T][];
  one<T extends TableName>(table: T, where: Where<Tables[T]>): Tables[T] | undefined;
  count<T extends TableName>(table: T, where?: Where<Tables[T]>): number;
  /** The largest value of a numeric column, 0 when there are no rows. */
  max<T extends TableName>(table: T, column: keyof Tables[T] & string, where?: Where<Tables[T]>): number;
}

export interface WriteOps extends ReadOps {
  insert<T extends TableName>(table: T, row: NewRow<T>): Tables[T];
  /** Compare-and-set: updates the rows matching `where`, returns how many changed. */
  update<T extends TableName>(table: T, where: Where<Tables[T]>, patch: Partial<NewRow<T>>): number;
  remove<T extends TableName>(table: T, where?: Where<Tables[T]>): number;
  /** Next value of a per-project counter, starting at 1; never reused, even after a reset. */
  nextId(counter: string): number;
}

/** The same operations performed asynchronously: what the PostgreSQL backend implements. */
export type AsyncOps<Ops> = {
  [K in keyof Ops]: Ops[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : never;
};

export interface ReadTx extends StepwiseRead {
  readonly project: string;
}

export interface WriteTx extends StepwiseWrite {
  readonly project: string;
}

// Generic methods keep their type parameters only when declared, not when mapped; these interfaces
// restate them so `yield* tx.find('tasks')` is typed as task rows.
interface StepwiseRead {
  find<T extends TableName>(table: T, query?: Query<Tables[T]>): TxStep<Tables[T][]>;
  one<T extends TableName>(table: T, where: Where<Tables[T]>): TxStep<Tables[T] | undefined>;
  count<T extends TableName>(table: T, where?: Where<Tables[T]>): TxStep<number>;
  max<T extends TableName>(table: T, column: keyof Tables[T] & string, where?: Where<Tables[T]>): TxStep<number>;
}

interface StepwiseWrite extends StepwiseRead {
  insert<T extends TableName>(table: T, row: NewRow<T>): TxStep<Tables[T]>;
  update<T extends TableName>(table: T, where: Where<Tables[T]>, patch: Partial<NewRow<T>>): TxStep<number>;
  remove<T extends TableName>(table: T, where?: Where<Tables[T]>): TxStep<number>;
  nextId(counter: string): TxStep<number>;
}

export type StorageBackend = 'sqlite' | 'json' | 'postgres';

/** The backends that keep their state in a file of the data directory. */
export type FileBackend = Exclude<StorageBackend, 'postgres'>;

/** Each file backend's file in a data directory; distinct, so that one can tell which backend a directory serves. */
export const STORE_FILE_NAMES: { readonly [B in FileBackend]: string } = { sqlite: 'coordinator.db', json: 'coordinator.json' };

/** Transactions a store has run since it was opened: the proof that a read-only call writes nothing. */
export interface TransactionCounts {
  reads: number;
  writes: number;
}

export interface Store {
  readonly backend: StorageBackend;
  /** The file, or the database URL without its password. */
  readonly location: string;
  readonly transactions: Readonly<TransactionCounts>;
  /** Runs fn's steps atomically and exclusively against the project. A throw rolls everything back. */
  write<R>(project: string, fn: (tx: WriteTx) => TxStep<R>): Promise<R>;
  /**
   * A value that changes whenever another process (or another connection) has committed since it was
   * last read; this process's own writes leave it as it is. Costs no transaction.
   */
  foreignVersion(): number;
  /** Runs fn's steps against one consistent snapshot. */
  read<R>(project: string, fn: (tx: ReadTx) => TxStep<R>): Promise<R>;
  /** Every project that has written anything, for views over the whole store (the dashboard). */
  projects(): Promise<string[]>;
  /**
   * A value that differs after any commit by any process, and is cheap enough to ask many times a
   * second: how a watcher notices change without reading tables.
   */
  changeVersion(): Promise<string>;
  /**
   * Calls `listener` after each commit by any process, pushed by the database (PostgreSQL's
   * LISTEN/NOTIFY); returns the unsubscribe. Absent where the backend cannot push: watchers poll
   * changeVersion() instead.
   */
  onCommit?(listener: () => void): () => void;
  close(): void;
}
