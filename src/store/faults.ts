// What the operating system or SQLite says about the store's file, turned into errors an agent can act
// on. Both backends translate through here, so a full disk or a read-only directory reads the same
// whichever backend is in use; anything not listed stays the caller's to report.

import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { DomainError } from '../core/errors.js';

const DISK_FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);
const READ_ONLY_CODES = new Set(['EROFS', 'EACCES', 'EPERM']);

/** The DomainError for a storage fault, or undefined when `error` is no fault of the disk. */
export function storeFault(error: unknown, file: string): DomainError | undefined {
  if (error instanceof DomainError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  if (DISK_FULL_CODES.has(code)) return diskFull(file, code);
  if (code === 'ENAMETOOLONG') return nameTooLong(file);
  if (READ_ONLY_CODES.has(code) || code.startsWith('SQLITE_READONLY')) return readOnly(file, code);
  // SQLite cannot open a WAL database whose directory refuses its -wal and -shm files, and says only
  // "unable to open": ask the file system whether that is the reason.
  if (code === 'SQLITE_CANTOPEN') {
    const refusal = writeRefusal(file);
    if (refusal) return readOnly(file, refusal);
  }
  return undefined;
}

/** Rethrows a disk fault as its DomainError and any other error unchanged. */
export function rethrowFault(error: unknown, file: string): never {
  throw storeFault(error, file) ?? error;
}

/** The errno that forbids writing the store file or its directory, if one does. */
function writeRefusal(file: string): string | undefined {
  for (const path of existsSync(file) ? [file, dirname(file)] : [dirname(file)]) {
    try {
      accessSync(path, constants.W_OK);
    } catch (error) {
      return (error as NodeJS.ErrnoException).code ?? 'EACCES';
    }
  }
  return undefined;
}

function diskFull(file: string, code: string): DomainError {
  return new DomainError(
    'DISK_FULL',
    `the disk holding the store ${file} is full (${code}); nothing was written and the store is unchanged`,
    'Tell the human to free disk space (or quota) on that volume, then retry the call.',
    { file },
  );
}

function readOnly(file: string, code: string): DomainError {
  return new DomainError(
    'STORE_READ_ONLY',
    `the store ${file} or its directory cannot be written (${code}); nothing was written`,
    'Tell the human to make the data directory writable for this user, or to start the server with a writable --data-dir.',
    { file },
  );
}

function nameTooLong(file: string): DomainError {
  return new DomainError(
    'NAME_TOO_LONG',
    `a path of the store ${file} is too long for the file system`,
    'Tell the human to start the server with a shorter --data-dir or --db-path.',
    { file },
  );
}
