// Reading and rewriting the configuration files of other programs (Claude Code, Codex): a backup next
// to the file first, a temp file + rename so a crash never leaves half a file, and symlinks followed
// so a dotfile managed elsewhere stays a link.

import { lstat, readFile, realpath, rename, stat, unlink, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DomainError } from '../core/errors.js';

export const BACKUP_SUFFIX = '.lockstep-backup';

/** The file's text, or undefined when it does not exist. */
export async function readConfigText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DomainError('CONFIG_INVALID', `cannot read ${file}: ${(error as Error).message}`, `Check the permissions of ${file}.`);
  }
}

/** A file that does not parse: named with the place it breaks, so a human can fix it by hand. */
export function configInvalid(file: string, reason: string, where?: { line: number; column: number }): DomainError {
  const place = where ? `:${where.line}:${where.column}` : '';
  return new DomainError('CONFIG_INVALID', `${file}${place}: ${reason}`, `Fix ${file} by hand (nothing was changed), then run the command again.`, {
    file,
    ...where,
  });
}

/**
 * Replaces `before` (undefined: the file did not exist) by `after` (null: delete the file). Returns the
 * backup's path when there was something to back up.
 */
export async function replaceConfigText(file: string, before: string | undefined, after: string | null): Promise<string | undefined> {
  // Claude Code rewrites ~/.claude.json while it runs: never overwrite a change made since we read it.
  if ((await readConfigText(file)) !== before) {
    throw new DomainError('CONFIG_INVALID', `${file} changed while lockstep-mcp was editing it`, 'Run the command again.');
  }
  const backup = before === undefined ? undefined : `${file}${BACKUP_SUFFIX}`;
  if (backup) await writeFile(backup, before!, { mode: 0o600 });
  if (after === null) {
    await unlink(file);
    return backup;
  }
  const target = await writableTarget(file);
  await mkdir(dirname(target), { recursive: true });
  const mode = before === undefined ? undefined : (await stat(target)).mode & 0o777;
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, after, mode === undefined ? {} : { mode });
  await rename(temporary, target);
  return backup;
}

/** The real file behind a symlink, so renaming over it keeps the link. */
async function writableTarget(file: string): Promise<string> {
  try {
    return (await lstat(file)).isSymbolicLink() ? await realpath(file) : file;
  } catch {
    return file;
  }
}
