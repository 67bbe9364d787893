import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../fixtures/app.js';
import { removeTempDirs } from '../../fixtures/git.js';
import { recordEvent, type NewEvent } from '../../src/domain/events.js';
import type { AgentRow } from '../../src/store/rows.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});
afterAll(removeTempDirs);

function emit(test: TestApp, event: NewEvent): Promise<number> {
  return test.app.context.store.write(test.repo, (tx) => recordEvent(tx, test.clock.now(), event));
}

/** Writes a registration as another process on this host would have left it. */
function registerForeign(test: TestApp, name: string, pid: number): Promise<unknown> {
  const row: Omit<AgentRow, 'project'> = {
    id: name, role: 'implementer', type: 'claude', pid, host: test.app.context.host, status: 'active',
    registeredAt: 0, lastSeenAt: 0, eventCursor: 0, noteCursor: 0,
  };
  return test.app.context.store.write(test.repo, (tx) => tx.insert('agents', row));
}

async function exitedPid(): Promise<number> {
  const child = spawn('true');
  await once(child, 'exit');
  return child.pid!;
}

describe('AgentService.register', () => {
  it('generates a readable name when none is given and never hands the same one out twice', async () => {
    const test = await makeTestApp();
    const first = await test.app.agents.register(test.caller(), { role: 'implementer', type: 'claude' });
    const second = await test.app.agents.register(test.caller(), { role: 'implementer', type: 'claude' });
    expect(first.agent.id).toMatch(/^claude-implementer-\d+$/);
    expect(second.agent.id).not.toBe(first.agent.id);
    expect(first.agent).toMatchObject({ pid: process.pid, host: test.app.context.host, status: 'active' });
  });

  it('refuses a name that could not become a branch with the same code as every other implementer-name check', async () => {
    const test = await makeTestApp();
    await expect(test.app.agents.register(test.caller(), { role: 'implementer', name: '-rf' })).rejects.toMatchObject({
      code: 'INVALID_NAME',
      next: expect.stringContaining('omit'),
    });
    await expect(test.app.agents.register(test.caller(), { role: 'implementer', name: 'a..b' })).rejects.toMatchObject({
      code: 'INVALID_NAME',
    });
  });

  it('starts a newcomer at the present so old news is not delivered', async () => {
    const test = await makeTestApp();
    await emit(test, { kind: 'note_added', actor: 'someone' });
    await test.app.agents.register(test.caller(), { role: 'implementer', name: 'late' });
    expect(await test.app.agents.touch(test.caller('late'))).toBeNull();
  });

  it('refuses a name held by another running process on this host', async () => {
    const test = await makeTestApp();
    const sleeper = spawn('sleep', ['5']);
    children.push(sleeper);
    await registerForeign(test, 'busy', sleeper.pid!);
    await expect(test.app.agents.register(test.caller(), { role: 'implementer', name: 'busy' })).rejects.toMatchObject({
      code: 'NAME_TAKEN',
      details: { pid: sleeper.pid },
    });
  });

  it('lets the server of a launched agent take the name registered under that agent\'s own pid, and keeps that pid', async () => {
    // launch_implementer records the agent CLI's pid; the CLI's MCP server (here: this process) is its descendant.
    const test = await makeTestApp();
    await registerForeign(test, 'launched', process.ppid);
    const { agent, resumed } = await test.app.agents.register(test.caller(), { role: 'implementer', name: 'launched' });
    expect(resumed).toBe(true);
    // Liveness follows the agent: a server kept running by something else does not keep it alive.
    expect(agent.pid).toBe(process.ppid);
  });

  it('takes over a name whose process has died, keeping its unread news', async () => {
    const test = await makeTestApp();
    await registerForeign(test, 'phoenix', await exitedPid());
    await emit(test, { kind: 'note_added', actor: 'planner', target: 'phoenix' });
    const { agent, resumed } = await test.app.agents.register(test.caller(), { role: 'implementer', name: 'phoenix' });
    expect(resumed).toBe(true);
    expect(agent.pid).toBe(process.pid);
    expect(await test.app.agents.touch(test.caller('phoenix'))).toMatchObject({ notes: 1 });
  });

  it('lets the same process register the same name again', async () => {
    const test = await makeTestApp();
    await test.app.agents.register(test.caller(), { role: 'implementer', name: 'again' });
    const second = await test.app.agents.register(test.caller(), { role: 'planner', name: 'again' });
    expect(second).toMatchObject({ resumed: true, agent: { role: 'planner' } });
  });

  it('reports the stored project status, planning by default', async () => {
    const test = await makeTestApp();
    expect((await test.app.agents.register(test.caller(), { role: 'planner' })).projectStatus).toBe('planning');
  });
});

describe('AgentService.touch', () => {
  it('delivers news addressed to the agent once and then stays quiet', async () => {
    const test = await makeTestApp();
    await test.app.agents.register(test.caller(), { role: 'implementer', name: 'ann' });
    await emit(test, { kind: 'note_added', actor: 'plan', target: 'ann' });
    await emit(test, { kind: 'note_added', actor: 'plan', target: 'bob' });
    await emit(test, { kind: 'note_added', actor: 'ann' });
    expect(await test.app.agents.touch(test.caller('ann'))).toEqual({ notes: 1, hint: 'Call note_list.' });
    expect(await test.app.agents.touch(test.caller('ann'))).toBeNull();
  });

  it('renews only the live locks of the calling agent', async () => {
    const test = await makeTestApp({ settings: { lockLeaseMs: 60_000 } });
    await test.app.agents.register(test.caller(), { role: 'implementer', name: 'ann' });
    const now = test.clock.now();
    const lock = (id: number, owner: string, expiresAt: number) => ({
      id, path: `f${id}`, kind: 'file' as const, owner, ownerPid: null, ownerHost: null, note: null,
      status: 'active' as const, acquiredAt: now, expiresAt, endedAt: null, endReason: null,
    });
    await test.app.context.store.write(test.repo, function* (tx) {
      yield* tx.insert('locks', lock(1, 'ann', now + 1_000));
      yield* tx.insert('locks', lock(2, 'ann', now - 1));
      yield* tx.insert('locks', lock(3, 'bob', now + 1_000));
    });
    test.clock.advance(500);
    await test.app.agents.touch(test.caller('ann'));
    const locks = await test.app.context.store.read(test.repo, (tx) => tx.find('locks', { orderBy: 'id' }));
    expect(locks.map((row) => row.expiresAt)).toEqual([now + 500 + 60_000, now - 1, now + 1_000]);
  });

  it('tells a session whose registration is gone to register again', async () => {
    const test = await makeTestApp();
    expect(await test.app.agents.touch(test.caller('ghost'))).toMatchObject({ notRegistered: true });
  });
});

describe('AgentService.peekPending', () => {
  it('shows the news without marking it read', async () => {
    const test = await makeTestApp();
    await test.app.agents.register(test.caller(), { role: 'implementer', name: 'ann' });
    await emit(test, { kind: 'lock_lost', actor: null, target: 'ann', subject: 'src/a.ts' });
    expect(await test.app.agents.peekPending(test.caller('ann'))).toMatchObject({ locksLost: ['src/a.ts'] });
    expect(await test.app.agents.touch(test.caller('ann'))).toMatchObject({ locksLost: ['src/a.ts'] });
    expect(await test.app.agents.peekPending(test.caller('ann'))).toBeNull();
  });
});

describe('the implementer registry', () => {
  it('lists implementers and shows those whose process ended as gone', async () => {
    const test = await makeTestApp();
    await test.app.agents.register(test.caller(), { role: 'planner', name: 'plan' });
    await test.app.agents.register(test.caller(), { role: 'implementer', name: 'alive', type: 'codex' });
    await registerForeign(test, 'dead', await exitedPid());
    const list = await test.app.agents.listImplementers(test.caller());
    expect(list.map(({ name, status }) => ({ name, status }))).toEqual([
      { name: 'dead', status: 'gone' },
      { name: 'alive', status: 'active' },
    ]);
  });

  it('is reset by a planner only, keeping the planner registered', async () => {
    const test = await makeTestApp();
    await test.app.agents.register(test.caller(), { role: 'planner', name: 'plan' });
    await test.app.agents.register(test.caller(), { role: 'implementer', name: 'impl' });
    await expect(test.app.agents.resetImplementers(test.caller('impl', 'implementer'))).rejects.toMatchObject({
      code: 'ROLE_FORBIDDEN',
    });
    expect(await test.app.agents.resetImplementers(test.caller('plan', 'planner'))).toEqual({ removed: ['impl'] });
    expect(await test.app.agents.listImplementers(test.caller())).toEqual([]);
    expect(await test.app.agents.touch(test.caller('impl'))).toMatchObject({ notRegistered: true });
    expect(await test.app.agents.touch(test.caller('plan', 'planner'))).toBeNull();
  });
});
