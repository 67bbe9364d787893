// A commit checked out in a throwaway linked worktree (detached), for commands that must run on exactly
// that commit: the landing gate on a merge result, the verify command on a fetched implementer branch.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Git } from './exec.js';
import { withRepositoryMutex } from './mutex.js';
import { isPidAlive } from './pid.js';
import { listWorktrees, type WorktreeInfo } from './worktree-list.js';

/** Runs `work` in a fresh checkout of `commit` (a temp directory named `<prefix>…`), removed afterwards. */
export async function withTemporaryCheckout<T>(git: Git, commit: string, prefix: string, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await withRepositoryMutex(git, () => addCheckout(git, commit, prefix));
  try {
    return await work(dir);
  } finally {
    await withRepositoryMutex(git, () => removeCheckout(git, dir));
  }
}

async function addCheckout(git: Git, commit: string, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    await git.run(['worktree', 'add', '--detach', '--quiet', dir, commit]);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return dir;
}

/** The checkout holds nothing worth keeping (a detached commit and build output). */
async function removeCheckout(git: Git, dir: string): Promise<void> {
  await git.run(['worktree', 'remove', '--force', dir], { okExitCodes: [0, 128] });
  await rm(dir, { recursive: true, force: true });
  await git.run(['worktree', 'prune']);
}

/** Removes checkouts named `<prefix>…` that a killed process left behind; the caller knows none is in use. */
export async function removeAbandonedCheckouts(git: Git, worktrees: readonly WorktreeInfo[], prefix: string): Promise<void> {
  const abandoned = worktrees.filter((worktree) => basename(worktree.path).startsWith(prefix) && worktree.detached);
  if (abandoned.length === 0) return;
  await withRepositoryMutex(git, async () => {
    for (const worktree of abandoned) await removeCheckout(git, worktree.path);
  });
}

/**
 * For checkouts that several calls may hold at once (verify runs of concurrent submissions): each is
 * named after this process (`<prefix><pid>-…`), and one whose process has ended was left by a kill,
 * so it is removed before a new one is made. Checkouts live in this host's temp directory, so the
 * pid is judged here.
 */
export async function withOwnedTemporaryCheckout<T>(git: Git, commit: string, prefix: string, work: (dir: string) => Promise<T>): Promise<T> {
  const left = (await listWorktrees(git)).filter((worktree) => {
    const pid = Number(/^(\d+)-/.exec(basename(worktree.path).slice(prefix.length))?.[1]);
    return basename(worktree.path).startsWith(prefix) && Number.isInteger(pid) && pid > 0 && !isPidAlive(pid);
  });
  await removeAbandonedCheckouts(git, left, prefix);
  return withTemporaryCheckout(git, commit, `${prefix}${process.pid}-`, work);
}
