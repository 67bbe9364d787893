// Gives an implementer its own worktree on branch `lockstep/<name>`: created from the target (or a
// given base), or resumed with its commits and uncommitted files intact. Nothing is ever forced or reset.

import { mkdir, readdir, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { resolveCommit } from './commit-tree.js';
import type { Git } from './exec.js';
import { excludeFromMainCheckout } from './exclude.js';
import { implementerBranch, implementerNameProblem } from './refs.js';
import type { Repository } from './repository.js';
import { branchRef, localBranchHead, requireBranchHead } from './target.js';
import type { WorktreeInfo } from './worktree-list.js';

// The registry readers live in worktree-list.ts (target.ts needs them too); this is their public face.
export { listWorktrees, lockstepWorktrees } from './worktree-list.js';
export type { ImplementerWorktree, WorktreeInfo } from './worktree-list.js';

export class InvalidNameError extends Error {
  constructor(
    readonly implementer: string,
    readonly problem: string,
  ) {
    super(`"${implementer}" cannot name an implementer: ${problem}`);
    this.name = 'InvalidNameError';
  }
}

/** The worktree cannot be made without destroying something that is already there. */
export class WorktreeBlockedError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`cannot use ${path} as a worktree: ${reason}; nothing was changed`);
    this.name = 'WorktreeBlockedError';
  }
}

export class BaseNotFoundError extends Error {
  constructor(readonly base: string) {
    super(`base "${base}" is not a commit, branch or tag of this repository`);
    this.name = 'BaseNotFoundError';
  }
}

export interface EnsureWorktreeOptions {
  name: string;
  /** Directory holding every implementer's worktree; the worktree itself is `<worktreeRoot>/<name>`. */
  worktreeRoot: string;
  /** Commit-ish a NEW branch starts from; default the target branch. Ignored when resuming. */
  base?: string;
}

export interface EnsuredWorktree {
  path: string;
  branch: string;
  created: boolean;
  resumed: boolean;
  head: string;
}

/** Throws InvalidNameError unless `name` is safe as a branch and directory name. */
export function assertImplementerName(name: string): void {
  const problem = implementerNameProblem(name);
  if (problem) throw new InvalidNameError(name, problem);
}

/** Call it holding the repository mutex, with `repo` read under it: the listing decides what to create. */
export async function ensureWorktree(repo: Repository, options: EnsureWorktreeOptions): Promise<EnsuredWorktree> {
  assertImplementerName(options.name);
  const { git, worktrees } = repo;
  const branch = implementerBranch(options.name);
  const root = await prepareRoot(git, options.worktreeRoot, worktrees[0]);
  const path = join(root, options.name);

  const registered = worktrees.find((worktree) => worktree.branch === branchRef(branch));
  if (registered && registered === worktrees[0]) {
    throw new WorktreeBlockedError(registered.path, `${branch} is checked out in the main working tree`);
  }
  if (registered && !registered.prunable) {
    // It may sit under an earlier worktree root: the work is where it is, so that is the answer.
    return { path: registered.path, branch, created: false, resumed: true, head: await requireBranchHead(git, branch) };
  }
  if (registered) await git.run(['worktree', 'prune']);

  await refuseOccupied(path, worktrees.filter((worktree) => !worktree.prunable));
  const existingHead = await localBranchHead(git, branch);
  if (existingHead) {
    await git.run(['worktree', 'add', '--end-of-options', path, branch]);
    return { path, branch, created: false, resumed: true, head: existingHead };
  }
  const start = await startCommit(git, options.base ?? repo.target);
  await git.run(['worktree', 'add', '-b', branch, '--end-of-options', path, start]);
  return { path, branch, created: true, resumed: false, head: start };
}

async function prepareRoot(git: Git, worktreeRoot: string, main: WorktreeInfo | undefined): Promise<string> {
  await mkdir(resolve(git.dir, worktreeRoot), { recursive: true });
  const root = await realpath(resolve(git.dir, worktreeRoot));
  if (main && !main.prunable && main.head !== undefined) {
    const mainTree = await realpath(main.path);
    const inside = relative(mainTree, root);
    if (inside === '') throw new WorktreeBlockedError(root, 'the worktree root cannot be the main working tree itself');
    if (!inside.startsWith('..') && !isAbsolute(inside)) await excludeFromMainCheckout(git, inside);
  }
  return root;
}

/** Refuses a path that holds anything: another worktree, or a directory with files in it. */
async function refuseOccupied(path: string, worktrees: WorktreeInfo[]): Promise<void> {
  const other = worktrees.find((worktree) => worktree.path === path);
  if (other) {
    throw new WorktreeBlockedError(path, `it is already the worktree of ${other.branch ?? 'a detached HEAD'}`);
  }
  const entries = await readdir(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw new WorktreeBlockedError(path, `it exists and is not a usable directory (${error.code})`);
  });
  if (entries.length > 0) throw new WorktreeBlockedError(path, 'the directory exists and is not empty');
}

async function startCommit(git: Git, startPoint: string): Promise<string> {
  // No commit-ish starts with "-"; refusing here keeps it from ever reaching git as an option.
  if (startPoint.startsWith('-')) throw new BaseNotFoundError(startPoint);
  const commit = await resolveCommit(git, startPoint);
  if (commit === undefined) throw new BaseNotFoundError(startPoint);
  return commit;
}
