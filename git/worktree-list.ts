// Reads git's own worktree registry (`git worktree list --porcelain -z`) into plain records, and picks
// out the implementers' worktrees (branch `lockstep/<name>`).

import type { Git } from './exec.js';
import { IMPLEMENTER_BRANCH_PREFIX } from './refs.js';

export interface WorktreeInfo {
  path: string;
  /** Commit checked out; absent for a bare main repository. */
  head?: string;
  /** Full ref name (`refs/heads/…`); absent when detached or bare. */
  branch?: string;
  detached: boolean;
  locked: boolean;
  /** Its directory is gone: `git worktree prune` would drop the entry. */
  prunable: boolean;
}

export interface ImplementerWorktree extends WorktreeInfo {
  implementer: string;
  branch: string;
}

const LOCKSTEP_REF_PREFIX = `refs/heads/${IMPLEMENTER_BRANCH_PREFIX}`;

/** Parses `git worktree list --porcelain -z`: NUL-separated attribute lines, an empty one ends a record. */
function parseWorktreeList(output: string): WorktreeInfo[] {
  const worktrees: WorktreeInfo[] = [];
  let current: WorktreeInfo | undefined;
  for (const field of output.split('\0')) {
    if (field === '') {
      current = undefined;
      continue;
    }
    const space = field.indexOf(' ');
    const key = space === -1 ? field : field.slice(0, space);
    const value = space === -1 ? '' : field.slice(space + 1);
    if (key === 'worktree') {
      current = { path: value, detached: false, locked: false, prunable: false };
      worktrees.push(current);
    } else if (current) {
      if (key === 'HEAD') current.head = value;
      else if (key === 'branch') current.branch = value;
      else if (key === 'detached') current.detached = true;
      else if (key === 'locked') current.locked = true;
      else if (key === 'prunable') current.prunable = true;
    }
  }
  return worktrees;
}

/** Every worktree of the repository, the main working tree first. */
export async function listWorktrees(git: Git): Promise<WorktreeInfo[]> {
  const { stdout } = await git.run(['worktree', 'list', '--porcelain', '-z'], { readOnly: true });
  return parseWorktreeList(stdout);
}

/** The worktrees whose checked-out branch is an implementer's `lockstep/<name>`. */
export async function lockstepWorktrees(git: Git): Promise<ImplementerWorktree[]> {
  return implementerWorktreesOf(await listWorktrees(git));
}

/** The implementers' worktrees among an already listed set. */
export function implementerWorktreesOf(worktrees: readonly WorktreeInfo[]): ImplementerWorktree[] {
  const implementers: ImplementerWorktree[] = [];
  for (const worktree of worktrees) {
    const { branch } = worktree;
    if (branch?.startsWith(LOCKSTEP_REF_PREFIX)) {
      implementers.push({ ...worktree, branch, implementer: branch.slice(LOCKSTEP_REF_PREFIX.length) });
    }
  }
  return implementers;
}
