// The storage contract both backends implement. Domain services express every read-decide-write as a
// synchronous function over a project-scoped transaction, so the backend alone decides how that is
// made atomic across processes (SQLite: BEGIN IMMEDIATE; JSON: an exclusive lock file).

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

export interface ReadTx {
  readonly project: string;
  find<T extends TableName>(table: T, query?: Query<Tables[T]>): Tables[T][];
  one<T extends TableName>(table: T, where: Where<Tables[T]>): Tables[T] | undefined;
  count<T extends TableName>(table: T, where?: Where<Tables[T]>): number;
  /** The largest value of a numeric column, 0 when there are no rows. */
  max<T extends TableName>(table: T, column: keyof Tables[T] & string, where?: Where<Tables[T]>): number;
}

export interface WriteTx extends ReadTx {
  insert<T extends TableName>(table: T, row: NewRow<T>): Tables[T];
  /** Compare-and-set: updates the rows matching `where`, returns how many changed. */
  update<T extends TableName>(table: T, where: Where<Tables[T]>, patch: Partial<NewRow<T>>): number;
  remove<T extends TableName>(table: T, where?: Where<Tables[T]>): number;
  /** Next value of a per-project counter, starting at 1; never reused, even after a reset. */
  nextId(counter: string): number;
}

export type StorageBackend = 'sqlite' | 'json';

/** Each backend's file in a data directory; distinct, so that one can tell which backend a directory serves. */
export const STORE_FILE_NAMES: { readonly [B in StorageBackend]: string } = { sqlite: 'coordinator.db', json: 'coordinator.json' };

/** Transactions a store has run since it was opened: the proof that a read-only call writes nothing. */
export interface TransactionCounts {
  reads: number;
  writes: number;
}

export interface Store {
  readonly backend: StorageBackend;
  readonly location: string;
  readonly transactions: Readonly<TransactionCounts>;
  /** Runs fn atomically and exclusively; fn must be synchronous. A throw rolls everything back. */
  write<R>(project: string, fn: (tx: WriteTx) => R): Promise<R>;
  /**
   * A value that changes whenever another process (or another connection) has committed since it was
   * last read; this process's own writes leave it as it is. Costs no transaction.
   */
  foreignVersion(): number;
  /** Runs fn against one consistent snapshot. */
  read<R>(project: string, fn: (tx: ReadTx) => R): Promise<R>;
  /** Every project that has written anything, for views over the whole store (the dashboard). */
  projects(): Promise<string[]>;
  /**
   * A value that differs after any commit by any process, and is cheap enough to ask many times a
   * second: how a watcher notices change without reading tables.
   */
  changeVersion(): Promise<string>;
  close(): void;
}
