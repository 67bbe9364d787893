import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../fixtures/app.js';
import { everyBackend } from '../../fixtures/backends.js';
import { removeTempDirs } from '../../fixtures/git.js';
import type { Caller } from '../../src/domain/context.js';
import { NOTE_MAX_BYTES } from '../../src/domain/notes.js';

let t: TestApp;
let alice: Caller;
let bob: Caller;
let carol: Caller;

async function join(name: string, role: 'planner' | 'implementer' = 'implementer'): Promise<Caller> {
  const caller = t.caller(name, role);
  await t.app.agents.register(caller, { role, name });
  return caller;
}

const texts = (page: { notes: { text: string }[] }) => page.notes.map((note) => note.text);

afterAll(() => removeTempDirs());

// Both backends promise the same behaviour, so every case runs on each.
describe.each(await everyBackend())('on the %s store', (storage) => {
  beforeEach(async () => {
    t = await makeTestApp({ storage });
    alice = await join('alice', 'planner');
    bob = await join('bob');
    carol = await join('carol');
  });

  afterEach(() => t.app.close());

  describe('note addressing', () => {
    it('shows a private note to its sender and recipient but never to a third agent', async () => {
      await t.app.notes.append(alice, { text: 'bob only', to: 'bob' });

      expect(texts(await t.app.notes.list(bob))).toEqual(['bob only']);
      expect(texts(await t.app.notes.list(alice, { since: 0 }))).toEqual(['bob only']);
      expect(texts(await t.app.notes.list(carol))).toEqual([]);
      expect(texts(await t.app.notes.list(carol, { since: 0 }))).toEqual([]);
      expect(texts(await t.app.notes.list(t.caller()))).toEqual([]);
    });

    it('delivers a broadcast to every agent and to callers without identity', async () => {
      const { id } = await t.app.notes.append(alice, { text: 'hello all' });

      for (const reader of [bob, carol, t.caller()]) {
        expect((await t.app.notes.list(reader)).notes).toEqual([{ id, author: 'alice', text: 'hello all', at: t.clock.now() }]);
      }
    });

    it("leaves an agent's own notes out of its unread notes but not out of its history", async () => {
      await t.app.notes.append(alice, { text: 'mine' });
      await t.app.notes.append(alice, { text: 'mine, to bob', to: 'bob' });
      await t.app.notes.append(bob, { text: 'from bob' });

      expect(texts(await t.app.notes.list(alice))).toEqual(['from bob']);
      expect(texts(await t.app.notes.list(alice, { since: 0 }))).toEqual(['mine', 'mine, to bob', 'from bob']);
      expect(texts(await t.app.notes.list(bob, { from: 'bob', since: 0 }))).toEqual(['from bob']);
    });

    it('marks the recipient in the note and in the note_added event', async () => {
      const { id } = await t.app.notes.append(bob, { text: 'done with 3', to: 'alice' });
      const events = await t.app.context.store.read(t.repo, (tx) => tx.find('events', { where: { kind: 'note_added' } }));

      expect((await t.app.notes.list(alice)).notes[0]).toMatchObject({ id, author: 'bob', to: 'alice' });
      expect(events).toMatchObject([{ actor: 'bob', target: 'alice', subject: String(id) }]);
    });

    it('narrows the visible notes by author and recipient', async () => {
      await t.app.notes.append(alice, { text: 'a to all' });
      await t.app.notes.append(alice, { text: 'a to bob', to: 'bob' });
      await t.app.notes.append(carol, { text: 'c to all' });
      await t.app.notes.append(bob, { text: 'b to carol', to: 'carol' });

      expect(texts(await t.app.notes.list(bob, { since: 0, from: 'alice' }))).toEqual(['a to all', 'a to bob']);
      expect(texts(await t.app.notes.list(bob, { since: 0, to: 'carol' }))).toEqual(['b to carol']);
      expect(texts(await t.app.notes.list(bob, { since: 0, to: 'alice' }))).toEqual([]);
      expect(texts(await t.app.notes.list(carol, { since: 0, from: 'bob' }))).toEqual(['b to carol']);
    });
  });

  describe('reading with a cursor', () => {
    it('shows an identified agent each note once, then only newer ones', async () => {
      await t.app.notes.append(alice, { text: 'one' });
      await t.app.notes.append(alice, { text: 'two' });

      const first = await t.app.notes.list(bob);
      const second = await t.app.notes.list(bob);
      await t.app.notes.append(alice, { text: 'three' });
      const third = await t.app.notes.list(bob);

      expect(texts(first)).toEqual(['one', 'two']);
      expect(first.more).toBe(false);
      expect(second).toEqual({ notes: [], cursor: first.cursor, more: false });
      expect(texts(third)).toEqual(['three']);
    });

    it('re-reads from since: 0 without moving the stored read position', async () => {
      await t.app.notes.append(alice, { text: 'one' });
      await t.app.notes.list(bob);
      await t.app.notes.append(alice, { text: 'two' });

      expect(texts(await t.app.notes.list(bob, { since: 0 }))).toEqual(['one', 'two']);
      expect(texts(await t.app.notes.list(bob))).toEqual(['two']);
    });

    it('pages through a backlog with limit, cursor and more', async () => {
      for (const text of ['n1', 'n2', 'n3', 'n4', 'n5']) await t.app.notes.append(alice, { text });

      const pages = [await t.app.notes.list(bob, { limit: 2 }), await t.app.notes.list(bob, { limit: 2 })];
      const last = await t.app.notes.list(bob, { limit: 2 });

      expect(pages.map(texts)).toEqual([['n1', 'n2'], ['n3', 'n4']]);
      expect(pages.map((page) => page.more)).toEqual([true, true]);
      expect(texts(last)).toEqual(['n5']);
      expect(last.more).toBe(false);
      expect(texts(await t.app.notes.list(bob, { since: pages[0]!.cursor, limit: 1 }))).toEqual(['n3']);
    });

    it('skips private notes of others without stalling the cursor', async () => {
      await t.app.notes.append(alice, { text: 'for carol', to: 'carol' });
      await t.app.notes.append(alice, { text: 'for all' });

      expect(texts(await t.app.notes.list(bob, { limit: 1 }))).toEqual(['for all']);
      expect(texts(await t.app.notes.list(carol, { limit: 1 }))).toEqual(['for carol']);
      expect(texts(await t.app.notes.list(carol, { limit: 1 }))).toEqual(['for all']);
    });

    it('starts a newly registered agent at the present instead of the whole history', async () => {
      await t.app.notes.append(alice, { text: 'old' });
      const dave = await join('dave');
      await t.app.notes.append(alice, { text: 'new' });

      expect(texts(await t.app.notes.list(dave))).toEqual(['new']);
      expect(texts(await t.app.notes.list(dave, { since: 0 }))).toEqual(['old', 'new']);
    });

    it('gives a caller without identity the latest notes, oldest first', async () => {
      for (const text of ['n1', 'n2', 'n3']) await t.app.notes.append(alice, { text });

      const page = await t.app.notes.list(t.caller(), { limit: 2 });

      expect(texts(page)).toEqual(['n2', 'n3']);
      expect(page.more).toBe(false);
      expect(texts(await t.app.notes.list(t.caller(), { limit: 2 }))).toEqual(['n2', 'n3']);
    });
  });

  describe('note validation', () => {
    it('refuses empty and oversized text', async () => {
      await expect(t.app.notes.append(alice, { text: '   ' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(t.app.notes.append(alice, { text: 'é'.repeat(NOTE_MAX_BYTES / 2 + 1) })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        next: expect.stringContaining('artifact_write'),
      });
    });

    it('requires an identity, and an author that is the caller', async () => {
      await expect(t.app.notes.append(t.caller(), { text: 'who am I' })).rejects.toMatchObject({ code: 'IDENTITY_REQUIRED' });
      await expect(t.app.notes.append(t.caller(), { text: 'signed', author: 'human' })).rejects.toMatchObject({ code: 'IDENTITY_REQUIRED' });
      await expect(t.app.notes.append(t.caller('bob'), { text: 'signed', author: 'planner' })).rejects.toMatchObject({ code: 'IDENTITY_MISMATCH' });
      await expect(t.app.notes.append(t.caller('bob'), { text: 'signed', author: 'bob' })).resolves.toEqual({ id: 1 });
    });
  });

  describe('projects sharing one store file', () => {
    it('never shows one project the notes of another', async () => {
      const other = await makeTestApp({ storage, dbPath: t.config.dbPath });
      const otherBob = other.caller('bob');
      await other.app.agents.register(otherBob, { role: 'implementer', name: 'bob' });
      await t.app.notes.append(alice, { text: 'project one' });
      await other.app.notes.append(other.caller('zed'), { text: 'project two' });

      expect(texts(await t.app.notes.list(bob, { since: 0 }))).toEqual(['project one']);
      expect(texts(await other.app.notes.list(otherBob, { since: 0 }))).toEqual(['project two']);
      other.app.close();
    });
  });
});
