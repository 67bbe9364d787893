// The store's operations as SQL on one PostgreSQL connection inside a transaction: the same statements
// SQLite runs (sql.ts builds both), numbered placeholders, and row counts from the driver.

import type { PoolClient, QueryResultRow } from 'pg';
import { duplicateKey } from './postgres-faults.js';
import type { TableName, Tables } from './rows.js';
import { decodeRow, encodeValue, numberedPlaceholders, POSTGRES, querySuffix, quoteColumn, whereSql } from './sql.js';
import type { AsyncOps, NewRow, Query, ReadOps, Scalar, Where, WriteOps } from './store.js';

type Row = Record<string, unknown>;

/** Each table's columns, read from the database once: quoteColumn checks every name against them. */
export type ColumnsOf = (table: TableName) => ReadonlySet<string>;

/** What a write transaction did: only one that changed something tells the other processes. */
export interface WriteEffects {
  changed: boolean;
}

function query<R extends QueryResultRow>(client: PoolClient, sql: string, params: unknown[]) {
  return client.query<R>({ text: numberedPlaceholders(sql), values: params });
}

export function postgresReadOps(client: PoolClient, project: string, columns: ColumnsOf): AsyncOps<ReadOps> {
  const where = (table: TableName, condition: unknown) => whereSql(condition as Where<object>, columns(table), POSTGRES);
  return {
    async find(table, options = {}) {
      const filter = where(table, options.where);
      const suffix = querySuffix(options as Query<object>, columns(table), POSTGRES);
      const { rows } = await query<Row>(client, `SELECT * FROM ${table} WHERE ${filter.sql}${suffix.sql}`, [
        project,
        ...filter.params,
        ...suffix.params,
      ]);
      return rows.map((row) => decodeRow(table, row)) as never;
    },
    async one(table, condition) {
      const filter = where(table, condition);
      const { rows } = await query<Row>(client, `SELECT * FROM ${table} WHERE ${filter.sql} LIMIT 1`, [project, ...filter.params]);
      return decodeRow(table, rows[0]) as never;
    },
    async count(table, condition) {
      const filter = where(table, condition);
      const { rows } = await query<{ n: number }>(client, `SELECT count(*) AS n FROM ${table} WHERE ${filter.sql}`, [project, ...filter.params]);
      return rows[0]!.n;
    },
    async max(table, column, condition) {
      const filter = where(table, condition);
      const name = quoteColumn(column, columns(table));
      const sql = `SELECT coalesce(max(${name}), 0) AS n FROM ${table} WHERE ${filter.sql}`;
      const { rows } = await query<{ n: number }>(client, sql, [project, ...filter.params]);
      return Number(rows[0]!.n);
    },
  };
}

export function postgresWriteOps(client: PoolClient, project: string, columns: ColumnsOf, effects: WriteEffects): AsyncOps<WriteOps> {
  const changed = (count: number | null) => {
    if (count) effects.changed = true;
    return count ?? 0;
  };
  return {
    ...postgresReadOps(client, project, columns),
    async insert<T extends TableName>(table: T, row: NewRow<T>) {
      const full = { ...row, project } as Row;
      const names = Object.keys(full);
      const quoted = names.map((name) => quoteColumn(name, columns(table))).join(',');
      // DO NOTHING, then the error ourselves: a failed statement would abort the whole transaction, where
      // SQLite undoes only the statement and a body that catches the error goes on (so it must here).
      const sql = `INSERT INTO ${table} (${quoted}) VALUES (${names.map(() => '?').join(',')}) ON CONFLICT DO NOTHING`;
      const result = await query(client, sql, names.map((name) => encodeValue(table, name, full[name])));
      if (changed(result.rowCount) === 0) throw duplicateKey(table);
      return full as unknown as Tables[T];
    },
    async update(table, condition, patch) {
      const names = Object.keys(patch).filter((name) => (patch as Row)[name] !== undefined);
      if (names.length === 0) return 0;
      const filter = whereSql(condition as Where<object>, columns(table), POSTGRES);
      const set = names.map((name) => `${quoteColumn(name, columns(table))} = ?`).join(',');
      const values: Scalar[] = names.map((name) => encodeValue(table, name, (patch as Row)[name]));
      const result = await query(client, `UPDATE ${table} SET ${set} WHERE ${filter.sql}`, [...values, project, ...filter.params]);
      return changed(result.rowCount);
    },
    async remove(table, condition) {
      const filter = whereSql(condition as Where<object>, columns(table), POSTGRES);
      return changed((await query(client, `DELETE FROM ${table} WHERE ${filter.sql}`, [project, ...filter.params])).rowCount);
    },
    async nextId(counter) {
      const sql =
        'INSERT INTO counters (project, name, value) VALUES (?, ?, 1) ON CONFLICT (project, name) DO UPDATE SET value = counters.value + 1 RETURNING value';
      const { rows } = await query<{ value: number }>(client, sql, [project, counter]);
      effects.changed = true;
      return rows[0]!.value;
    },
  };
}
