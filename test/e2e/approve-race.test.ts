// Approvals of worktree tasks from real server processes (the built binary): two at once both land,
// and a server killed in the middle of a landing leaves the repository consistent for the next one.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../fixtures/app.js';
import { approveProjectConfig } from '../../fixtures/config-approval.js';
import { git, makeRepo, removeTempDirs, writeTree, type FileTree } from '../../fixtures/git.js';
import { spawnServer, type ToolClient } from '../../fixtures/mcp.js';

/** Long enough that a kill lands inside the gate, the longest phase of a landing. */
const SLOW_GATE = 'setTimeout(() => process.exit(0), 1500);\n';
const KILL_AFTER_MS = [150, 600, 1_200];

afterAll(removeTempDirs);

const servers: ToolClient[] = [];
const apps: TestApp[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close().catch(() => undefined)));
  for (const t of apps.splice(0)) t.app.close();
});

function commitAll(dir: string, message: string): string {
  git(dir, ['add', '-A']);
  git(dir, ['commit', '--quiet', '-m', message]);
  return git(dir, ['rev-parse', 'HEAD']);
}

/** A `master` repository with its project config, and an in-process app where implementers do their part. */
async function project(config: Record<string, string>, files: FileTree = {}): Promise<TestApp> {
  const repo = makeRepo({ 'README.md': '# r\n', ...files }, { defaultBranch: 'master' });
  writeTree(repo, { '.lockstep/config.json': JSON.stringify(config) });
  commitAll(repo, 'project config');
  const t = await makeTestApp({ repo });
  apps.push(t);
  await approveProjectConfig(t.config.dataDir, repo);
  return t;
}

/** An implementer claims a new worktree task, commits `file` in its worktree and submits it. */
async function submittedTask(t: TestApp, implementer: string, file: string): Promise<{ id: number; head: string }> {
  const owner = t.caller(implementer);
  const { id } = await t.app.tasks.create(t.caller('plan', 'planner'), { title: `${implementer}: ${file}`, complexity: 'complex', isolation: 'worktree' });
  await t.app.tasks.claim(owner, id);
  const { path } = (await t.app.worktrees.locate(owner, implementer))!;
  writeTree(path, { [file]: `${implementer}\n` });
  const head = commitAll(path, `${implementer} adds ${file}`);
  await t.app.review.submit(owner, id, 'please land');
  return { id, head };
}

/** A planner, admitted as a human would, in its own server process over the same store and data directory. */
async function plannerServer(t: TestApp, name: string): Promise<ToolClient> {
  await t.app.admissions.admitByHuman({ id: t.repo, root: t.repo }, name);
  const server = await spawnServer({ cwd: t.repo, env: { COORD_DB_PATH: t.config.dbPath, COORD_DATA_DIR: t.config.dataDir } });
  servers.push(server);
  await server.call('coordination_init', { role: 'planner', name });
  return server;
}

function contains(repo: string, commit: string): boolean {
  try {
    git(repo, ['merge-base', '--is-ancestor', commit, 'master']);
    return true;
  } catch {
    return false;
  }
}
const hasMergeHead = (repo: string) => existsSync(join(repo, '.git', 'MERGE_HEAD'));

describe('approving worktree tasks from several server processes', () => {
  it('lands two implementers\' work approved at the same moment, one after the other', async () => {
    const t = await project({});
    const ada = await submittedTask(t, 'ada', 'ada.txt');
    const bob = await submittedTask(t, 'bob', 'bob.txt');
    const [first, second] = await Promise.all([plannerServer(t, 'plan1'), plannerServer(t, 'plan2')]);

    const results = await Promise.all([
      first.call('task_approve', { id: ada.id }),
      second.call('task_approve', { id: bob.id }),
    ]);
    expect(results).toMatchObject([{ landed: true, task: { status: 'done' } }, { landed: true, task: { status: 'done' } }]);
    expect(contains(t.repo, ada.head)).toBe(true);
    expect(contains(t.repo, bob.head)).toBe(true);
    expect(hasMergeHead(t.repo)).toBe(false);
    expect(git(t.repo, ['status', '--porcelain'])).toBe('');
    expect(readFileSync(join(t.repo, 'ada.txt'), 'utf8') + readFileSync(join(t.repo, 'bob.txt'), 'utf8')).toBe('ada\nbob\n');
  }, 60_000);

  it('stays consistent when an approving server is killed mid-landing, and the next approval lands', async () => {
    const t = await project({ gateCommand: 'node slow-gate.js' }, { 'slow-gate.js': SLOW_GATE });
    let killedInGate = 0;
    for (const [round, delay] of KILL_AFTER_MS.entries()) {
      const task = await submittedTask(t, `impl-${round}`, `f${round}.txt`);
      const before = git(t.repo, ['rev-parse', 'master']);
      const doomed = await plannerServer(t, `doomed-${round}`);
      void doomed.raw('task_approve', { id: task.id }).catch(() => undefined);
      await sleep(delay);
      process.kill(doomed.pid!, 'SIGKILL');
      await sleep(100);
      if (git(t.repo, ['worktree', 'list', '--porcelain']).includes('lockstep-gate-')) killedInGate++;

      expect(hasMergeHead(t.repo)).toBe(false);
      const master = git(t.repo, ['rev-parse', 'master']);
      expect(master === before || contains(t.repo, task.head)).toBe(true);

      const next = await plannerServer(t, `next-${round}`);
      expect(await next.call('task_approve', { id: task.id })).toMatchObject({ landed: true, task: { status: 'done' } });
      expect(contains(t.repo, task.head)).toBe(true);
      expect(hasMergeHead(t.repo)).toBe(false);
      expect(git(t.repo, ['status', '--porcelain'])).toBe('');
      expect(git(t.repo, ['worktree', 'list', '--porcelain'])).not.toContain('lockstep-gate-');
    }
    // The gate is the landing's longest phase: at least one kill must have hit a landing in progress.
    expect(killedInGate).toBeGreaterThan(0);
  }, 120_000);
});
