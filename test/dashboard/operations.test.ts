// A human's operations from the dashboard: each is a domain call recorded in the event log under the
// human's name, and the agents concerned hear of it in their pending block.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { HUMAN, makeTestDashboard, type TestDashboard } from '../../fixtures/dashboard.js';
import { git, makeRepo, removeTempDirs } from '../../fixtures/git.js';
import { connectInMemory, type ToolClient } from '../../fixtures/mcp.js';

afterAll(removeTempDirs);

const open: { d: TestDashboard; agents: ToolClient[] }[] = [];
afterEach(async () => {
  for (const { d, agents } of open.splice(0)) {
    for (const agent of agents) await agent.close();
    await d.close();
  }
});

async function withImplementer() {
  const d = await makeTestDashboard();
  const ada = await connectInMemory(d.t);
  open.push({ d, agents: [ada] });
  await ada.call('coordination_init', { role: 'implementer', name: 'ada' });
  return { d, ada };
}

const lastEvent = (d: TestDashboard) => d.t.app.context.store.read(d.t.repo, function* (tx) {
  return (yield* tx.find('events', { orderBy: 'seq', desc: true, limit: 1 }))[0]!;
});

describe('human operations in the dashboard', () => {
  it('stops the project, and implementers hear it', async () => {
    const { d, ada } = await withImplementer();
    expect(await d.post('/api/project/status', { status: 'stopped' })).toMatchObject({ status: 200, json: { status: 'stopped' } });
    expect(await lastEvent(d)).toMatchObject({ kind: 'project_status', actor: HUMAN });
    expect((await ada.call('note_list', {})).pending).toMatchObject({ project: 'stopped' });
  });

  it('force-releases an agent lock by its token, and the holder hears it lost the lock', async () => {
    const { d, ada } = await withImplementer();
    const { token } = await ada.call('lock_acquire', { path: 'src/a.ts' });
    const locks = await d.get('/api/locks');
    expect(locks.json.locks).toEqual([expect.objectContaining({ path: 'src/a.ts', owner: 'ada', token, acquiredAt: expect.any(String), expiresAt: expect.any(String) })]);
    expect(await d.post(`/api/locks/${token}/release`, {})).toMatchObject({ status: 200, json: { released: 'src/a.ts', forcedFrom: 'ada' } });
    expect((await ada.call('lock_list', {})).pending).toMatchObject({ locksLost: ['src/a.ts'] });
    expect(await d.post(`/api/locks/${token}/release`, {})).toMatchObject({ status: 404, json: { error: { code: 'NOT_FOUND' } } });
  });

  it('marks an implementer stopped: it is dead from then on and its task goes back to the board', async () => {
    const { d, ada } = await withImplementer();
    const task = await d.t.app.tasks.create(d.t.caller('plan', 'planner'), { title: 't' });
    await ada.call('task_claim', { id: task.id });
    expect(await d.post('/api/implementers/ada/stop', {})).toMatchObject({ status: 200, json: { name: 'ada', stopped: true } });
    expect(await lastEvent(d)).toMatchObject({ kind: 'agent_gone', actor: HUMAN, target: 'ada' });
    const { implementers } = (await d.get('/api/implementers')).json;
    expect(implementers).toEqual([expect.objectContaining({ name: 'ada', liveness: 'dead', reclaimed: { locks: [], tasks: [task.id] } })]);
    expect(await d.post('/api/implementers/nobody/stop', {})).toMatchObject({ status: 404 });
  });

  it('approves exactly the project-configuration values it shows, and refuses a value that changed since', async () => {
    const repo = makeRepo({ 'README.md': '# r\n', '.lockstep/config.json': JSON.stringify({ verifyCommand: 'node -e 0' }) });
    const d = await makeTestDashboard({ repo });
    open.push({ d, agents: [] });
    const { settings } = (await d.get('/api/config')).json;
    expect(settings).toEqual([{ setting: 'verifyCommand', value: 'node -e 0', approved: false }]);
    writeFileSync(join(repo, '.lockstep/config.json'), JSON.stringify({ verifyCommand: 'node -e 1' }));
    git(repo, ['commit', '-qam', 'change']);
    const stale = await d.post('/api/config/approve', { settings: [{ setting: 'verifyCommand', value: 'node -e 0' }] });
    expect(stale).toMatchObject({ status: 400, json: { error: { code: 'INVALID_INPUT' } } });
    expect(await d.post('/api/config/approve', { settings: [{ setting: 'verifyCommand', value: 'node -e 1' }] })).toMatchObject({ status: 200, json: { approved: ['verifyCommand'] } });
    expect((await d.get('/api/config')).json.settings).toEqual([{ setting: 'verifyCommand', value: 'node -e 1', approved: true }]);
    expect(await lastEvent(d)).toMatchObject({ kind: 'config_approved', actor: HUMAN, data: { settings: ['verifyCommand'] } });
  });

  it('admits a planner, who may then join', async () => {
    const { d } = await withImplementer();
    const first = await connectInMemory(d.t);
    const second = await connectInMemory(d.t);
    open[0]!.agents.push(first, second);
    await first.call('coordination_init', { role: 'planner', name: 'plan' });
    expect(await second.callError('coordination_init', { role: 'planner', name: 'plan2' })).toMatch(/^ADMISSION_REQUIRED/);
    expect(await d.post('/api/planner/admit', { name: 'plan2' })).toMatchObject({ status: 200, json: { admitted: 'plan2' } });
    expect(await second.call('coordination_init', { role: 'planner', name: 'plan2' })).toMatchObject({ agent: expect.anything() });
  });
});
