// Which local branch implementers' work lands on: configured, else whatever the main checkout has out,
// else the repository's default. Never a hard-coded `main`, and no remote is needed.

import type { Git } from './exec.js';
import { readBranchRefInProcess } from './ref-read.js';
import type { WorktreeInfo } from './worktree-list.js';

export class TargetBranchNotFoundError extends Error {
  constructor(readonly branch: string | undefined) {
    super(
      branch === undefined
        ? 'no target branch: the main checkout is detached and neither init.defaultBranch, main nor master exists'
        : `target branch "${branch}" does not exist in this repository`,
    );
    this.name = 'TargetBranchNotFoundError';
  }
}

export class BranchNotFoundError extends Error {
  constructor(readonly branch: string) {
    super(`branch "${branch}" does not exist in this repository`);
    this.name = 'BranchNotFoundError';
  }
}

/** Full ref of a local branch given by short name (`lockstep/ada`) or already as `refs/heads/…`. */
export function branchRef(branch: string): string {
  return branch.startsWith('refs/heads/') ? branch : `refs/heads/${branch}`;
}

/**
 * The commit a local branch points at, or null if there is no such branch. Only a real branch answers:
 * revision syntax (`main~1`, `main@{0}`, `HEAD`) names a commit, not a branch that could be moved.
 */
export async function localBranchHead(git: Git, branch: string): Promise<string | null> {
  const ref = branchRef(branch);
  const inProcess = await readBranchRefInProcess(git, ref);
  if (inProcess !== undefined) return inProcess;
  // for-each-ref takes the name as a ref, never as revision syntax (no option either: it starts with
  // refs/heads/); it also lists refs below it, so only the exact name counts.
  const { stdout } = await git.run(['for-each-ref', '--format=%(objectname) %(refname)', ref], { readOnly: true });
  const line = stdout.split('\n').find((entry) => entry.endsWith(` ${ref}`));
  return line ? line.slice(0, line.indexOf(' ')) : null;
}

export async function requireBranchHead(git: Git, branch: string): Promise<string> {
  const head = await localBranchHead(git, branch);
  if (!head) throw new BranchNotFoundError(branch);
  return head;
}

/** Where `commit` (a branch head) forked from `target`: what its diff and diff stat are measured against. */
export async function mergeBaseWithTarget(git: Git, target: string, commit: string): Promise<string> {
  const { stdout } = await git.run(['merge-base', '--end-of-options', branchRef(target), commit], {
    readOnly: true,
  });
  return stdout.trim();
}

/** `worktrees` is the repository's listing, main working tree first (see readRepository). */
export async function resolveTargetBranch(git: Git, worktrees: readonly WorktreeInfo[], configured?: string): Promise<string> {
  if (configured !== undefined) {
    if (await localBranchHead(git, configured)) return configured;
    throw new TargetBranchNotFoundError(configured);
  }
  const [main] = worktrees;
  const checkedOut = main?.branch?.startsWith('refs/heads/') ? main.branch.slice('refs/heads/'.length) : undefined;
  // An unborn branch (fresh `git init`) is listed too; it only counts once it has a commit.
  if (checkedOut && (await localBranchHead(git, checkedOut))) return checkedOut;
  for (const candidate of [await configuredDefaultBranch(git), 'main', 'master']) {
    if (candidate && (await localBranchHead(git, candidate))) return candidate;
  }
  throw new TargetBranchNotFoundError(undefined);
}

async function configuredDefaultBranch(git: Git): Promise<string | undefined> {
  const { exitCode, stdout } = await git.run(['config', '--get', 'init.defaultBranch'], {
    readOnly: true,
    okExitCodes: [0, 1],
  });
  return exitCode === 0 ? stdout.trim() || undefined : undefined;
}
