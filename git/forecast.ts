// Conflict forecasts with `git merge-tree --write-tree`: the merge is computed in the object database
// only, so no checkout, index or ref changes — safe to run against a human's repository at any time.

import type { Git } from './exec.js';
import { branchRef } from './target.js';

export interface MergeForecast {
  clean: boolean;
  /** Paths that would conflict, each once. */
  conflicts: string[];
  /** The merged tree (with conflict markers where unclean), already written to the object database. */
  tree: string;
}

export interface BranchConflict {
  branch: string;
  conflicts: string[];
}

/** Parses `merge-tree --write-tree --name-only -z --no-messages`: the tree, then conflicted paths. */
export function parseMergeTree(output: string): Omit<MergeForecast, 'clean'> {
  const [tree = '', ...paths] = output.split('\0').filter((field) => field !== '');
  return { tree, conflicts: [...new Set(paths)] };
}

/** Would merging `theirs` into `ours` (both commit-ish: branch names or commits) conflict, and where. */
export async function forecastMerge(git: Git, revisions: { ours: string; theirs: string }): Promise<MergeForecast> {
  const { exitCode, stdout } = await git.run(
    ['merge-tree', '--write-tree', '--name-only', '-z', '--no-messages', '--end-of-options', revisions.ours, revisions.theirs],
    // Exit 1 is git's answer "conflicts", not a failure; anything else (unrelated histories…) throws.
    { readOnly: true, okExitCodes: [0, 1] },
  );
  return { clean: exitCode === 0, ...parseMergeTree(stdout) };
}

const PARALLEL_FORECASTS = 8;

/** A local branch by short name, or any full ref (`refs/lockstep-remote/<name>`, a fetched branch) as is. */
function fullRef(name: string): string {
  return name.startsWith('refs/') ? name : branchRef(name);
}

/** The branches (or full refs) among `others` that `branch` would conflict with, and on which files. */
export async function forecastAgainstBranches(git: Git, branch: string, others: readonly string[]): Promise<BranchConflict[]> {
  const candidates = others.filter((other) => fullRef(other) !== fullRef(branch));
  const forecasts: Array<BranchConflict | null> = new Array(candidates.length).fill(null);
  let next = 0;
  // A small pool: one merge-tree process per branch, but never dozens at once on a busy machine.
  const worker = async () => {
    for (let index = next++; index < candidates.length; index = next++) {
      const other = candidates[index]!;
      const forecast = await forecastMerge(git, { ours: fullRef(branch), theirs: fullRef(other) });
      if (!forecast.clean) forecasts[index] = { branch: other, conflicts: forecast.conflicts };
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_FORECASTS, candidates.length) }, worker));
  return forecasts.filter((forecast): forecast is BranchConflict => forecast !== null);
}
