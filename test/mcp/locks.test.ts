import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from '../../fixtures/git.js';
import { useMcpAgents } from '../../fixtures/mcp-agents.js';

afterAll(removeTempDirs);

const mcp = useMcpAgents({ files: { 'src/a.ts': '', 'src/api/users.ts': '' } });
const { agent, connect } = mcp;

describe('lock tools over MCP', () => {
  it('acquires, lists and releases a lock under the session identity', async () => {
    const alice = await agent('alice');
    const grant = await alice.call('lock_acquire', { path: './src//a.ts', note: 'rename' });
    expect(grant).toMatchObject({ path: 'src/a.ts', kind: 'file', token: 1, expiresAt: expect.any(String) });
    const listed = await alice.call('lock_list', {});
    expect(listed.locks).toEqual([
      { path: 'src/a.ts', kind: 'file', owner: 'alice', token: 1, expiresAt: expect.any(String), note: 'rename' },
    ]);
    expect(await alice.call('lock_release', { path: 'src/a.ts' })).toMatchObject({ released: 'src/a.ts', token: 1 });
    expect((await alice.call('lock_list', { status: 'resolved', owner: 'alice', limit: 5 })).locks).toEqual([
      expect.objectContaining({ path: 'src/a.ts', endReason: 'released' }),
    ]);
  });

  it('tells a second agent who holds the path, until when, and what to do next', async () => {
    const alice = await agent('alice');
    const bob = await agent('bob');
    const { expiresAt } = await alice.call('lock_acquire', { path: 'src/api/**' });
    const refusal = await bob.raw('lock_acquire', { path: 'src/api/users.ts' });
    expect(refusal.isError).toBe(true);
    expect((refusal.content[0] as { text: string }).text).toMatch(
      new RegExp(`^LOCK_HELD: src/api/users.ts is held by alice .*${expiresAt.replace(/\./g, '\\.')}.* Next: wait \\(lock_acquire with waitMs\\)`),
    );
    expect(refusal.structuredContent).toMatchObject({ error: { details: { holder: 'alice', path: 'src/api/**', expiresAt } } });
    expect(await bob.callError('lock_release', { path: 'src/api/**' })).toMatch(/^NOT_OWNER: .*alice/);
  });

  it("lets a planner force-release another agent's lock, and that agent hears about it", async () => {
    const alice = await agent('alice');
    const lead = await agent('lead', 'planner');
    await alice.call('lock_acquire', { path: 'src/a.ts' });
    expect(await lead.call('lock_release', { path: 'src/a.ts', force: true })).toMatchObject({ forcedFrom: 'alice' });
    const next = await alice.call('lock_list', {});
    expect(next.locks).toEqual([]);
    expect(next.pending).toMatchObject({ locksLost: ['src/a.ts'] });
  });

  it('waits with waitMs until the holder releases', async () => {
    const alice = await agent('alice');
    const bob = await agent('bob');
    await alice.call('lock_acquire', { path: 'src/a.ts' });
    const waiting = bob.call('lock_acquire', { path: 'src/a.ts', waitMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await alice.call('lock_release', { path: 'src/a.ts' });
    expect(await waiting).toMatchObject({ path: 'src/a.ts', token: 2 });
  });

  it("keeps a lock alive while its owner keeps calling, and frees it once the owner goes silent", async () => {
    const alice = await agent('alice');
    const bob = await agent('bob');
    await alice.call('lock_acquire', { path: 'src/a.ts' });
    for (let step = 0; step < 3; step++) {
      mcp.test.clock.advance(mcp.test.config.lockLeaseMs / 2);
      await alice.call('lock_list', {});
    }
    expect(await bob.callError('lock_acquire', { path: 'src/a.ts' })).toMatch(/^LOCK_HELD/);
    mcp.test.clock.advance(mcp.test.config.lockLeaseMs);
    expect(await bob.call('lock_acquire', { path: 'src/a.ts' })).toMatchObject({ path: 'src/a.ts' });
  });

  it('refuses paths outside the project and calls without an identity', async () => {
    const alice = await agent('alice');
    expect(await alice.callError('lock_acquire', { path: '../outside.ts' })).toMatch(/^PATH_OUTSIDE_PROJECT: .*Next: /);
    const anonymous = await connect();
    expect(await anonymous.callError('lock_acquire', { path: 'src/a.ts' })).toMatch(/^IDENTITY_REQUIRED/);
    expect(await anonymous.callError('lock_release', { path: 'src/a.ts', owner: 'alice' })).toMatch(/^IDENTITY_REQUIRED/);
  });

  it('refuses wrong types, unknown enums, extra properties and out-of-range waits in the schema', async () => {
    const alice = await agent('alice');
    for (const [tool, args] of [
      ['lock_acquire', { path: 'src/a.ts', waitMs: 120_001 }],
      ['lock_acquire', { path: 'src/a.ts', force: true }],
      ['lock_acquire', { path: 42 }],
      ['lock_acquire', { path: '' }],
      ['lock_release', { path: 'src/a.ts', force: 'yes' }],
      ['lock_list', { status: 'expired' }],
      ['lock_list', { limit: 0 }],
    ] as const) {
      const result = await alice.raw(tool, args);
      expect(result.isError, `${tool} ${JSON.stringify(args)}`).toBe(true);
    }
    expect((await alice.call('lock_list', {})).locks).toEqual([]);
  });
});
