// Landing cost on a generated repository of about 20,000 files: landCommit (merge-tree + commit-tree,
// then a fast-forward of the checked-out target) beside plain `git merge --no-edit` of the same
// branches in a clone, both applying the same sequence of merges.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { git, HERMETIC_GIT_ENV, makeRepo, makeTempDir } from '../../fixtures/git.js';
import { openGit } from '../../git/exec.js';
import { readRepository } from '../../git/repository.js';
import { landCommit } from '../../git/land.js';
import { commitFiles } from '../git/repo-steps.js';
import { format, median, row, timeAsync } from './stats.js';

const RUNS = Number(process.env.BENCH_GIT_RUNS ?? 5);
const FILES = Number(process.env.BENCH_GIT_FILES ?? 20_000);
const TARGET = 'master';

const execFileAsync = promisify(execFile);

function generatedRepo(): string {
  const files = Object.fromEntries(
    Array.from({ length: FILES }, (_, i) => [`src/d${Math.floor(i / 100)}/f${i % 100}.ts`, `export const value${i} = ${i};\n`]),
  );
  return makeRepo(files, { defaultBranch: TARGET });
}

/**
 * RUNS small branches forked from the target, then a target commit so every landing is a real merge.
 * One worktree makes them all: a checkout of 20,000 files per branch would dominate the setup.
 */
function prepareBranches(repo: string): string[] {
  const worktree = join(makeTempDir('lockstep-bench-branches-'), 'wt');
  git(repo, ['worktree', 'add', '--quiet', '--detach', worktree, TARGET]);
  const branches = Array.from({ length: RUNS }, (_, run) => {
    git(worktree, ['switch', '--quiet', '-c', `lockstep/bench-${run}`, TARGET]);
    commitFiles(worktree, { [`src/d${run}/f1.ts`]: `export const landed = ${run};\n`, [`src/d${run}/new.ts`]: 'export {};\n' });
    return `lockstep/bench-${run}`;
  });
  git(repo, ['commit', '--quiet', '--allow-empty', '-m', 'target moves on']);
  return branches;
}

export async function benchGitLand(): Promise<string[]> {
  const repo = generatedRepo();
  const branches = prepareBranches(repo);
  const clone = join(makeTempDir('lockstep-bench-clone-'), 'clone');
  git(repo, ['clone', '--quiet', '--branch', TARGET, repo, clone]);
  const repoGit = openGit(repo);
  const ours: number[] = [];
  const floor: number[] = [];
  for (const branch of branches) {
    const source = git(repo, ['rev-parse', branch]);
    ours.push(await timeAsync(async () => landCommit(await readRepository(repoGit), { target: TARGET, source, message: `land ${branch}` })));
    floor.push(
      await timeAsync(() =>
        execFileAsync('git', ['merge', '--quiet', '--no-edit', `origin/${branch}`], { cwd: clone, env: { ...process.env, ...HERMETIC_GIT_ENV } }),
      ),
    );
  }
  return [
    row(
      `landing a small branch, ${FILES.toLocaleString('en')} files, target checked out (median)`,
      format(median(ours), 'ms'),
      `${format(median(floor), 'ms')} (git merge --no-edit in a clone)`,
      median(ours) / median(floor),
    ),
  ];
}
