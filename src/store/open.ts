// Chooses the backend and opens it on first use. An MCP client's handshake (initialize, tools/list)
// needs no store, so a server answers it before paying for the native SQLite module; the JSON and
// PostgreSQL backends' modules are loaded only when asked for.

import { statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DomainError } from '../core/errors.js';
import { rethrowFault } from './faults.js';
import { redactedUrl } from './postgres-faults.js';
import { STORE_FILE_NAMES, type FileBackend, type Store, type StorageBackend } from './store.js';

/**
 * Each store file has companions named after it: SQLite's -journal/-wal/-shm; the JSON store's .lock,
 * its .lock.break guard and the owner-record temp files of both (".<pid>-<8 hex>.tmp", up to 21 bytes),
 * the longest being ".lock.break.<pid>-<8 hex>.tmp" (32 bytes). File names stop at 255 bytes.
 */
export const MAX_STORE_NAME_BYTES: { readonly [B in FileBackend]: number } = { sqlite: 255 - 8, json: 255 - 32 };

/** @param location the store file, or for PostgreSQL the database URL. */
export async function openStore(backend: StorageBackend, location: string): Promise<Store> {
  if (backend === 'postgres') {
    const { openPostgresStore } = await import('./postgres.js');
    return openPostgresStore(location);
  }
  const file = location;
  refuseOverlongName(backend, file);
  refuseOtherBackendsDirectory(backend, file);
  if (backend === 'json') {
    const { openJsonStore } = await import('./json.js');
    return openJsonStore(file);
  }
  const { openSqliteStore } = await import('./sqlite.js');
  return openSqliteStore(file);
}

/** A Store that opens the real one on its first transaction; a failed open is retried next time. */
export function openStoreLazily(backend: StorageBackend, location: string): Store {
  let opening: Promise<Store> | undefined;
  let opened: Store | undefined;
  const store = () => {
    opening ??= openStore(backend, location).then(
      (real) => (opened = real),
      (error: unknown) => {
        opening = undefined;
        throw error;
      },
    );
    return opening;
  };
  return {
    backend,
    get location() {
      return opened?.location ?? (backend === 'postgres' ? redactedUrl(location) : location);
    },
    get transactions() {
      return opened?.transactions ?? { reads: 0, writes: 0 };
    },
    // Before the store opens nothing can be known: a fresh value each time says "maybe changed".
    foreignVersion: () => opened?.foreignVersion() ?? Number.NaN,
    write: async (project, fn) => (await store()).write(project, fn),
    read: async (project, fn) => (await store()).read(project, fn),
    projects: async () => (await store()).projects(),
    changeVersion: async () => (await store()).changeVersion(),
    // Push needs the real store; until it opens, a subscriber hears the opening as its first change.
    ...(backend === 'postgres' && {
      onCommit(listener: () => void) {
        let unsubscribe: (() => void) | undefined;
        let cancelled = false;
        void store().then(
          (real) => {
            if (cancelled) return;
            unsubscribe = real.onCommit?.(listener);
            listener();
          },
          () => undefined,
        );
        return () => {
          cancelled = true;
          unsubscribe?.();
        };
      },
    }),
    close: () => opened?.close(),
  };
}

/**
 * A server started with the other --storage on the same data directory would keep a second, separate
 * state, and agents on the two would never see each other's tasks or locks. Checked at open, so two
 * servers of different backends starting at the same instant on an empty directory can both get by;
 * the next start of either is refused.
 */
function refuseOtherBackendsDirectory(backend: FileBackend, file: string): void {
  const other: FileBackend = backend === 'json' ? 'sqlite' : 'json';
  const otherFile = join(dirname(file), STORE_FILE_NAMES[other]);
  if (otherFile === file || !sizeOf(otherFile)) return;
  throw new DomainError(
    'STORE_MISMATCH',
    `the data directory ${dirname(file)} already holds a ${other} store (${STORE_FILE_NAMES[other]}); a ${backend} store beside it would keep separate state`,
    `Tell the human: start this server with --storage ${other} like the others, or with another --data-dir (move ${STORE_FILE_NAMES[other]} away if nobody uses it).`,
    { file: otherFile },
  );
}

function sizeOf(file: string): number {
  try {
    return statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  } catch (error) {
    rethrowFault(error, file);
  }
}

function refuseOverlongName(backend: FileBackend, file: string): void {
  const bytes = Buffer.byteLength(basename(file));
  const max = MAX_STORE_NAME_BYTES[backend];
  if (bytes <= max) return;
  throw new DomainError(
    'NAME_TOO_LONG',
    `the store file name ${basename(file).slice(0, 40)}… has ${bytes} bytes; with the files kept beside it, at most ${max} fit in a directory entry`,
    `Tell the human to start the server with a --db-path whose file name has at most ${max} bytes.`,
  );
}
