// A cross-process exclusive lock held as a file, with stale-owner recovery: a lock whose process died
// on this host, or that is older than any transaction should take, is broken. The file is born with
// its owner record (written to a temp file, then hard-linked into place), so whatever instant its
// holder is killed at, the lock it leaves names a dead pid and is broken at the next attempt.
// It knows neither the store nor git (both use it): giving up is its own error, which each translates.

import { randomUUID } from 'node:crypto';
// Lock files hold a few dozen bytes: synchronous calls take microseconds, where each trip through
// libuv's thread pool cost a store transaction about a tenth of a millisecond.
import { linkSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { isPidAlive } from './pid.js';
import { removeDeadWritersTemps, writerTempPath } from './writer-temps.js';

export interface FileLockOptions {
  /** Give up with LockTimeoutError after waiting this long. */
  timeoutMs: number;
  /** A lock older than this is presumed abandoned even if its process still seems alive. */
  staleAfterMs: number;
  /** The longest pause between attempts (default 40 ms); locks held for a millisecond want a few. */
  longestPauseMs?: number;
}

/** The lock stayed held by someone else for the whole wait. */
export class LockTimeoutError extends Error {
  constructor(
    readonly lockFile: string,
    readonly timeoutMs: number,
    /** Who held it, when the lock file said so. */
    readonly holder?: { pid: number; host: string },
  ) {
    super(`the lock ${lockFile} stayed held${holder ? ` by pid ${holder.pid} on ${holder.host}` : ''} for ${timeoutMs} ms`);
    this.name = 'LockTimeoutError';
  }
}

export const DEFAULT_LOCK_OPTIONS: FileLockOptions = { timeoutMs: 10_000, staleAfterMs: 30_000 };

/** A breaker holds its guard for microseconds, so an older guard was left by a crash. */
const BREAK_GUARD_STALE_MS = 5_000;
/**
 * A lock file without a readable owner was left by an older version that created the file first and
 * wrote its owner afterwards (killed in between), or was damaged: nobody is about to finish writing it.
 */
const UNREADABLE_STALE_MS = 2_000;

/** Lock files whose dead writers' temp files this process already swept. */
const swept = new Set<string>();

interface LockOwner {
  pid: number;
  host: string;
  acquiredAt: number;
  nonce: string;
}

/** What a waiter saw in the lock file: its raw text identifies this exact lock instance. */
interface Holder {
  raw: string;
  owner?: LockOwner;
  ageMs: number;
}

export interface HeldLock {
  /** False once someone broke this lock as stale; writing then would race the new holder. */
  stillHeld(): Promise<boolean>;
  release(): Promise<void>;
}

export async function acquireFileLock(path: string, options: FileLockOptions = DEFAULT_LOCK_OPTIONS): Promise<HeldLock> {
  const deadline = Date.now() + options.timeoutMs;
  if (!swept.has(path)) sweepDeadWritersTemps(path);
  for (let attempt = 0; ; attempt++) {
    const owner = newOwner();
    if (await createWithContent(path, JSON.stringify(owner))) return heldLock(path, owner.nonce);
    const holder = await readHolder(path);
    if (!holder) continue; // released between our attempt and the read: try again at once
    if (isStale(holder, options.staleAfterMs) && (await breakStaleLock(path, holder))) {
      sweepDeadWritersTemps(path); // a dead holder may have died before removing its temp file
      continue;
    }
    if (Date.now() >= deadline) throw timeoutError(path, holder, options.timeoutMs);
    await sleep(backoffMs(attempt, options.longestPauseMs ?? 40));
  }
}

function newOwner(): LockOwner {
  return { pid: process.pid, host: hostname(), acquiredAt: Date.now(), nonce: randomUUID() };
}

function heldLock(path: string, nonce: string): HeldLock {
  const stillHeld = async () => (await readHolder(path))?.owner?.nonce === nonce;
  return {
    stillHeld,
    async release() {
      // Only remove our own lock: if ours was broken as stale, the file now belongs to someone else.
      if (await stillHeld()) await unlinkIfPresent(path);
    },
  };
}

/**
 * Creates `path` holding `content` unless it exists. link() fails with EEXIST like O_EXCL does, and
 * the file it creates already holds the whole content: there is no instant at which it is empty.
 */
async function createWithContent(path: string, content: string): Promise<boolean> {
  const temp = writerTempPath(path);
  writeFileSync(temp, content, { flag: 'wx' });
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlinkIfPresent(temp);
  }
}

function sweepDeadWritersTemps(path: string): void {
  removeDeadWritersTemps(path);
  removeDeadWritersTemps(guardPath(path));
  swept.add(path);
}

function guardPath(path: string): string {
  return `${path}.break`;
}

async function readHolder(path: string): Promise<Holder | undefined> {
  try {
    const raw = readFileSync(path, 'utf8');
    const owner = parseOwner(raw);
    // A lock without a readable owner (an older version's, or damaged) can only be judged by its mtime.
    const ageMs = Date.now() - (owner?.acquiredAt ?? statSync(path).mtimeMs);
    return { raw, owner, ageMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseOwner(raw: string): LockOwner | undefined {
  try {
    const value = JSON.parse(raw) as Partial<LockOwner>;
    const valid =
      typeof value.pid === 'number' &&
      typeof value.host === 'string' &&
      typeof value.acquiredAt === 'number' &&
      typeof value.nonce === 'string';
    return valid ? (value as LockOwner) : undefined;
  } catch {
    return undefined;
  }
}

function isStale(holder: Holder, staleAfterMs: number): boolean {
  const owner = holder.owner;
  if (!owner) return holder.ageMs > UNREADABLE_STALE_MS;
  return holder.ageMs > staleAfterMs || (owner.host === hostname() && !isPidAlive(owner.pid));
}

/**
 * Removes a stale lock so that two breakers can never both win: a breaker first takes an exclusive
 * guard file, then removes the lock only if it still holds the very instance it judged stale (a fresh
 * lock taken meanwhile by someone else has another nonce and survives).
 */
async function breakStaleLock(path: string, stale: Holder): Promise<boolean> {
  const guard = guardPath(path);
  if (!(await createWithContent(guard, JSON.stringify(newOwner())))) {
    await removeAbandonedGuard(guard);
    return false;
  }
  try {
    const current = await readHolder(path);
    if (current?.raw !== stale.raw) return current === undefined;
    await unlinkIfPresent(path);
    return true;
  } finally {
    await unlinkIfPresent(guard);
  }
}

/** A guard whose breaker died (or hung) would stop every later breaker: remove it. */
async function removeAbandonedGuard(guard: string): Promise<void> {
  const holder = await readHolder(guard);
  if (holder && isStale(holder, BREAK_GUARD_STALE_MS)) await unlinkIfPresent(guard);
}

async function unlinkIfPresent(path: string): Promise<void> {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Randomised and growing, so that many waiting processes do not retry in lockstep. */
function backoffMs(attempt: number, longest: number): number {
  const ceiling = Math.min(longest, 2 ** Math.min(attempt, 6));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

function timeoutError(path: string, holder: Holder, timeoutMs: number): LockTimeoutError {
  const owner = holder.owner;
  return new LockTimeoutError(path, timeoutMs, owner && { pid: owner.pid, host: owner.host });
}

