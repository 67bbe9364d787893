// What the PostgreSQL client says, turned into what callers of the other backends see: a lost or
// refused connection becomes STORE_UNAVAILABLE, a duplicate key looks like SQLite's, and the URL is
// only ever shown without its password.

import { DomainError } from '../core/errors.js';

/** Node's socket errors and the server's "connection exception" and "operator intervention" classes. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);
const UNREACHABLE_CLASSES = ['08', '57P', '53300'];
const UNREACHABLE_MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i;

/** The URL as it may be printed: user, host, port and database, never the password. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    parsed.search = ''; // query options may carry secrets too (sslpassword, password)
    return parsed.toString();
  } catch {
    return 'the configured PostgreSQL database';
  }
}

export function isUnreachable(error: unknown): boolean {
  if (error instanceof DomainError) return error.code === 'STORE_UNAVAILABLE';
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || UNREACHABLE_CLASSES.some((prefix) => code.startsWith(prefix)))) return true;
  return UNREACHABLE_MESSAGES.test((error as Error | null)?.message ?? '');
}

export function unavailable(location: string, error: unknown): DomainError {
  return new DomainError(
    'STORE_UNAVAILABLE',
    `cannot reach the database ${location}: ${(error as Error).message}; a change in flight when it went away may or may not have been committed`,
    'Retry the call once the database is back (tell the human if it stays down); the server reconnects by itself.',
  );
}

/** The error callers get for `error` from the client: typed faults, SQLite's duplicate-key shape, or itself. */
export function postgresFault(error: unknown, location: string): unknown {
  if (error instanceof DomainError) return error;
  if (isUnreachable(error)) return unavailable(location, error);
  const { code, table } = error as { code?: string; table?: string };
  if (code === '23505') return duplicateKey(table ?? 'a table');
  if (code === '55P03') {
    return new DomainError('STORE_BUSY', `another server held this project's write lock in ${location} for too long; nothing was written`, 'Retry the call.');
  }
  return error;
}

/** Callers (and the contract suite) know SQLite's primary-key violation; the JSON store mirrors it too. */
export function duplicateKey(table: string): Error {
  return Object.assign(new Error(`UNIQUE constraint failed: ${table} primary key`), { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
}
