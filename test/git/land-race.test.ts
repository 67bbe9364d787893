// Landings from real OS processes: two at once must both land, and a process killed at a random moment
// of a landing must leave the repository consistent, with the human's checkout intact.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { git, makeRepo, removeTempDirs } from '../../fixtures/git.js';
import { openGit } from '../../git/exec.js';
import { readRepository } from '../../git/repository.js';
import { landCommit, type LandResult } from '../../git/land.js';
import { commitOnBranch, hasMergeHead, head } from './branch-fixture.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKER_SCRIPT = fileURLToPath(new URL('./land-worker.ts', import.meta.url));
const KILL_ROUNDS = 8;

afterAll(removeTempDirs);

interface Worker {
  land(source: string, gateMs?: number): void;
  nextLine(): Promise<string>;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

async function startWorker(repo: string): Promise<Worker> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER_SCRIPT, repo, 'master'], { cwd: REPO_ROOT });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const worker: Worker = {
    land: (source, gateMs) => child.stdin.write(`land ${source}${gateMs === undefined ? '' : ` ${gateMs}`}\n`),
    async nextLine() {
      const { value, done } = await lines.next();
      if (done) throw new Error(`land worker ended early: ${stderr}`);
      return value;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.stdin.end();
      await exited;
    },
  };
  expect(await worker.nextLine()).toBe('ready');
  return worker;
}

/** A `master` repository with an uncommitted human edit and `count` branches, each adding its own file. */
function repoWithBranches(count: number) {
  const repo = makeRepo({ 'human.txt': 'committed\n' }, { defaultBranch: 'master' });
  const sources = Array.from({ length: count }, (_, i) => commitOnBranch(repo, `lockstep/impl-${i}`, { [`f${i}.txt`]: `${i}\n` }));
  writeFileSync(join(repo, 'human.txt'), 'human edit\n');
  return { repo, sources };
}

/** A killed landing's git children run on briefly as orphans; the checks wait for them to finish. */
async function waitForOrphanedGit(repo: string): Promise<void> {
  // A git child of the killed worker runs on to its end; on a loaded machine that can take seconds.
  const indexLock = join(repo, '.git', 'index.lock');
  for (let waited = 0; existsSync(indexLock) && waited < 15_000; waited += 20) await sleep(20);
  await sleep(50);
}

function expectConsistent(repo: string): void {
  expect(hasMergeHead(repo)).toBe(false);
  expect(() => git(repo, ['fsck', '--no-dangling', '--no-progress'])).not.toThrow();
  expect(git(repo, ['diff', '--cached', '--name-only'])).toBe('');
  expect(git(repo, ['status', '--porcelain'])).toBe('M human.txt');
  expect(readFileSync(join(repo, 'human.txt'), 'utf8')).toBe('human edit\n');
}

/** The target is where it was, or exactly one landing of `source` further: never anything in between. */
function expectOldOrNew(repo: string, before: string, source: string): void {
  const after = head(repo, 'master');
  if (after === before || after === source) return;
  expect(git(repo, ['log', '-1', '--format=%P', after])).toBe(`${before} ${source}`);
}

describe('landings from several processes', () => {
  it('lands two branches sent at the same instant, one after the other, keeping both in history', async () => {
    const { repo, sources } = repoWithBranches(2);
    const initial = head(repo);
    const workers = await Promise.all([startWorker(repo), startWorker(repo)]);

    workers.forEach((worker, i) => worker.land(sources[i]!));
    const results = (await Promise.all(workers.map((worker) => worker.nextLine()))).map((line) => JSON.parse(line) as LandResult);
    await Promise.all(workers.map((worker) => worker.stop()));

    expect(results.map((result) => result.status)).toEqual(['landed', 'landed']);
    const landed = results.flatMap((result) => (result.status === 'landed' ? [result] : []));
    const first = landed.find((result) => result.previous === initial);
    const second = landed.find((result) => result !== first);
    expect(second?.previous).toBe(first?.commit);
    expect(head(repo, 'master')).toBe(second?.commit);
    for (const source of sources) expect(git(repo, ['merge-base', '--is-ancestor', source, 'master'])).toBe('');
    expectConsistent(repo);
  });

  it('stays consistent when a landing process is killed at a random moment, and the next landing succeeds', async () => {
    const { repo, sources } = repoWithBranches(KILL_ROUNDS);
    for (let round = 0; round < KILL_ROUNDS; round++) {
      const before = head(repo, 'master');
      const source = sources[round]!;
      const worker = await startWorker(repo);
      worker.land(source, round % 2 === 0 ? 40 : undefined);
      await sleep(Math.random() * 300);
      await worker.kill();
      await waitForOrphanedGit(repo);

      expectOldOrNew(repo, before, source);
      expectConsistent(repo);

      const next = await landCommit(await readRepository(openGit(repo)), { target: 'master', source, message: `land ${source}` });
      expect(next.status).toBe('landed');
      expect(git(repo, ['worktree', 'list', '--porcelain'])).not.toContain('lockstep-gate-');
      expectConsistent(repo);
    }
    for (const source of sources) expect(git(repo, ['merge-base', '--is-ancestor', source, 'master'])).toBe('');
  }, 120_000);
});
