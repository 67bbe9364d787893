// Turns the store's small query language into parameterised SQL (with ? placeholders) for SQLite or
// PostgreSQL. Column names come from typed code, never from agents, but are still checked against the
// table so a typo fails loudly.

import { JSON_COLUMNS, type TableName } from './rows.js';
import type { Query, Scalar, Where } from './store.js';

type Row = Record<string, unknown>;

/** Both SQL backends keep arrays and objects as JSON text: parsed back in place as rows come out. */
export function decodeRow(table: TableName, row: Row | undefined): Row | undefined {
  if (!row) return row;
  for (const column of JSON_COLUMNS[table] as string[]) row[column] = JSON.parse(row[column] as string);
  return row;
}

export function encodeValue(table: TableName, column: string, value: unknown): Scalar {
  return (JSON_COLUMNS[table] as string[]).includes(column) ? JSON.stringify(value) : (value as Scalar);
}

export function sqlEnum(values: readonly string[]): string {
  return values.map((value) => `'${value}'`).join(',');
}

export function quoteColumn(column: string, known: ReadonlySet<string>): string {
  if (!known.has(column)) throw new Error(`unknown column ${column}`);
  return `"${column}"`;
}

export interface SqlFragment {
  sql: string;
  params: Scalar[];
}

/** Where the two databases spell the same condition differently. */
export interface SqlDialect {
  /** The clause that matches no row (an empty IN list). */
  none: string;
  /** `ne` as a comparison in which NULL differs from every value. */
  distinct: string;
  /** Case-insensitive containment of the one parameter; no LIKE, so % and _ are plain characters. */
  contains(column: string): string;
  /** A JSON array column holding the one parameter, and that parameter as the dialect binds it. */
  has(column: string): string;
  hasParam(value: string | number): Scalar;
  /** Ascending order puts NULLs first, as SQLite does by itself. */
  nullsFirst(desc: boolean): string;
  /** The LIMIT parameter that means "no limit". */
  noLimit: Scalar;
  /** How LIMIT takes its parameter. */
  limit: string;
}

export const SQLITE: SqlDialect = {
  none: '0',
  distinct: 'IS NOT',
  contains: (column) => `instr(lower(${column}), lower(?)) > 0`,
  has: (column) => `EXISTS (SELECT 1 FROM json_each(${column}) WHERE value = ?)`,
  hasParam: (value) => value,
  nullsFirst: () => '',
  noLimit: -1,
  // SQLite (3.53) plans for the value bound to a bare `LIMIT ?`, so binding it at each run expired the
  // statement and every paged read was prepared again: 16 µs instead of 3.6 for a small page. `+?` is
  // the same number to the query and an expression the planner does not look into.
  limit: 'LIMIT +?',
};

/** JSON columns are text in both databases; a cast lets PostgreSQL's containment test look inside. */
export const POSTGRES: SqlDialect = {
  none: 'false',
  distinct: 'IS DISTINCT FROM',
  contains: (column) => `strpos(lower(${column}), lower(?)) > 0`,
  has: (column) => `${column}::jsonb @> ?::jsonb`,
  hasParam: (value) => JSON.stringify([value]),
  nullsFirst: (desc) => (desc ? ' NULLS LAST' : ' NULLS FIRST'),
  noLimit: null,
  limit: 'LIMIT ?',
};

const COMPARISONS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

export function whereSql(where: Where<object> | undefined, known: ReadonlySet<string>, dialect = SQLITE): SqlFragment {
  const clauses = ['project = ?'];
  const params: Scalar[] = [];
  for (const [column, condition] of Object.entries(where ?? {})) {
    if (condition === undefined) continue;
    const name = quoteColumn(column, known);
    if (condition === null) {
      clauses.push(`${name} IS NULL`);
    } else if (typeof condition !== 'object') {
      clauses.push(`${name} = ?`);
      params.push(condition as Scalar);
    } else if ('in' in condition) {
      const values = condition.in as Scalar[];
      clauses.push(values.length === 0 ? dialect.none : `${name} IN (${values.map(() => '?').join(',')})`);
      params.push(...values);
    } else if ('contains' in condition) {
      clauses.push(dialect.contains(name));
      params.push(condition.contains);
    } else if ('has' in condition) {
      clauses.push(dialect.has(name));
      params.push(dialect.hasParam(condition.has));
    } else {
      const [operator, value] = Object.entries(condition)[0] as ['ne' | keyof typeof COMPARISONS, Scalar];
      clauses.push(`${name} ${operator === 'ne' ? dialect.distinct : COMPARISONS[operator]} ?`);
      params.push(value);
    }
  }
  return { sql: clauses.join(' AND '), params };
}

export function querySuffix(query: Query<object>, known: ReadonlySet<string>, dialect = SQLITE): SqlFragment {
  let sql = '';
  const params: Scalar[] = [];
  if (query.orderBy) sql += ` ORDER BY ${quoteColumn(query.orderBy, known)}${query.desc ? ' DESC' : ''}${dialect.nullsFirst(query.desc === true)}`;
  if (query.limit !== undefined || query.offset !== undefined) {
    sql += ` ${dialect.limit} OFFSET ?`;
    params.push(query.limit ?? dialect.noLimit, query.offset ?? 0);
  }
  return { sql, params };
}

/** PostgreSQL numbers its placeholders; the SQL built here has no ? anywhere but in them. */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
