// Commits that the git manager makes itself (landing merges, archive snapshots): written as objects with
// `commit-tree`, so no index, checkout or branch is touched until the caller moves a ref on purpose.

import { GitCommandError, type Git } from './exec.js';

/** Used only when the repository has no identity configured, so landing never fails for want of one. */
const FALLBACK_IDENTITY = {
  GIT_AUTHOR_NAME: 'lockstep-mcp',
  GIT_AUTHOR_EMAIL: 'lockstep-mcp@localhost',
  GIT_COMMITTER_NAME: 'lockstep-mcp',
  GIT_COMMITTER_EMAIL: 'lockstep-mcp@localhost',
};

const MISSING_IDENTITY = /identity unknown|unable to auto-detect email|empty ident name/i;

export async function commitTree(git: Git, tree: string, parents: readonly string[], message: string): Promise<string> {
  const args = ['commit-tree', tree, ...parents.flatMap((parent) => ['-p', parent]), '-m', message];
  try {
    return (await git.run(args, { trim: true })).stdout;
  } catch (error) {
    if (!(error instanceof GitCommandError) || !MISSING_IDENTITY.test(error.stderr)) throw error;
    return (await git.run(args, { trim: true, env: FALLBACK_IDENTITY })).stdout;
  }
}

/** The commit id that `revision` names, or undefined when it names no commit. */
export async function resolveCommit(git: Git, revision: string): Promise<string | undefined> {
  const result = await git.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`], {
    okExitCodes: [0, 1],
    readOnly: true,
    trim: true,
  });
  return result.exitCode === 0 ? result.stdout : undefined;
}

/** The best common ancestor of two commits, or undefined for unrelated histories. */
export async function mergeBase(git: Git, a: string, b: string): Promise<string | undefined> {
  const result = await git.run(['merge-base', '--end-of-options', a, b], { okExitCodes: [0, 1], readOnly: true, trim: true });
  return result.exitCode === 0 ? result.stdout : undefined;
}

export async function isAncestor(git: Git, ancestor: string, descendant: string): Promise<boolean> {
  const result = await git.run(['merge-base', '--is-ancestor', ancestor, descendant], { okExitCodes: [0, 1], readOnly: true });
  return result.exitCode === 0;
}

export async function resolveTree(git: Git, commit: string): Promise<string> {
  return (await git.run(['rev-parse', '--verify', '--end-of-options', `${commit}^{tree}`], { readOnly: true, trim: true })).stdout;
}
