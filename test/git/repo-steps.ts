// Steps the git-manager tests share: an implementer committing in its worktree, and a snapshot of
// everything a read-only operation must leave alone.

import { git, writeTree } from '../../fixtures/git.js';
import type { FileTree } from '../../fixtures/git.js';

/** Writes `files` in `dir` and commits them there, as an agent working in its worktree would. */
export function commitFiles(dir: string, files: FileTree, message = 'work'): string {
  writeTree(dir, files);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '--quiet', '-m', message]);
  return git(dir, ['rev-parse', 'HEAD']);
}

/** HEAD, every ref and the porcelain status of each checkout: equal before and after = nothing touched. */
export function repositoryState(checkouts: string[]): string[] {
  return [
    git(checkouts[0]!, ['for-each-ref', '--format=%(refname) %(objectname)']),
    ...checkouts.flatMap((dir) => [git(dir, ['rev-parse', 'HEAD']), git(dir, ['status', '--porcelain=v1', '--untracked-files=all'])]),
  ];
}
