// What a lock covers: agent-given paths turned into one repo-relative POSIX form, and the overlap test
// that decides whether two locks exclude each other. Only resolveLockTarget touches the filesystem.

import { realpathSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { LockKind } from '../core/vocabulary.js';
import { DomainError } from '../core/errors.js';

export interface LockTarget {
  /** Repo-relative POSIX path; "." is the whole project. */
  path: string;
  kind: LockKind;
}

const GLOB_CHARS = /[*?[\]{}]/;
/** Brace expansion multiplies patterns; a cap keeps one agent's pattern from costing seconds. */
const MAX_BRACE_EXPANSIONS = 256;

/**
 * Resolves what an agent asked to lock against the project root. Symlinks of the existing part are
 * resolved so an alias inside the repo maps to the same lock, and so a link pointing outside is refused.
 */
export function resolveLockTarget(root: string, input: string): LockTarget {
  if (input.trim() === '') {
    throw new DomainError('INVALID_INPUT', 'the lock path is empty', 'Name a file, a directory or a glob; lock "." to lock the whole project.');
  }
  const realRoot = realpathSync(root);
  const slashed = input.replaceAll(sep, '/');
  const segments = slashed.split('/');
  const firstGlob = segments.findIndex((segment) => GLOB_CHARS.test(segment));
  const literal = resolve(realRoot, slashed);
  // A literal path that exists wins over a glob reading: `app/[id]/page.tsx` is a real file in many repos.
  if (firstGlob === -1 || exists(literal)) {
    const path = repoRelative(realRoot, realpathOfNearest(literal), input);
    const kind: LockKind = path === '.' || slashed.endsWith('/') || isDirectory(literal) ? 'dir' : 'file';
    return { path, kind };
  }
  const prefixInput = segments.slice(0, firstGlob).join('/') || (slashed.startsWith('/') ? '/' : '.');
  const prefix = repoRelative(realRoot, realpathOfNearest(resolve(realRoot, prefixInput)), input);
  const pattern = segments.slice(firstGlob).filter((segment) => segment !== '' && segment !== '.');
  if (pattern.includes('..')) {
    throw new DomainError('INVALID_INPUT', `the glob ${input} uses ".." after a wildcard`, 'Write the glob relative to the project root without "..".');
  }
  const path = [...(prefix === '.' ? [] : [prefix]), ...pattern].join('/');
  assertGlobCompiles(path, input);
  return { path, kind: 'glob' };
}

function exists(path: string): boolean {
  return statIfPresent(path) !== undefined;
}

function isDirectory(path: string): boolean {
  return statIfPresent(path)?.isDirectory() ?? false;
}

/** A name too long to exist is absent, not a failure: the write that follows reports NAME_TOO_LONG. */
function statIfPresent(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENAMETOOLONG') return undefined;
    throw error;
  }
}

/** realpath of the nearest existing ancestor, with the not-yet-existing rest appended. */
function realpathOfNearest(absolute: string): string {
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      return resolve(realpathSync(current), ...missing.reverse());
    } catch {
      const parent = resolve(current, '..');
      if (parent === current) return absolute;
      missing.push(relative(parent, current));
      current = parent;
    }
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

/** Segment-aware glob match: `*`, `?` and `[...]` stay inside one segment, `**` spans segments, `{a,b}` alternates. */
export function matchesGlob(glob: string, path: string): boolean {
  return expandBraces(glob).some((pattern) => globRegExp(pattern).test(path));
}

function assertGlobCompiles(glob: string, input: string): void {
  try {
    matchesGlob(glob, '');
  } catch (error) {
    throw new DomainError('INVALID_INPUT', `the glob ${input} is malformed (${(error as Error).message})`, 'Use *, **, ?, [abc] and {a,b} only, e.g. "src/api/**".');
  }
}

export function expandBraces(glob: string): string[] {
  const results: string[] = [];
  const pending = [glob];
  while (pending.length > 0) {
    const pattern = pending.pop()!;
    const group = firstBraceGroup(pattern);
    if (!group) {
      results.push(pattern);
    } else {
      for (const option of group.options) pending.push(pattern.slice(0, group.start) + option + pattern.slice(group.end + 1));
    }
    if (results.length + pending.length > MAX_BRACE_EXPANSIONS) throw new Error(`more than ${MAX_BRACE_EXPANSIONS} alternatives`);
  }
  return results;
}

/** The first `{...}` holding a top-level comma; braces without one are literal characters. */
function firstBraceGroup(pattern: string): { start: number; end: number; options: string[] } | undefined {
  for (let start = pattern.indexOf('{'); start !== -1; start = pattern.indexOf('{', start + 1)) {
    let depth = 0;
    const commas: number[] = [];
    for (let index = start; index < pattern.length; index++) {
      const char = pattern[index];
      if (char === '{') depth++;
      else if (char === ',' && depth === 1) commas.push(index);
      else if (char === '}' && --depth === 0) {
        if (commas.length === 0) break;
        const bounds = [start, ...commas, index];
        return { start, end: index, options: bounds.slice(1).map((bound, i) => pattern.slice(bounds[i]! + 1, bound)) };
      }
    }
  }
  return undefined;
}

function globRegExp(glob: string): RegExp {
  // Consecutive globstars mean the same as one.
  const segments = glob.split('/').filter((segment, index, all) => segment !== '**' || all[index - 1] !== '**');
  let source = '';
  let slashNeeded = false;
  segments.forEach((segment, index) => {
    if (segment !== '**') {
      source += (slashNeeded ? '/' : '') + segmentSource(segment);
      slashNeeded = true;
    } else if (index > 0) {
      source += '(?:/[^/]+)*'; // any number of whole segments below, including none
    } else {
      // A leading globstar supplies its own trailing slash (or, alone, matches anything).
      source += segments.length === 1 ? '.*' : '(?:[^/]+/)*';
    }
  });
  return new RegExp(`^${source}$`);
}

function segmentSource(segment: string): string {
  let source = '';
  for (let index = 0; index < segment.length; index++) {
    const char = segment[index]!;
    if (char === '*') {
      source += '[^/]*';
      while (segment[index + 1] === '*') index++;
    } else if (char === '?') {
      source += '[^/]';
    } else if (char === '[' && segment.indexOf(']', index + 2) !== -1) {
      const close = segment.indexOf(']', index + 2);
      const body = segment.slice(index + 1, close);
      const negated = body.startsWith('!') || body.startsWith('^');
      const members = (negated ? body.slice(1) : body).replaceAll('\\', '\\\\');
      source += negated ? `[^${members}/]` : `[${members}]`;
      index = close;
    } else {
      source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return source;
}
