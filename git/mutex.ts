// Serialises mutating git operations on one repository across processes: lock files in the common git
// dir (shared by every worktree of the repository), with the generic file lock's stale-owner recovery.

import { AsyncLocalStorage } from 'node:async_hooks';
import { join } from 'node:path';
import { acquireFileLock, type FileLockOptions } from './file-lock.js';
import type { Git } from './exec.js';
import { gitCommonDir } from './project-root.js';

/**
 * `mutation` guards short git writes (worktree add/remove, ref updates, the fast-forward of a checkout).
 * `landing` is held for a whole landing, gate run included, so approvals land one at a time without
 * blocking every other agent's worktree operations while a slow gate runs.
 * Always take `landing` before `mutation`, never the reverse, so two processes cannot deadlock.
 */
export type RepositoryLockKind = 'mutation' | 'landing';

// A crashed holder is detected at once by its dead pid; the age limit only catches a live process that
// hangs, so it must exceed the longest honest hold (a gate running a test suite for the landing lock).
const LOCK_OPTIONS: Record<RepositoryLockKind, FileLockOptions> = {
  mutation: { timeoutMs: 60_000, staleAfterMs: 10 * 60_000 },
  landing: { timeoutMs: 15 * 60_000, staleAfterMs: 2 * 60 * 60_000 },
};

/** Lock files this async call chain already holds, so nested helpers do not wait on themselves. */
const heldInThisChain = new AsyncLocalStorage<ReadonlySet<string>>();

/**
 * Runs `fn` while holding the repository's `kind` lock; re-entrant within one async call chain.
 * Throws LockTimeoutError (naming the lock file and its holder) when another process keeps it too long.
 */
export async function withRepositoryLock<T>(git: Git, kind: RepositoryLockKind, fn: () => Promise<T>): Promise<T> {
  const path = join(await gitCommonDir(git), `lockstep-${kind}.lock`);
  const held = heldInThisChain.getStore() ?? new Set<string>();
  if (held.has(path)) return fn();
  const lock = await acquireFileLock(path, LOCK_OPTIONS[kind]);
  try {
    return await heldInThisChain.run(new Set([...held, path]), fn);
  } finally {
    await lock.release();
  }
}

/** Shorthand for the lock every mutating git operation takes. */
export function withRepositoryMutex<T>(git: Git, fn: () => Promise<T>): Promise<T> {
  return withRepositoryLock(git, 'mutation', fn);
}
