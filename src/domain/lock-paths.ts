// What a lock covers: agent-given paths turned into one repo-relative POSIX form, and the overlap test
// that decides whether two locks exclude each other. Only resolveLockTarget touches the filesystem.

import { realpathSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { LockKind } from '../core/vocabulary.js';
import { DomainError } from '../core/errors.js';
import { checkGlob, matchesGlob, MAX_GLOB_LENGTH, MAX_GLOB_WILDCARDS } from './glob.js';

export interface LockTarget {
  /** Repo-relative POSIX path; "." is the whole project. */
  path: string;
  kind: LockKind;
}

const GLOB_CHARS = /[*?[\]{}]/;

/**
 * Resolves what an agent asked to lock against the project root. Symlinks of the existing part are
 * resolved so an alias inside the repo maps to the same lock, and so a link pointing outside is refused.
 */
export function resolveLockTarget(root: string, input: string): LockTarget {
  if (input.trim() === '') {
    throw new DomainError('INVALID_INPUT', 'the lock path is empty', 'Name a file, a directory or a glob; lock "." to lock the whole project.');
  }
  const realRoot = realRootOf(root);
  const slashed = input.replaceAll(sep, '/');
  const segments = slashed.split('/');
  const firstGlob = segments.findIndex((segment) => GLOB_CHARS.test(segment));
  const literal = resolve(realRoot, slashed);
  const found = statIfPresent(literal);
  // A literal path that exists wins over a glob reading: `app/[id]/page.tsx` is a real file in many repos.
  if (firstGlob === -1 || found) {
    const path = repoRelative(realRoot, realpathOfNearest(literal, found), input);
    const kind: LockKind = path === '.' || slashed.endsWith('/') || found?.isDirectory() ? 'dir' : 'file';
    return { path, kind };
  }
  const prefixInput = segments.slice(0, firstGlob).join('/') || (slashed.startsWith('/') ? '/' : '.');
  const prefixPath = resolve(realRoot, prefixInput);
  const prefix = repoRelative(realRoot, realpathOfNearest(prefixPath, statIfPresent(prefixPath)), input);
  const pattern = segments.slice(firstGlob).filter((segment) => segment !== '' && segment !== '.');
  if (pattern.includes('..')) {
    throw new DomainError('INVALID_INPUT', `the glob ${input} uses ".." after a wildcard`, 'Write the glob relative to the project root without "..".');
  }
  const path = [...(prefix === '.' ? [] : [prefix]), ...pattern].join('/');
  assertGlobAcceptable(path, input);
  return { path, kind: 'glob' };
}

/**
 * A project's root resolved once per process, as the server resolves the project itself once
 * (mcp/server.ts ProjectResolver): every lock call needs it.
 */
const realRoots = new Map<string, string>();

function realRootOf(root: string): string {
  let real = realRoots.get(root);
  if (real === undefined) {
    real = realpathSync.native(root);
    realRoots.set(root, real);
  }
  return real;
}

/** A name too long to exist is absent, not a failure: the write that follows reports NAME_TOO_LONG. */
function statIfPresent(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A path through a file (ENOTDIR) or a symlink loop cannot exist either.
    if (code === 'ENAMETOOLONG' || code === 'ENOTDIR' || code === 'ELOOP') return undefined;
    throw error;
  }
}

/**
 * realpath of the nearest existing ancestor, with the not-yet-existing rest appended. Absence is found
 * by stat, not by a failing realpath: a lock is usually taken on a file about to be created, and a
 * thrown error per missing level cost more than the rest of the call (issue 10). `stat` is the
 * caller's stat of `absolute` itself, when it has one.
 */
function realpathOfNearest(absolute: string, stat: Stats | undefined): string {
  const missing: string[] = [];
  let current = absolute;
  for (let present = stat !== undefined; ; present = statIfPresent(current) !== undefined) {
    if (present) {
      try {
        return resolve(realpathSync.native(current), ...missing.reverse());
      } catch {
        // Gone between the stat and here, or unreadable: treat it as missing and go on up.
      }
    }
    const parent = resolve(current, '..');
    if (parent === current) return absolute;
    missing.push(relative(parent, current));
    current = parent;
  }
}

function repoRelative(realRoot: string, realPath: string, input: string): string {
  const path = relative(realRoot, realPath);
  if (path === '') return '.';
  if (path === '..' || path.startsWith(`..${sep}`) || isAbsolute(path)) {
    throw new DomainError(
      'PATH_OUTSIDE_PROJECT',
      `${input} resolves to ${realPath}, outside the project ${realRoot}`,
      'Lock paths inside the project only, relative to its root (e.g. "src/a.ts").',
    );
  }
  return path.split(sep).join('/');
}

/** The literal part of a lock before any wildcard: a glob's directory, or the path itself. */
function staticPrefix(target: LockTarget): string {
  if (target.kind !== 'glob') return target.path;
  const segments = target.path.split('/');
  const firstGlob = segments.findIndex((segment) => GLOB_CHARS.test(segment));
  return segments.slice(0, firstGlob).join('/') || '.';
}

/** True when `path` is `scope` or lies below it; "." contains everything. */
function isWithin(path: string, scope: string): boolean {
  return scope === '.' || path === scope || path.startsWith(`${scope}/`);
}

/**
 * Whether two locks exclude each other. Glob-vs-dir and glob-vs-glob are judged by their literal
 * prefixes alone: deciding whether two patterns can match a common path is not worth the risk of
 * a wrong "no", so any shared prefix counts as a conflict.
 */
export function locksOverlap(a: LockTarget, b: LockTarget): boolean {
  if (a.kind === 'glob' && b.kind === 'file') return matchesGlob(a.path, b.path);
  if (b.kind === 'glob' && a.kind === 'file') return matchesGlob(b.path, a.path);
  if (a.kind === 'file' && b.kind === 'file') return a.path === b.path;
  const prefixA = staticPrefix(a);
  const prefixB = staticPrefix(b);
  return isWithin(prefixA, prefixB) || isWithin(prefixB, prefixA);
}

function assertGlobAcceptable(glob: string, input: string): void {
  try {
    checkGlob(glob);
  } catch (error) {
    throw new DomainError(
      'INVALID_INPUT',
      `the glob ${input} is refused (${(error as Error).message})`,
      `Use *, **, ?, [abc] and {a,b} only, at most ${MAX_GLOB_WILDCARDS} wildcards in ${MAX_GLOB_LENGTH} characters, e.g. "src/api/**".`,
    );
  }
}
