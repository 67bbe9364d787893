// The store's query language evaluated over plain rows: the JSON backend's counterpart to sql.ts. It
// copies SQLite's semantics on purpose (NULL never compares, `ne` is IS NOT, NULLs sort first) so that
// domain code behaves the same on both backends.

import type { Condition, Query, Where } from './store.js';

type Row = Record<string, unknown>;

export function matches(row: Row, where: Where<object> | undefined): boolean {
  for (const [column, condition] of Object.entries(where ?? {})) {
    if (condition === undefined) continue;
    if (!matchesCondition(row[column] ?? null, condition as Condition<unknown>)) return false;
  }
  return true;
}

function matchesCondition(value: unknown, condition: Condition<unknown>): boolean {
  if (condition === null) return value === null;
  if (typeof condition !== 'object') return value !== null && value === condition;
  if ('in' in condition) return value !== null && (condition.in as readonly unknown[]).includes(value);
  if ('has' in condition) return containerHas(value, condition.has);
  if ('contains' in condition) return typeof value === 'string' && asciiLower(value).includes(asciiLower(String(condition.contains)));
  if ('ne' in condition) return condition.ne === null ? value !== null : value !== condition.ne;
  const [operator, operand] = Object.entries(condition)[0] as [string, unknown];
  if (value === null || operand === null || operand === undefined) return false;
  const order = compareValues(value, operand);
  switch (operator) {
    case 'gt':
      return order > 0;
    case 'gte':
      return order >= 0;
    case 'lt':
      return order < 0;
    case 'lte':
      return order <= 0;
    default:
      throw new Error(`unknown operator ${operator}`);
  }
}

/** SQLite's lower() folds ASCII letters only. */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

/** json_each walks the elements of an array and the values of an object. */
function containerHas(value: unknown, wanted: unknown): boolean {
  if (Array.isArray(value)) return value.includes(wanted);
  if (value !== null && typeof value === 'object') return Object.values(value).includes(wanted);
  return false;
}

/** SQLite's cross-type order: NULL < numbers < text; JSON columns compare as their text. */
export function compareValues(a: unknown, b: unknown): number {
  const rankA = typeRank(a);
  const rankB = typeRank(b);
  if (rankA !== rankB) return rankA - rankB;
  if (rankA === 0) return 0;
  const left = rankA === 2 && typeof a !== 'string' ? JSON.stringify(a) : a;
  const right = rankB === 2 && typeof b !== 'string' ? JSON.stringify(b) : b;
  return (left as number | string) < (right as number | string) ? -1 : left === right ? 0 : 1;
}

function typeRank(value: unknown): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? 1 : 2;
}

/** ORDER BY (stable, like a scan in insertion order), then OFFSET and LIMIT. */
export function sortAndPage<R extends Row>(rows: R[], query: Query<object>): R[] {
  const column = query.orderBy;
  const direction = query.desc ? -1 : 1;
  const sorted = column ? [...rows].sort((a, b) => direction * compareValues(a[column], b[column])) : rows;
  const start = query.offset ?? 0;
  return query.limit === undefined || query.limit < 0 ? sorted.slice(start) : sorted.slice(start, start + query.limit);
}
