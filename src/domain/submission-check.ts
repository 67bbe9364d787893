// A worktree submission must bring something: a branch with no commit beyond the target would be
// "approved" and "landed" without changing anything (issue 9), so it is refused at submission.

import { isAncestor } from '../../git/commit-tree.js';
import { openGit } from '../../git/exec.js';
import { localBranchHead } from '../../git/target.js';
import { DomainError } from '../core/errors.js';
import type { TaskRow } from '../store/rows.js';

/** `thenPublish` completes the next step where committing is not enough (a remote implementer pushes). */
export async function assertSomethingToReview(
  root: string,
  target: string,
  task: Pick<TaskRow, 'id'>,
  worktree: { path: string; branch: string; head: string },
  thenPublish = '',
): Promise<void> {
  const git = openGit(root);
  const targetHead = await localBranchHead(git, target);
  if (targetHead === null || !(await isAncestor(git, worktree.head, targetHead))) return;
  throw new DomainError(
    'NOTHING_TO_REVIEW',
    `task ${task.id}: ${worktree.branch} has no commit beyond ${target} (its head ${worktree.head.slice(0, 12)} is already there)`,
    `Commit your work in ${worktree.path} with plain git (git add, git commit)${thenPublish}, then task_submit_for_review again.`,
    { id: task.id, branch: worktree.branch, target },
  );
}
