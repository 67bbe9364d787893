import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../fixtures/app.js';
import { everyBackend } from '../../fixtures/backends.js';
import { removeTempDirs } from '../../fixtures/git.js';
import { openStore } from '../../src/store/open.js';

afterAll(removeTempDirs);

const FILES = { 'src/a.ts': '', 'src/api/users.ts': '', 'docs/readme.md': '' };

let test: TestApp;

const alice = () => test.caller('alice');
const bob = () => test.caller('bob');
const events = (kind: string) =>
  test.app.context.store.read(test.repo, (tx) => tx.find('events', { where: { kind }, orderBy: 'seq' }));

describe.each(await everyBackend())('locks on the %s store', (storage) => {
  beforeEach(async () => {
    test = await makeTestApp({ storage, files: FILES });
    return () => test.app.close();
  });

  describe('lock_acquire', () => {
    it('treats every spelling of a path as one lock', async () => {
      const first = await test.app.locks.acquire(alice(), { path: './src/a.ts' });
      expect(first).toMatchObject({ path: 'src/a.ts', kind: 'file' });
      for (const path of ['src/a.ts', 'src//a.ts', `${test.repo}/src/a.ts`]) {
        await expect(test.app.locks.acquire(bob(), { path })).rejects.toMatchObject({ code: 'LOCK_HELD' });
      }
    });

    it('refuses a path outside the project', async () => {
      await expect(test.app.locks.acquire(alice(), { path: '../x' })).rejects.toMatchObject({ code: 'PATH_OUTSIDE_PROJECT' });
    });

    it('names the holder, the held path and the end of its lease when refusing', async () => {
      await test.app.locks.acquire(alice(), { path: 'src/' });
      const refusal = test.app.locks.acquire(bob(), { path: 'src/api/users.ts' });
      const expiresAt = new Date(test.clock.now() + test.config.lockLeaseMs).toISOString();
      await expect(refusal).rejects.toMatchObject({
        code: 'LOCK_HELD',
        message: expect.stringMatching(new RegExp(`alice.*src.*${expiresAt.replace(/\./g, '\\.')}`)),
        details: { holder: 'alice', path: 'src', expiresAt },
        next: expect.stringContaining('waitMs'),
      });
    });

    it('conflicts a directory lock with a file under it, both ways', async () => {
      await test.app.locks.acquire(alice(), { path: 'src/api' });
      await expect(test.app.locks.acquire(bob(), { path: 'src/api/users.ts' })).rejects.toMatchObject({ code: 'LOCK_HELD' });
      await test.app.locks.acquire(bob(), { path: 'docs/readme.md' });
      await expect(test.app.locks.acquire(alice(), { path: 'docs' })).rejects.toMatchObject({ code: 'LOCK_HELD' });
    });

    it('conflicts a glob lock with the files it matches, both ways, and not with others', async () => {
      await test.app.locks.acquire(alice(), { path: 'src/api/**' });
      await expect(test.app.locks.acquire(bob(), { path: 'src/api/users.ts' })).rejects.toMatchObject({ code: 'LOCK_HELD' });
      await expect(test.app.locks.acquire(bob(), { path: 'src' })).rejects.toMatchObject({ code: 'LOCK_HELD' });
      await test.app.locks.acquire(bob(), { path: 'src/a.ts' });
      await expect(test.app.locks.acquire(alice(), { path: 'src/*.ts' })).rejects.toMatchObject({ code: 'LOCK_HELD' });
    });

    it('renews a lock its owner acquires again instead of refusing or duplicating it', async () => {
      const first = await test.app.locks.acquire(alice(), { path: 'src/a.ts' });
      test.clock.advance(60_000);
      const again = await test.app.locks.acquire(alice(), { path: `${test.repo}/src/a.ts` });
      expect(again).toMatchObject({ token: first.token, renewed: true });
      expect(Date.parse(again.expiresAt)).toBe(Date.parse(first.expiresAt) + 60_000);
      expect(await test.app.locks.list(alice())).toHaveLength(1);
    });

    it('lets an owner take a narrower lock inside its own directory lock, but nobody else', async () => {
      const outer = await test.app.locks.acquire(alice(), { path: 'src' });
      const inner = await test.app.locks.acquire(alice(), { path: 'src/a.ts' });
      expect(inner.token).toBeGreaterThan(outer.token);
      await test.app.locks.release(alice(), { path: 'src' });
      await expect(test.app.locks.acquire(bob(), { path: 'src/a.ts' })).rejects.toMatchObject({ details: { path: 'src/a.ts' } });
    });

    it('hands out fencing tokens that strictly increase', async () => {
      const tokens: number[] = [];
      for (const caller of [alice(), bob(), alice()]) {
        tokens.push((await test.app.locks.acquire(caller, { path: 'src/a.ts' })).token);
        await test.app.locks.release(caller, { path: 'src/a.ts' });
      }
      tokens.push((await test.app.locks.acquire(bob(), { path: 'docs' })).token);
      expect(tokens).toEqual([...tokens].sort((a, b) => a - b));
      expect(new Set(tokens).size).toBe(tokens.length);
    });

    it('gives an expired lock to the next agent and tells the old owner it lost it', async () => {
      await test.app.locks.acquire(alice(), { path: 'src/a.ts' });
      test.clock.advance(test.config.lockLeaseMs);
      await expect(test.app.locks.acquire(bob(), { path: 'src/a.ts' })).resolves.toMatchObject({ path: 'src/a.ts' });
      const [lost] = await events('lock_lost');
      expect(lost).toMatchObject({ target: 'alice', subject: 'src/a.ts', data: { reason: 'expired' } });
    });

    it('frees the lock of an owner process killed with SIGKILL without anyone intervening', async () => {
      const owner = spawn('sleep', ['30']);
      await once(owner, 'spawn');
      const { host } = test.app.context;
      const now = test.clock.now();
      await test.app.context.store.write(test.repo, function* (tx) {
        return yield* tx.insert('locks', {
          id: (yield* tx.nextId('lock')), path: 'src/a.ts', kind: 'file', owner: 'alice', ownerPid: owner.pid!, ownerHost: host,
          note: null, status: 'active', acquiredAt: now, expiresAt: now + 60_000, endedAt: null, endReason: null,
        });
      },
      );
      await expect(test.app.locks.acquire(bob(), { path: 'src/a.ts' })).rejects.toMatchObject({ code: 'LOCK_HELD' });
      owner.kill('SIGKILL');
      await once(owner, 'exit');
      await expect(test.app.locks.acquire(bob(), { path: 'src/a.ts' })).resolves.toMatchObject({ path: 'src/a.ts' });
      expect(await events('lock_lost')).toEqual([expect.objectContaining({ target: 'alice', data: { token: 1, reason: 'owner_gone' } })]);
    });

    it('refuses from a read, without a write transaction, once another process has written', async () => {
      const { store } = test.app.context;
      await test.app.locks.acquire(alice(), { path: 'src/a.ts' });
      const other = await openStore(store.backend, store.location);
      await other.write(test.repo, (tx) => tx.nextId('elsewhere'));
      other.close();
      // PostgreSQL tells of another process's commit by notification; this round trip lets it arrive.
      await store.changeVersion();
      const writes = store.transactions.writes;
      await expect(test.app.locks.acquire(bob(), { path: 'src/a.ts' })).rejects.toMatchObject({ code: 'LOCK_HELD', details: { holder: 'alice' } });
      expect(store.transactions.writes).toBe(writes);
    });

    it('asks whether a holder process lives only about the locks that decide the call', async () => {
      await test.app.locks.acquire(alice(), { path: 'src/a.ts' });
      const asked: number[] = [];
      test.app.context.isPidAlive = (pid) => {
        asked.push(pid);
        return true;
      };
      await test.app.locks.acquire(bob(), { path: 'docs/readme.md' });
      expect(asked).toEqual([]);
      await expect(test.app.locks.acquire(bob(), { path: 'src/a.ts' })).rejects.toMatchObject({ code: 'LOCK_HELD' });
      expect(asked).toEqual([test.app.context.pid]);
    });

    it('waits for a holder that releases within waitMs', async () => {
      await test.app.locks.acquire(alice(), { path: 'src/a.ts' });
      const waiting = test.app.locks.acquire(bob(), { path: 'src/a.ts', waitMs: 10_000 });
      setTimeout(() => void test.app.locks.release(alice(), { path: 'src/a.ts' }), 150);
      await expect(waiting).resolves.toMatchObject({ path: 'src/a.ts' });
    });

    it('gives up with LOCK_HELD once waitMs has passed', async () => {
      await test.app.locks.acquire(alice(), { path: 'src/a.ts' });
      const started = performance.now();
      await expect(test.app.locks.acquire(bob(), { path: 'src/a.ts', waitMs: 200 })).rejects.toMatchObject({ code: 'LOCK_HELD' });
      expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    });
  });

  describe('lock_release', () => {
    it('lets the owner release, after which the path can be locked again', async () => {
      await test.app.locks.acquire(alice(), { path: 'src/a.ts' });
      await expect(test.app.locks.release(alice(), { path: './src/a.ts' })).resolves.toMatchObject({ released: 'src/a.ts' });
      await expect(test.app.locks.acquire(bob(), { path: 'src/a.ts' })).resolves.toMatchObject({ path: 'src/a.ts' });
      expect(await events('lock_released')).toEqual([expect.objectContaining({ actor: 'alice', subject: 'src/a.ts' })]);
    });

    it('refuses another agent, naming the holder and until when', async () => {
      const held = await test.app.locks.acquire(alice(), { path: 'src/a.ts' });
      await expect(test.app.locks.release(bob(), { path: 'src/a.ts' })).rejects.toMatchObject({
        code: 'NOT_OWNER',
        message: expect.stringContaining(`alice until ${held.expiresAt}`),
      });
    });

    it('refuses force from an implementer', async () => {
      await test.app.locks.acquire(alice(), { path: 'src/a.ts' });
      await expect(test.app.locks.release(bob(), { path: 'src/a.ts', force: true })).rejects.toMatchObject({ code: 'ROLE_FORBIDDEN' });
    });

    it("lets a planner force another agent's lock open and tells that agent", async () => {
      await test.app.locks.acquire(alice(), { path: 'src/a.ts' });
      const planner = test.caller('lead', 'planner');
      await expect(test.app.locks.release(planner, { path: 'src/a.ts', force: true })).resolves.toMatchObject({ forcedFrom: 'alice' });
      expect(await events('lock_lost')).toEqual([
        expect.objectContaining({ actor: 'lead', target: 'alice', subject: 'src/a.ts', data: { token: 1, reason: 'forced' } }),
      ]);
      expect(await test.app.locks.list(alice(), { status: 'resolved' })).toEqual([expect.objectContaining({ endReason: 'forced' })]);
    });

    it('reports LOCK_NOT_HELD for a path nobody holds', async () => {
      await expect(test.app.locks.release(alice(), { path: 'src/a.ts' })).rejects.toMatchObject({ code: 'LOCK_NOT_HELD' });
    });
  });

  describe('lock_list and holderOf', () => {
    it('never shows an expired lock as active and filters by owner', async () => {
      await test.app.locks.acquire(alice(), { path: 'src/a.ts', note: 'refactor' });
      test.clock.advance(1_000);
      await test.app.locks.acquire(bob(), { path: 'docs' });
      expect(await test.app.locks.list(alice(), { owner: 'bob' })).toEqual([expect.objectContaining({ path: 'docs', kind: 'dir' })]);
      expect(await test.app.locks.list(alice())).toEqual([
        expect.objectContaining({ path: 'docs' }),
        { path: 'src/a.ts', kind: 'file', owner: 'alice', token: 1, expiresAt: expect.any(String), note: 'refactor' },
      ]);
      test.clock.advance(test.config.lockLeaseMs - 1_000);
      expect(await test.app.locks.list(alice())).toEqual([expect.objectContaining({ path: 'docs' })]);
      expect(await test.app.locks.list(alice(), { status: 'resolved' })).toEqual([expect.objectContaining({ endReason: 'expired' })]);
    });

    it("finds another agent's live lock covering a path, but not the caller's own", async () => {
      await test.app.locks.acquire(alice(), { path: 'src/api/**' });
      expect(await test.app.locks.holderOf(bob(), `${test.repo}/src/api/users.ts`)).toMatchObject({ owner: 'alice' });
      expect(await test.app.locks.holderOf(alice(), 'src/api/users.ts')).toBeUndefined();
      expect(await test.app.locks.holderOf(bob(), 'src/a.ts')).toBeUndefined();
      expect(await test.app.locks.holderOf(bob(), '/etc/hosts')).toBeUndefined();
      test.clock.advance(test.config.lockLeaseMs);
      expect(await test.app.locks.holderOf(bob(), 'src/api/users.ts')).toBeUndefined();
    });
  });
});
