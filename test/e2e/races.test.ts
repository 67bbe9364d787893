// Races between real server processes sharing one store (a file, or one PostgreSQL database): every
// grant goes to exactly one agent.

import { mkdirSync, openSync, closeSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everyBackend } from '../../fixtures/backends.js';
import { makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { createDatabase, postgresServer } from '../../fixtures/postgres.js';
import { spawnServer, type ToolClient } from '../../fixtures/mcp.js';

const PROCESSES = 16;

afterAll(removeTempDirs);

describe.each(await everyBackend())('%s store shared by %i server processes', (storage) => {
  let repo: string;
  let agents: ToolClient[] = [];

  beforeAll(async () => {
    repo = makeRepo({ 'src/a.ts': 'a\n', 'src/b.ts': 'b\n', 'lib/c.ts': 'c\n' });
    const dbPath = join(makeTempDir(), storage === 'json' ? 'store.json' : 'store.db');
    const store = storage === 'postgres' ? ['--database-url', await createDatabase((await postgresServer()).url!)] : ['--db-path', dbPath];
    agents = await Promise.all(
      // Each server stands for a machine of its own, as a team's would on a shared database.
      Array.from({ length: PROCESSES }, (_, index) => spawnServer({ cwd: repo, args: ['--storage', storage, ...store, '--host-id', `host-${index}`] })),
    );
    await Promise.all(agents.map((agent, index) => agent.call('coordination_init', { role: index === 0 ? 'planner' : 'implementer', name: `agent-${index}` })));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.close()));
  });

  it('gives each task to exactly one of the processes that claim it at once', async () => {
    for (let round = 0; round < 5; round++) {
      const { task } = await agents[0]!.call('task_create', { title: `contested ${round}` });
      const results = await Promise.all(agents.map((agent) => agent.raw('task_claim', { id: task.id })));
      const winners = results.filter((result) => !result.isError);
      const losers = results.filter((result) => result.isError);
      expect(winners).toHaveLength(1);
      for (const loser of losers) expect((loser.content[0] as { text: string }).text).toMatch(/^TASK_NOT_CLAIMABLE/);
    }
  });

  it('never lets two processes hold overlapping paths, and every released path can be locked again', async () => {
    // What each lockable path covers; a process marks every covered file while it holds the lock.
    const covers: Record<string, string[]> = {
      'src/a.ts': ['src/a.ts'],
      'src/b.ts': ['src/b.ts'],
      'src/': ['src/a.ts', 'src/b.ts'],
      'src/**': ['src/a.ts', 'src/b.ts'],
      'lib/c.ts': ['lib/c.ts'],
    };
    const markers = makeTempDir('lockstep-markers-');
    for (const dir of ['src', 'lib']) mkdirSync(join(markers, dir));
    const paths = Object.keys(covers);
    const unexpected: string[] = [];
    const overlaps: string[] = [];
    let grants = 0;
    const deadline = Date.now() + 4_000;

    await Promise.all(
      agents.map(async (agent, index) => {
        let turn = index;
        while (Date.now() < deadline) {
          const path = paths[turn++ % paths.length]!;
          const result = await agent.raw('lock_acquire', { path });
          if (result.isError) {
            const text = (result.content[0] as { text: string }).text;
            if (!text.startsWith('LOCK_HELD')) unexpected.push(text);
            continue;
          }
          grants++;
          const held: string[] = [];
          for (const file of covers[path]!) {
            try {
              closeSync(openSync(join(markers, file), 'wx'));
              held.push(file);
            } catch {
              overlaps.push(`${path} while ${file} was held`);
            }
          }
          await new Promise((resolve) => setTimeout(resolve, 2));
          for (const file of held) unlinkSync(join(markers, file));
          const release = await agent.raw('lock_release', { path });
          if (release.isError) unexpected.push((release.content[0] as { text: string }).text);
        }
      }),
    );

    expect(unexpected).toEqual([]);
    expect(overlaps).toEqual([]);
    expect(grants).toBeGreaterThan(PROCESSES);
    for (const path of paths) {
      await agents[1]!.call('lock_acquire', { path });
      await agents[1]!.call('lock_release', { path });
    }
  }, 30_000);
});

describe.each(await everyBackend())('task_wait on a %s store', (storage) => {
  it('wakes an implementer waiting in one process when a planner in another creates a task', async () => {
    const repo = makeRepo({ 'src/a.ts': 'a\n' });
    const dbPath = join(makeTempDir(), storage === 'json' ? 'store.json' : 'store.db');
    const store = storage === 'postgres' ? ['--database-url', await createDatabase((await postgresServer()).url!)] : ['--db-path', dbPath];
    const [planner, implementer] = await Promise.all([0, 1].map(() => spawnServer({ cwd: repo, args: ['--storage', storage, ...store] })));
    await planner!.call('coordination_init', { role: 'planner', name: 'plan' });
    await implementer!.call('coordination_init', { role: 'implementer', name: 'ada' });
    const waiting = implementer!.call('task_wait', { timeoutMs: 60_000 });
    const { task } = await planner!.call('task_create', { title: 'wake up' });
    expect(await waiting).toMatchObject({ reason: 'task', task: { id: task.id } });
    await Promise.all([planner!.close(), implementer!.close()]);
  });
});

describe('a process killed while holding locks', () => {
  it('loses them to the next agent without anyone editing the store', async () => {
    const repo = makeRepo({ 'src/a.ts': 'a\n' });
    const dbPath = join(makeTempDir(), 'store.db');
    const doomed = await spawnServer({ cwd: repo, args: ['--db-path', dbPath] });
    const survivor = await spawnServer({ cwd: repo, args: ['--db-path', dbPath] });
    await doomed.call('coordination_init', { role: 'implementer', name: 'doomed' });
    await survivor.call('coordination_init', { role: 'implementer', name: 'survivor' });
    await doomed.call('lock_acquire', { path: 'src/a.ts' });
    expect(await survivor.callError('lock_acquire', { path: 'src/a.ts' })).toMatch(/^LOCK_HELD.*doomed/);

    process.kill(doomed.pid!, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 200));

    const lock = await survivor.call('lock_acquire', { path: 'src/a.ts' });
    expect(lock.path).toBe('src/a.ts');
    await survivor.close();
    await doomed.close().catch(() => undefined);
  });
});

describe.skipIf(!(await postgresServer()).url)('servers on two hosts sharing a PostgreSQL database', () => {
  it('judge a killed server\'s lock on the other host by its lease alone: held until it expires, then granted', async () => {
    const repo = makeRepo({ 'src/a.ts': 'a\n' });
    const url = await createDatabase((await postgresServer()).url!);
    const on = (host: string) => spawnServer({ cwd: repo, args: ['--storage', 'postgres', '--database-url', url, '--host-id', host, '--lock-lease-ms', '5000'] });
    const [doomed, survivor] = await Promise.all([on('host-a'), on('host-b')]);
    await doomed.call('coordination_init', { role: 'implementer', name: 'doomed' });
    await survivor.call('coordination_init', { role: 'implementer', name: 'survivor' });
    await doomed.call('lock_acquire', { path: 'src/a.ts' });
    process.kill(doomed.pid!, 'SIGKILL');
    // Host b cannot ask host a's kernel about the pid: the lock stands until its lease runs out.
    expect(await survivor.callError('lock_acquire', { path: 'src/a.ts' })).toMatch(/^LOCK_HELD.*doomed/);
    let granted: { path?: string } | undefined;
    for (const deadline = Date.now() + 20_000; !granted && Date.now() < deadline; ) {
      const attempt = await survivor.raw('lock_acquire', { path: 'src/a.ts' });
      if (!attempt.isError) granted = attempt.structuredContent as { path?: string };
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(granted?.path).toBe('src/a.ts');
    await Promise.all([survivor.close(), doomed.close().catch(() => undefined)]);
  });

  it('let a server on the dead owner\'s own host release its lock at once', async () => {
    const repo = makeRepo({ 'src/a.ts': 'a\n' });
    const url = await createDatabase((await postgresServer()).url!);
    const on = (host: string) => spawnServer({ cwd: repo, args: ['--storage', 'postgres', '--database-url', url, '--host-id', host, '--lock-lease-ms', '600000'] });
    const [doomed, neighbour] = await Promise.all([on('host-a'), on('host-a')]);
    await doomed.call('coordination_init', { role: 'implementer', name: 'doomed' });
    await neighbour.call('coordination_init', { role: 'implementer', name: 'neighbour' });
    await doomed.call('lock_acquire', { path: 'src/a.ts' });
    process.kill(doomed.pid!, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await neighbour.call('lock_acquire', { path: 'src/a.ts' })).path).toBe('src/a.ts');
    await Promise.all([neighbour.close(), doomed.close().catch(() => undefined)]);
  });
});

describe('two repositories on one store', () => {
  it('never see or reset each other’s tasks, locks or notes', async () => {
    const dbPath = join(makeTempDir(), 'store.db');
    const first = await spawnServer({ cwd: makeRepo({ 'x.ts': '1' }), args: ['--db-path', dbPath] });
    const second = await spawnServer({ cwd: makeRepo({ 'x.ts': '2' }), args: ['--db-path', dbPath] });
    await first.call('coordination_init', { role: 'planner', name: 'lead' });
    await second.call('coordination_init', { role: 'planner', name: 'lead' });
    await first.call('task_create', { title: 'only in the first' });
    await first.call('lock_acquire', { path: 'x.ts' });
    await first.call('note_append', { text: 'first project note' });

    expect((await second.call('task_list', {})).total).toBe(0);
    await second.call('lock_acquire', { path: 'x.ts' });
    expect((await second.call('note_list', { since: 0 })).notes).toHaveLength(0);

    await second.call('session_reset', { confirm: true });
    expect((await first.call('task_list', {})).total).toBe(1);
    expect((await first.call('lock_list', {})).locks).toHaveLength(1);
    await first.close();
    await second.close();
  });
});
