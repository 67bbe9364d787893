// Builds branches with commits in a test repository without touching its main checkout: each commit is
// made in a short-lived linked worktree, the way an implementer would make it.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { git, makeTempDir, writeTree, type FileTree } from '../../fixtures/git.js';

/** Commits `files` on `branch` (created from `from`, default HEAD, if missing) and returns the new head. */
export function commitOnBranch(repo: string, branch: string, files: FileTree, from = 'HEAD'): string {
  const dir = join(makeTempDir('lockstep-branch-'), 'wt');
  const exists = git(repo, ['branch', '--list', branch]) !== '';
  git(repo, ['worktree', 'add', '-q', ...(exists ? [dir, branch] : ['-b', branch, dir, from])]);
  writeTree(dir, files);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', `${branch}: ${Object.keys(files).join(', ')}`]);
  git(repo, ['worktree', 'remove', dir]);
  return git(repo, ['rev-parse', branch]);
}

export function head(repo: string, ref = 'HEAD'): string {
  return git(repo, ['rev-parse', ref]);
}

export function hasMergeHead(repo: string): boolean {
  return existsSync(join(git(repo, ['rev-parse', '--path-format=absolute', '--git-dir']), 'MERGE_HEAD'));
}
