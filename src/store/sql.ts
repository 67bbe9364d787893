// Turns the store's small query language into parameterised SQL. Column names come from typed code,
// never from agents, but are still checked against the table so a typo fails loudly.

import type { Query, Scalar, Where } from './store.js';

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

const COMPARISONS = { ne: 'IS NOT', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

export function whereSql(where: Where<object> | undefined, known: ReadonlySet<string>): SqlFragment {
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
      clauses.push(values.length === 0 ? '0' : `${name} IN (${values.map(() => '?').join(',')})`);
      params.push(...values);
    } else if ('contains' in condition) {
      // instr on lower(): no LIKE, so % and _ in the searched text are plain characters.
      clauses.push(`instr(lower(${name}), lower(?)) > 0`);
      params.push(condition.contains);
    } else if ('has' in condition) {
      clauses.push(`EXISTS (SELECT 1 FROM json_each(${name}) WHERE value = ?)`);
      params.push(condition.has as Scalar);
    } else {
      const [operator, value] = Object.entries(condition)[0] as [keyof typeof COMPARISONS, Scalar];
      clauses.push(`${name} ${COMPARISONS[operator]} ?`);
      params.push(value);
    }
  }
  return { sql: clauses.join(' AND '), params };
}

export function querySuffix(query: Query<object>, known: ReadonlySet<string>): SqlFragment {
  let sql = '';
  const params: Scalar[] = [];
  if (query.orderBy) sql += ` ORDER BY ${quoteColumn(query.orderBy, known)}${query.desc ? ' DESC' : ''}`;
  if (query.limit !== undefined || query.offset !== undefined) {
    sql += ' LIMIT ? OFFSET ?';
    params.push(query.limit ?? -1, query.offset ?? 0);
  }
  return { sql, params };
}
