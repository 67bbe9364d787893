// Removes implementers' worktrees only when nothing can be lost: the branch is fully merged into the
// target and the worktree is clean, or the implementer is gone and its work is pinned by an archive ref.

import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { archiveWorktree, snapshotWorktree, type ArchiveResult } from './archive.js';
import { isAncestor, resolveCommit, resolveTree } from './commit-tree.js';
import { GitCommandError, type Git } from './exec.js';
import { withRepositoryMutex } from './mutex.js';
import { uncommittedPaths } from './status.js';
import { localBranchHead, TargetBranchNotFoundError } from './target.js';
import { implementerWorktreesOf, listWorktrees, type ImplementerWorktree } from './worktree-list.js';

export interface CleanupRequest {
  /** Branch name without `refs/heads/`: "merged" means reachable from it. */
  target: string;
  /** True when the implementer will not come back (its work may then be archived and removed). */
  isGone: (name: string) => boolean;
  /** True when the implementer is still working in it: even a merged, clean worktree then stays. */
  isInUse?: (name: string) => boolean;
  /** Only worktrees under this directory are lockstep's to remove. */
  worktreeRoot: string;
}

export interface RemovedWorktree {
  name: string;
  path: string;
  reason: 'merged' | 'archived';
  /** The archive ref that now holds the work (reason `archived`). */
  archive?: string;
  /** False when a commit reached the branch meanwhile: the branch then stays, with it. */
  branchDeleted: boolean;
}

export interface CleanupReport {
  removed: RemovedWorktree[];
  kept: { name: string; reason: string }[];
}

type Decision = { removed: RemovedWorktree } | { kept: string };

export async function cleanupWorktrees(git: Git, request: CleanupRequest): Promise<CleanupReport> {
  return withRepositoryMutex(git, async () => {
    const targetHead = await localBranchHead(git, request.target);
    if (targetHead === null) throw new TargetBranchNotFoundError(request.target);
    const root = await realpath(resolve(git.dir, request.worktreeRoot)).catch(() => resolve(git.dir, request.worktreeRoot));
    const worktrees = await listWorktrees(git);
    const [main] = worktrees;
    const report: CleanupReport = { removed: [], kept: [] };
    for (const worktree of implementerWorktreesOf(worktrees)) {
      const outside = worktree.path === main?.path || !isInside(root, worktree.path);
      const decision = outside ? { kept: 'not under the worktree root' } : await decide(git, worktree, targetHead, request);
      if ('removed' in decision) report.removed.push(decision.removed);
      else report.kept.push({ name: worktree.implementer, reason: decision.kept });
    }
    await git.run(['worktree', 'prune']);
    return report;
  });
}

async function decide(git: Git, worktree: ImplementerWorktree, targetHead: string, request: CleanupRequest): Promise<Decision> {
  const name = worktree.implementer;
  if (worktree.locked) return { kept: 'locked with git worktree lock' };
  const head = await localBranchHead(git, shortBranch(worktree));
  if (head === null) return { kept: 'its branch vanished' };
  const dirty = !worktree.prunable && (await uncommittedPaths(git.at(worktree.path))).length > 0;
  const merged = await isAncestor(git, head, targetHead);
  if (merged && !dirty) {
    if (request.isInUse?.(name)) return { kept: 'merged, but its implementer is still working in it' };
    return remove(git, worktree, head, { force: false, reason: 'merged' });
  }
  if (!request.isGone(name)) return { kept: merged ? 'uncommitted changes' : 'not merged into the target' };
  const archive = await archiveWorktree(git, {
    name,
    branch: shortBranch(worktree),
    worktreePath: worktree.prunable ? undefined : worktree.path,
  });
  const problem = await archiveProblem(git, worktree, head, archive);
  if (problem !== undefined) return { kept: `${problem}; archived as ${archive.ref} but kept` };
  return remove(git, worktree, head, { force: dirty, reason: 'archived', archive: archive.ref });
}

/** Re-reads the archive before anything is deleted: the ref must exist and hold the head and current files. */
async function archiveProblem(git: Git, worktree: ImplementerWorktree, head: string, archive: ArchiveResult): Promise<string | undefined> {
  if ((await resolveCommit(git, archive.ref)) !== archive.commit) return 'the archive ref did not stick';
  if (!(await isAncestor(git, head, archive.commit))) return 'the archive does not contain the branch head';
  if (worktree.prunable) return undefined;
  const now = await snapshotWorktree(git.at(worktree.path));
  const archived = await resolveTree(git, archive.commit);
  return now.tree === archived && now.head === head ? undefined : 'the worktree changed while it was being archived';
}

async function remove(
  git: Git,
  worktree: ImplementerWorktree,
  head: string,
  how: { force: boolean; reason: RemovedWorktree['reason']; archive?: string },
): Promise<Decision> {
  if (!worktree.prunable) {
    try {
      await git.run(['worktree', 'remove', ...(how.force ? ['--force'] : []), '--', worktree.path]);
    } catch (error) {
      // An implementer still writing there makes git refuse a clean removal: then it stays.
      if (error instanceof GitCommandError) return { kept: `git refused to remove it: ${error.stderr.trim()}` };
      throw error;
    }
  }
  const branchDeleted = await deleteBranch(git, worktree.branch, head);
  const removed: RemovedWorktree = { name: worktree.implementer, path: worktree.path, reason: how.reason, branchDeleted };
  if (how.archive) removed.archive = how.archive;
  return { removed };
}

/**
 * Deletes the branch only while it still points at the head that was found merged or archived; if a
 * commit arrived meanwhile the branch survives (with its new commit) rather than losing it.
 */
async function deleteBranch(git: Git, ref: string, head: string): Promise<boolean> {
  const result = await git.run(['update-ref', '-m', 'lockstep: cleanup', '-d', ref, head], { okExitCodes: [0, 1, 128] });
  return result.exitCode === 0;
}

function shortBranch(worktree: ImplementerWorktree): string {
  return worktree.branch.slice('refs/heads/'.length);
}

function isInside(root: string, path: string): boolean {
  const inside = relative(root, path);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside);
}
