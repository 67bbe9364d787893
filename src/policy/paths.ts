// Where an agent may read, write and run: every path is resolved to its real location (symlinks
// followed, `..` applied by the OS, not by string arithmetic) before it is compared with the roots.

import { lstat, readlink, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { Config } from '../config.js';
import { DomainError } from '../core/errors.js';

export interface PathPolicy {
  /** When false any path is allowed (it is still resolved). */
  confined: boolean;
  /** Allowed folders; not yet realpath-resolved. */
  roots: readonly string[];
  /**
   * Places refused even inside a root (the store), unless a root lies strictly inside them (the project's
   * own worktree folder inside the data directory); not yet realpath-resolved.
   */
  fenced?: readonly string[];
}

/**
 * The policy of file_* and command cwd: strict mode confines to --roots (or the project root) plus
 * `extraRoots`, which the caller has already vetted (the project's worktree root).
 */
export function projectPathPolicy(
  config: Pick<Config, 'mode' | 'roots' | 'dataDir' | 'dbPath'>,
  projectRoot: string,
  extraRoots: readonly string[] = [],
): PathPolicy {
  const roots = config.roots.length > 0 ? config.roots : [projectRoot];
  if (config.mode !== 'strict') return { confined: false, roots };
  return { confined: true, roots: [...roots, ...extraRoots], fenced: storePlaces(config) };
}

/** The data directory and the store file with its journals and lock, wherever --db-path puts it. */
function storePlaces(config: Pick<Config, 'dataDir' | 'dbPath'>): string[] {
  return [config.dataDir, config.dbPath, ...['-wal', '-shm', '-journal', '.lock'].map((suffix) => config.dbPath + suffix)];
}

/**
 * Resolves `input` (relative to `base`) to a real absolute path and, under a confining policy, refuses
 * anything outside the roots. The path itself need not exist (for writes).
 */
export async function resolvePath(input: string, base: string, policy: PathPolicy): Promise<string> {
  if (input.includes('\0')) throw new DomainError('INVALID_INPUT', 'the path contains a NUL byte', 'Pass a plain path.');
  const real = await realpathAllowMissing(isAbsolute(input) ? input : `${base}${sep}${input}`);
  if (!policy.confined) return real;
  const roots = await Promise.all(policy.roots.map((root) => realpathAllowMissing(root)));
  const within = roots.filter((root) => isInside(real, root));
  if (within.length > 0) {
    await refuseFenced(input, real, within, policy.fenced ?? []);
    return real;
  }
  throw new DomainError(
    'PATH_OUTSIDE_ROOTS',
    `${input} resolves to ${real}, outside the allowed roots (${roots.join(', ')})`,
    'Use a path inside one of the allowed roots; symlinks and ".." that lead outside them are refused.',
    { path: real, roots },
  );
}

async function refuseFenced(input: string, real: string, within: readonly string[], fenced: readonly string[]): Promise<void> {
  for (const place of await Promise.all(fenced.map((path) => realpathAllowMissing(path)))) {
    if (!isInside(real, place) || within.some((root) => root !== place && isInside(root, place))) continue;
    throw new DomainError(
      'PATH_PROTECTED',
      `${input} resolves to ${real}, inside the coordination store (${place})`,
      'Leave the store alone: read and change coordination state through the lockstep tools.',
      { path: real },
    );
  }
}

/**
 * For paths that name a place inside one fixed folder (artifacts): relative, no `..`, and still inside
 * the folder after symlinks are followed.
 */
export async function resolveInsideFolder(input: string, folder: string): Promise<string> {
  const segments = input.split(/[\\/]/);
  if (isAbsolute(input) || segments.includes('..')) {
    throw new DomainError(
      'PATH_OUTSIDE_ROOTS',
      `${input} must be a relative path without ".." segments`,
      'Name the artifact relative to the artifacts folder, e.g. "reports/summary.md".',
      { path: input },
    );
  }
  return resolvePath(input, folder, { confined: true, roots: [folder] });
}

export function isInside(path: string, root: string): boolean {
  if (path === root) return true;
  return path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** `path` relative to `root` in POSIX form when inside it, else the absolute path. */
export function displayPath(path: string, root: string): string {
  if (!isInside(path, root)) return path;
  return relative(root, path).split(sep).join('/') || '.';
}

const MAX_SYMLINK_HOPS = 40;

/**
 * realpath for an absolute path that may not exist yet: the real path of the longest existing prefix
 * plus the rest. A dangling symlink is followed to where it points, so it cannot smuggle a write outside.
 */
export async function realpathAllowMissing(absolute: string, hops = 0): Promise<string> {
  const full = await tryRealpath(absolute);
  if (full !== undefined) return full;
  const segments = absolute.split(sep).filter((segment) => segment !== '');
  for (let kept = segments.length - 1; kept >= 0; kept--) {
    const prefix = await tryRealpath(sep + segments.slice(0, kept).join(sep));
    if (prefix === undefined) continue;
    const [missing, ...rest] = segments.slice(kept) as [string, ...string[]];
    const target = await danglingTarget(join(prefix, missing));
    if (target !== undefined) {
      if (hops >= MAX_SYMLINK_HOPS) throw notFound(absolute, 'too many levels of symbolic links');
      // Joined as text, not normalised: the OS must apply any ".." after following each link.
      const next = [isAbsolute(target) ? target : prefix + sep + target, ...rest].join(sep);
      return realpathAllowMissing(next, hops + 1);
    }
    if (missing === '..' || rest.includes('..')) {
      throw new DomainError(
        'INVALID_INPUT',
        `${absolute} climbs with ".." out of ${join(prefix, missing)}, which does not exist`,
        'Remove the ".." segments and name the path directly.',
      );
    }
    return join(prefix, missing, ...rest);
  }
  throw notFound(absolute, 'no part of it exists');
}

async function tryRealpath(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A name too long to exist is missing like any other; creating it then fails with the precise error.
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENAMETOOLONG') return undefined;
    if (code === 'ELOOP') throw notFound(path, 'too many levels of symbolic links');
    throw error;
  }
}

async function danglingTarget(path: string): Promise<string | undefined> {
  try {
    return (await lstat(path)).isSymbolicLink() ? await readlink(path) : undefined;
  } catch {
    return undefined;
  }
}

function notFound(path: string, reason: string): DomainError {
  return new DomainError('PATH_NOT_FOUND', `${path} cannot be resolved: ${reason}`, 'Check the path and try again.', { path });
}
