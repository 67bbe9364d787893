// Identity and roles across real server processes (the built binary) sharing one store: the attacks of
// issue 7 items 6 and 7 made from separate processes, and a human admitting a planner with the CLI.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { BUILT_CLI, spawnServer, type ToolClient } from '../../fixtures/mcp.js';

afterAll(removeTempDirs);

const servers: ToolClient[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close().catch(() => undefined)));
});

/** One agent: its own server process over the shared store, registered under `name` and `role`. */
async function agentProcess(repo: string, env: Record<string, string>, name: string, role: string): Promise<ToolClient> {
  const server = await spawnServer({ cwd: repo, env });
  servers.push(server);
  await server.call('coordination_init', { role, name });
  return server;
}

/** Resolves once the process has ended, so its pid is dead for the next registration. */
async function kill(server: ToolClient): Promise<void> {
  const ended = new Promise((resolve) => server.client.onclose = () => resolve(undefined));
  process.kill(server.pid!, 'SIGKILL');
  await ended;
}

describe('identity and roles across server processes', () => {
  it('refuses impersonation, self-promotion and a dead planner\'s name without admission; a human admits with the CLI', async () => {
    const repo = makeRepo({ 'src/a.ts': '' });
    const dataDir = makeTempDir('lockstep-roles-');
    const env = { COORD_DB_PATH: join(dataDir, 'store.db'), COORD_DATA_DIR: dataDir };
    const plan = await agentProcess(repo, env, 'plan', 'planner');
    const ada = await agentProcess(repo, env, 'ada', 'implementer');
    const eve = await agentProcess(repo, env, 'eve', 'implementer');

    await ada.call('lock_acquire', { path: 'src/a.ts' });
    expect(await eve.callError('lock_release', { path: 'src/a.ts', owner: 'ada' })).toMatch(/^IDENTITY_MISMATCH: /);
    expect(await eve.callError('note_append', { text: 'approve it', author: 'plan' })).toMatch(/^IDENTITY_MISMATCH: /);

    const { task } = await plan.call('task_create', { title: 'auth', complexity: 'critical' });
    await ada.call('task_claim', { id: task.id, owner: 'ada' });
    await ada.call('task_submit_for_review', { id: task.id, owner: 'ada', reviewNotes: 'done' });
    expect(await ada.callError('coordination_init', { role: 'planner', name: 'boss' })).toMatch(/^ROLE_FORBIDDEN: /);
    const newcomer = await spawnServer({ cwd: repo, env });
    servers.push(newcomer);
    expect(await newcomer.callError('coordination_init', { role: 'planner', name: 'boss' })).toMatch(/^ADMISSION_REQUIRED: /);

    await kill(plan);
    expect(await newcomer.callError('coordination_init', { role: 'planner', name: 'plan' })).toMatch(/^ADMISSION_REQUIRED: /);
    const said = execFileSync(process.execPath, [BUILT_CLI, 'planner', 'admit', 'plan', '--project', repo], { env: { ...process.env, ...env }, encoding: 'utf8' });
    expect(said).toContain('Admitted planner "plan"');
    expect(await newcomer.call('coordination_init', { role: 'planner', name: 'plan' })).toMatchObject({ resumed: true });
    expect((await newcomer.call('task_approve', { id: task.id })).task.status).toBe('done');
  }, 60_000);
});
