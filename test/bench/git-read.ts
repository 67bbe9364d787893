// Git-manager reads on a generated repository of about 20,000 files: worktree creation, status of 8
// worktrees and the conflict forecast across 8 branches, each beside the same git work spawned bare.

import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { git, makeRepo, makeTempDir } from '../../fixtures/git.js';
import { openGit } from '../../git/exec.js';
import { readRepository } from '../../git/repository.js';
import type { Git } from '../../git/exec.js';
import { forecastAgainstBranches } from '../../git/forecast.js';
import { worktreeStatus } from '../../git/status.js';
import { ensureWorktree } from '../../git/worktrees.js';
import { commitFiles } from '../git/repo-steps.js';
import { format, median, row, timeAsync } from './stats.js';

const RUNS = Number(process.env.BENCH_GIT_RUNS ?? 5);
const FILES = Number(process.env.BENCH_GIT_FILES ?? 20_000);
const ACTIVE = 8;
const TARGET = 'master';

const execFileAsync = promisify(execFile);
const BARE_ENV = { ...process.env, LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0' };

/** The floor: git spawned directly, no wrapper. */
async function bareGit(cwd: string, args: string[], okExitCodes = [0]): Promise<string> {
  try {
    return (await execFileAsync('git', args, { cwd, env: BARE_ENV, maxBuffer: 64 << 20 })).stdout;
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (code !== undefined && okExitCodes.includes(code)) return (error as { stdout: string }).stdout;
    throw error;
  }
}

/** FILES small files in 100-file directories, committed once on `master`. */
function generateRepo(): string {
  const repo = makeRepo({ 'shared.txt': 'shared\n' }, { defaultBranch: TARGET });
  for (let index = 0; index < FILES; index++) {
    const dir = join(repo, 'src', `d${Math.floor(index / 100)}`);
    if (index % 100 === 0) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `f${index % 100}.ts`), `export const value${index} = ${index};\n`);
  }
  git(repo, ['add', '-A']);
  git(repo, ['commit', '--quiet', '-m', 'generated']);
  return repo;
}

/** Flushes dirty pages so each timed checkout starts from the same disk state, not the last one's writeback. */
async function settleDisk(): Promise<void> {
  await execFileAsync('sync');
}

async function benchCreation(repo: string, git: Git): Promise<string> {
  const root = makeTempDir('lockstep-bench-wt-');
  const ours = (run: number) => timeAsync(async () => ensureWorktree(await readRepository(git), { name: `ours-${run}`, worktreeRoot: root }));
  const plain = (run: number) =>
    timeAsync(() => bareGit(repo, ['worktree', 'add', '--quiet', '-b', `plain-${run}`, join(root, `plain-${run}`), TARGET]));
  await plain(RUNS); // warm-up: the object database and file cache, for both sides alike
  const samples = { ours: [] as number[], floor: [] as number[] };
  for (let run = 0; run < RUNS; run++) {
    // Alternating who goes first keeps any drift in the machine's state from favouring one side.
    for (const side of run % 2 === 0 ? (['ours', 'floor'] as const) : (['floor', 'ours'] as const)) {
      await settleDisk();
      samples[side].push(await (side === 'ours' ? ours(run) : plain(run)));
    }
    // 20,000 files per worktree add up: drop them before the next run (outside the timing).
    for (const dir of [`ours-${run}`, `plain-${run}`, `plain-${RUNS}`]) rmSync(join(root, dir), { recursive: true, force: true });
    await bareGit(repo, ['worktree', 'prune']);
  }
  const [oursMs, floorMs] = [median(samples.ours), median(samples.floor)];
  return row(`worktree creation, ${FILES.toLocaleString('en')} files (median)`, format(oursMs, 'ms'), `${format(floorMs, 'ms')} (git worktree add -b)`, oursMs / floorMs);
}

/** ACTIVE implementers, each with a commit touching a few files (some on shared.txt) and an uncommitted edit. */
async function activeWorktrees(git: Git): Promise<Array<{ name: string; path: string }>> {
  const root = makeTempDir('lockstep-bench-active-');
  const worktrees = [];
  for (let index = 0; index < ACTIVE; index++) {
    const name = `impl-${index}`;
    const { path } = await ensureWorktree(await readRepository(git), { name, worktreeRoot: root });
    const files: Record<string, string> = { [`src/d${index}/f1.ts`]: `export const changed = ${index};\n`, [`src/d${index}/new.ts`]: 'export {};\n' };
    if (index % 2 === 0) files['shared.txt'] = `edited by ${name}\n`;
    commitFiles(path, files);
    writeFileSync(join(path, 'src', `d${index}`, 'f2.ts'), 'uncommitted\n');
    worktrees.push({ name, path });
  }
  return worktrees;
}

async function benchStatus(repo: string, git: Git, worktrees: Array<{ name: string; path: string }>): Promise<string> {
  const ours = [];
  const floor = [];
  for (let run = 0; run < RUNS; run++) {
    ours.push(await timeAsync(() => Promise.all(worktrees.map(({ name, path }) => worktreeStatus(git, { name, target: TARGET, worktreePath: path })))));
    floor.push(
      await timeAsync(() =>
        Promise.all(
          worktrees.map(async ({ name, path }) => {
            const branch = `lockstep/${name}`;
            const base = (await bareGit(repo, ['merge-base', TARGET, branch])).trim();
            await Promise.all([
              bareGit(repo, ['rev-list', '--left-right', '--count', `${TARGET}...${branch}`]),
              bareGit(path, ['status', '--porcelain=v2', '-z', '--untracked-files=all']),
              bareGit(repo, ['diff', '--numstat', '-z', base, branch]),
            ]);
          }),
        ),
      ),
    );
  }
  return row(`worktreeStatus × ${ACTIVE} worktrees, in parallel (median total)`, format(median(ours), 'ms'), `${format(median(floor), 'ms')} (same git commands, bare)`, median(ours) / median(floor));
}

async function benchForecast(repo: string, git: Git, worktrees: Array<{ name: string }>): Promise<string> {
  const branches = worktrees.map(({ name }) => `lockstep/${name}`);
  const [mine, ...others] = branches;
  const ours = [];
  const floor = [];
  for (let run = 0; run < RUNS; run++) {
    ours.push(await timeAsync(() => forecastAgainstBranches(git, mine!, branches)));
    floor.push(
      await timeAsync(() =>
        Promise.all(others.map((other) => bareGit(repo, ['merge-tree', '--write-tree', '--name-only', '-z', '--no-messages', mine!, other], [0, 1]))),
      ),
    );
  }
  return row(`conflict forecast, 1 branch against ${ACTIVE - 1} others (median)`, format(median(ours), 'ms'), `${format(median(floor), 'ms')} (git merge-tree × ${ACTIVE - 1}, bare)`, median(ours) / median(floor));
}

/** Markdown rows `| measure | ours | floor | ratio |`; temp dirs are left for the caller's removeTempDirs(). */
export async function benchGitRead(): Promise<string[]> {
  const repo = generateRepo();
  const git = openGit(repo);
  const rows = [await benchCreation(repo, git)];
  const worktrees = await activeWorktrees(git);
  rows.push(await benchStatus(repo, git, worktrees));
  rows.push(await benchForecast(repo, git, worktrees));
  return rows;
}
