import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTestApp } from '../../fixtures/app.js';
import { git, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { BUILT_CLI } from '../../fixtures/mcp.js';
import { createApp } from '../../src/domain/app.js';
import { codexTomlFormat } from '../../src/integration/codex-config.js';
import { enableProject } from '../../src/integration/project-setup.js';
import { formatStatus } from '../../src/cli/status.js';
import { collectStatus } from '../../src/integration/status-report.js';
import { locationsFor } from '../../src/integration/targets.js';

afterAll(removeTempDirs);

/** A project with state written by a real-clock App over the same store file status will read. */
async function busyProject() {
  const test = await makeTestApp({ files: { 'README.md': '# x\n', 'src/a.ts': '', 'src/b.ts': '' } });
  test.app.close();
  const app = await createApp(test.config);
  const planner = { project: { id: test.repo, root: test.repo }, agent: { name: 'plan', role: 'planner' as const } };
  const implementer = { ...planner, agent: { name: 'impl', role: 'implementer' as const } };
  await app.agents.register(implementer, { role: 'implementer', name: 'impl', type: 'codex' });
  for (const title of ['one', 'two', 'three']) await app.tasks.create(planner, { title });
  await app.tasks.claim(implementer, 1);
  await app.locks.acquire(implementer, { path: 'src/a.ts' });
  await app.locks.acquire(implementer, { path: 'src/b.ts' });
  app.close();
  git(test.repo, ['worktree', 'add', '-q', '-b', 'lockstep/impl', join(makeTempDir(), 'impl')]);
  return test;
}

describe('collectStatus', () => {
  it('reports the project: enabled, status, task counts, live implementers, held locks, worktrees and the store', async () => {
    const test = await busyProject();
    await enableProject(test.repo);
    git(test.repo, ['remote', 'add', 'origin', 'https://git.example.com/team/app.git/']);
    const report = await collectStatus(locationsFor(makeTempDir('lockstep-home-'), test.repo), test.config);
    expect(report.ok).toBe(true);
    expect(report.project).toMatchObject({
      root: test.repo,
      remotes: ['https://git.example.com/team/app'],
      enabled: true,
      instructions: ['CLAUDE.md', 'AGENTS.md'],
      status: 'planning',
      tasks: { todo: 2, in_progress: 1, done: 0 },
      liveImplementers: ['impl'],
      locks: 2,
      worktrees: 1,
    });
    expect(report.store).toEqual({ backend: 'sqlite', path: test.config.dbPath, exists: true });
    // The id and shared remote a remote agent names the project by at coordination_init.
    expect(formatStatus(report)).toContain(`  project id     ${test.repo} (shared remote https://git.example.com/team/app)\n`);
    expect(report.clients.map((client) => [client.client, client.scope, client.installed])).toEqual([
      ['claude', 'user', false],
      ['claude', 'project', false],
      ['codex', 'user', false],
    ]);
  });

  it('probes each installed entry and is not ok when one does not answer or a file does not parse', async () => {
    const test = await makeTestApp();
    const home = makeTempDir('lockstep-home-');
    const locations = locationsFor(home, test.repo);
    mkdirSync(locations.codexHome);
    const missing = { command: process.execPath, args: [join(home, 'gone', 'cli.js'), 'server'] };
    writeFileSync(join(locations.codexHome, 'config.toml'), codexTomlFormat.withEntry(undefined, missing, 'config.toml'));
    const server = { type: 'stdio', command: process.execPath, args: [BUILT_CLI, 'server'], env: {} };
    writeFileSync(join(test.repo, '.mcp.json'), JSON.stringify({ mcpServers: { lockstep: server } }));
    writeFileSync(join(home, '.claude.json'), '{ "mcpServers": ');
    const report = await collectStatus(locations, test.config, { timeoutMs: 10_000 });
    expect(report.ok).toBe(false);
    const [user, project, codex] = report.clients;
    expect(user).toMatchObject({ installed: false, error: expect.stringMatching(/\.claude\.json.*not valid JSON/) });
    expect(project).toMatchObject({ installed: true, answers: true });
    expect(codex).toMatchObject({ installed: true, answers: false, error: expect.stringContaining('gone/cli.js') });
  });

  it('does not create the store when no agent has used it yet', async () => {
    const test = await makeTestApp();
    test.app.close();
    const config = { ...test.config, dbPath: join(makeTempDir(), 'never.db') };
    const report = await collectStatus(locationsFor(makeTempDir('lockstep-home-'), test.repo), config);
    expect(report.store).toMatchObject({ exists: false });
    expect(report.project).toMatchObject({ enabled: true, instructions: [], status: 'planning', locks: 0 });
  });
});
