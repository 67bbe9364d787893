// One call's view of a repository, read once and handed down as a value: the git handle, the branch
// approved work lands on and git's worktree registry. Layers that each re-derived these ran the same
// `git worktree list` up to five times per approval and could disagree on the target.

import type { Git } from './exec.js';
import { resolveTargetBranch } from './target.js';
import { listWorktrees, type WorktreeInfo } from './worktree-list.js';

export interface Repository {
  readonly git: Git;
  /** Local branch (short name) work lands on and new worktrees start from. */
  readonly target: string;
  /** Every worktree, the main working tree first, as listed when the call began. */
  readonly worktrees: readonly WorktreeInfo[];
}

/** Lists the worktrees once and resolves the target from that listing (`configuredTarget` first). */
export async function readRepository(git: Git, configuredTarget?: string): Promise<Repository> {
  const worktrees = await listWorktrees(git);
  return { git, target: await resolveTargetBranch(git, worktrees, configuredTarget), worktrees };
}
