// No write on a read: the per-call heartbeat writes only when news is due or once per interval, yet
// leases still renew for an agent that keeps calling and liveness still sees it. Counted in
// transactions (the store's own counters), never timed.

import { storeLocation } from '../../src/config.js';
import { afterAll, describe, expect, it } from 'vitest';
import { everyBackend } from '../../fixtures/backends.js';
import { removeTempDirs } from '../../fixtures/git.js';
import { useMcpAgents } from '../../fixtures/mcp-agents.js';
import { recordEvent } from '../../src/domain/events.js';
import { heartbeatIntervalMs } from '../../src/domain/heartbeat.js';
import { openStore } from '../../src/store/open.js';

afterAll(removeTempDirs);

const LEASE_MS = 60_000;

describe.each(await everyBackend())('the call path on %s', (storage) => {
  const mcp = useMcpAgents({ storage, files: { 'src/a.ts': '' }, settings: { lockLeaseMs: LEASE_MS } });
  const writes = () => mcp.test.app.context.store.transactions.writes;
  const interval = heartbeatIntervalMs(LEASE_MS);

  it('runs read-only tools without a single write transaction', async () => {
    const ann = await mcp.agent('ann');
    const plan = await mcp.agent('plan', 'planner');
    const { task } = await plan.call('task_create', { title: 'read me' });
    await plan.call('lock_acquire', { path: 'src/a.ts' });
    await ann.call('task_list', {}); // delivers the news of the new task: a write, once
    const before = writes();
    for (const [tool, args] of [
      ['task_list', {}],
      ['task_get', { id: task.id }],
      ['task_summary', {}],
      ['lock_list', {}],
      ['note_list', {}],
      ['discussion_list', {}],
      ['discussion_inbox', {}],
      ['project_context_get', {}],
    ] as const) {
      await ann.call(tool, args);
      mcp.test.clock.advance(interval / 20);
    }
    expect(writes()).toBe(before);
  });

  it('writes the heartbeat once the interval has passed, so lastSeenAt stays within it', async () => {
    const ann = await mcp.agent('ann');
    const seen = async () => (await mcp.test.app.context.store.read(mcp.test.repo, (tx) => tx.one('agents', { id: 'ann' })))!.lastSeenAt;
    mcp.test.clock.advance(interval);
    const before = writes();
    await ann.call('task_list', {});
    expect(writes()).toBe(before + 1);
    expect(await seen()).toBe(mcp.test.clock.now());
    await ann.call('task_list', {});
    expect(writes()).toBe(before + 1);
  });

  it('delivers news on a read-only call before the beat is due, once', async () => {
    const ann = await mcp.agent('ann');
    const plan = await mcp.agent('plan', 'planner');
    await plan.call('note_append', { text: 'hello', to: 'ann' });
    expect((await ann.call('task_list', {})).pending).toMatchObject({ notes: 1 });
    expect((await ann.call('task_list', {})).pending).toBeUndefined();
  });

  it('keeps the locks of an agent that calls at least every 0.9 lease, by read-only calls alone', async () => {
    const ann = await mcp.agent('ann');
    const bob = await mcp.agent('bob');
    await ann.call('lock_acquire', { path: 'src/a.ts' });
    for (let step = 0; step < 10; step++) {
      mcp.test.clock.advance(LEASE_MS * 0.9 - 1);
      await ann.call('task_list', {});
    }
    expect(await bob.callError('lock_acquire', { path: 'src/a.ts' })).toMatch(/^LOCK_HELD: src\/a.ts is held by ann/);
    mcp.test.clock.advance(LEASE_MS);
    expect(await bob.call('lock_acquire', { path: 'src/a.ts' })).toMatchObject({ path: 'src/a.ts' });
  });

  it('waits for a held lock by reading, and takes it once the holder releases', async () => {
    const ann = await mcp.agent('ann');
    const bob = await mcp.agent('bob');
    await ann.call('lock_acquire', { path: 'src/a.ts' });
    const before = writes();
    const waiting = bob.call('lock_acquire', { path: 'src/a.ts', waitMs: 60_000 });
    const reads = mcp.test.app.context.store.transactions.reads;
    while (mcp.test.app.context.store.transactions.reads < reads + 5) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(writes()).toBe(before + 1); // its first attempt; the waiting since then only read
    await ann.call('lock_release', { path: 'src/a.ts' });
    expect(await waiting).toMatchObject({ path: 'src/a.ts' });
  });

  it("spends no transaction on the heartbeat of a process's only session until another process writes", async () => {
    const ann = await mcp.agent('ann');
    const store = mcp.test.app.context.store;
    await ann.call('task_list', {});
    const before = { ...store.transactions };
    for (let pair = 0; pair < 5; pair++) {
      await ann.call('lock_acquire', { path: 'src/a.ts' });
      await ann.call('lock_release', { path: 'src/a.ts' });
    }
    expect(store.transactions).toEqual({ reads: before.reads, writes: before.writes + 10 });
    const other = await openStore(storage, storeLocation(mcp.test.config));
    await other.write(mcp.test.repo, (tx) =>
      recordEvent(tx, mcp.test.clock.now(), { kind: 'note_added', actor: 'plan', target: 'ann', subject: 1 }),
    );
    other.close();
    // PostgreSQL learns of the commit by a notification; by the time changeVersion answers it has arrived.
    await store.changeVersion();
    expect((await ann.call('task_list', {})).pending).toMatchObject({ notes: 1 });
  });
});
