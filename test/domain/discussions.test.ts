import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../fixtures/app.js';
import { removeTempDirs } from '../../fixtures/git.js';
import type { Caller } from '../../src/domain/context.js';
import type { StorageBackend } from '../../src/store/store.js';

const DAY = 86_400_000;

let t: TestApp;
let planner: Caller;
let bob: Caller;
let carol: Caller;

const inboxIds = async (agent: string) => (await t.app.discussions.inbox(t.caller(), agent)).discussions.map((d) => d.id);

async function events(kind: string) {
  return t.app.context.store.read(t.repo, (tx) => tx.find('events', { where: { kind }, orderBy: 'seq' }));
}

afterAll(() => removeTempDirs());

// Both backends promise the same behaviour, so every case runs on each.
describe.each<StorageBackend>(['sqlite', 'json'])('on the %s store', (storage) => {
  beforeEach(async () => {
    t = await makeTestApp({ storage });
    planner = t.caller('planner', 'planner');
    bob = t.caller('bob');
    carol = t.caller('carol');
  });

  afterEach(() => t.app.close());

  describe('starting and replying', () => {
    it('puts a new discussion in the inbox of the agent it waits on', async () => {
      const started = await t.app.discussions.start(bob, { topic: 'Which ORM?', message: 'drizzle or kysely?', waitingOn: 'planner' });
      const open = await t.app.discussions.start(bob, { topic: 'Thoughts', message: 'anyone?' });

      expect(started).toEqual({ id: 1, status: 'waiting', waitingOn: 'planner', messageId: 1 });
      expect(open).toEqual({ id: 2, status: 'open', messageId: 2 });
      expect(await inboxIds('planner')).toEqual([1]);
      expect(await events('discussion_started')).toMatchObject([
        { actor: 'bob', target: 'planner', subject: '1' },
        { actor: 'bob', target: null, subject: '2' },
      ]);
    });

    it('sends a reply without waitingOn back to the starter', async () => {
      const { id } = await t.app.discussions.start(bob, { topic: 'API shape', message: 'REST?', waitingOn: 'planner' });

      const reply = await t.app.discussions.reply(planner, { discussionId: id, message: 'GraphQL', recommendation: 'use yoga' });

      expect(reply).toMatchObject({ id, status: 'waiting', waitingOn: 'bob' });
      expect(await inboxIds('bob')).toEqual([id]);
      expect(await inboxIds('planner')).toEqual([]);
      expect(await events('discussion_replied')).toMatchObject([{ actor: 'planner', target: 'bob', subject: String(id) }]);
    });

    it("passes the starter's own reply to the last other participant", async () => {
      const { id } = await t.app.discussions.start(bob, { topic: 'Schema', message: 'v1?', waitingOn: 'planner' });
      await t.app.discussions.reply(carol, { discussionId: id, message: 'I have an opinion' });

      expect(await t.app.discussions.reply(bob, { discussionId: id, message: 'go on' })).toMatchObject({ waitingOn: 'carol' });
    });

    it('keeps a discussion waiting on the asked agent when the starter adds to it before any answer', async () => {
      const asked = await t.app.discussions.start(bob, { topic: 'Q', message: 'first', waitingOn: 'planner' });
      const unaddressed = await t.app.discussions.start(bob, { topic: 'Q2', message: 'first' });

      expect(await t.app.discussions.reply(bob, { discussionId: asked.id, message: 'more detail' })).toMatchObject({ waitingOn: 'planner' });
      expect(await t.app.discussions.reply(bob, { discussionId: unaddressed.id, message: 'more' })).toEqual({
        id: unaddressed.id,
        status: 'open',
        messageId: 4,
      });
    });

    it('hands the turn to whoever a reply names', async () => {
      const { id } = await t.app.discussions.start(bob, { topic: 'Q', message: 'm', waitingOn: 'planner' });

      await t.app.discussions.reply(planner, { discussionId: id, message: 'carol knows', waitingOn: 'carol' });

      expect(await inboxIds('carol')).toEqual([id]);
      expect(await inboxIds('bob')).toEqual([]);
    });

    it('refuses a discussion that waits on its own author', async () => {
      await expect(t.app.discussions.start(bob, { topic: 'Q', message: 'm', waitingOn: 'bob' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    });

    it('requires an author when the session has no identity', async () => {
      await expect(t.app.discussions.start(t.caller(), { topic: 'Q', message: 'm' })).rejects.toMatchObject({ code: 'IDENTITY_REQUIRED' });
    });

    it('returns the discussion with its messages in order', async () => {
      const { id } = await t.app.discussions.start(bob, { topic: 'Q', message: 'ask', category: 'blocker', priority: 'high', waitingOn: 'planner' });
      await t.app.discussions.reply(planner, { discussionId: id, message: 'answer', recommendation: 'do X' });

      const detail = await t.app.discussions.get(t.caller(), id);

      expect(detail).toMatchObject({ id, topic: 'Q', category: 'blocker', priority: 'high', status: 'waiting', author: 'bob', waitingOn: 'bob' });
      expect(detail.messages).toEqual([
        { id: 1, author: 'bob', message: 'ask', at: t.clock.now() },
        { id: 2, author: 'planner', message: 'answer', recommendation: 'do X', at: t.clock.now() },
      ]);
      await expect(t.app.discussions.get(t.caller(), 99)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('resolving', () => {
    it('records the decision, clears waitingOn and tells the starter', async () => {
      const { id } = await t.app.discussions.start(bob, { topic: 'Q', message: 'm', waitingOn: 'planner' });

      const resolved = await t.app.discussions.resolve(planner, { discussionId: id, decision: 'Use SQLite', reasoning: 'embedded' });

      expect(resolved).toEqual({ id, status: 'resolved', decision: 'Use SQLite', decidedBy: 'planner' });
      expect(await inboxIds('planner')).toEqual([]);
      expect(await t.app.discussions.get(t.caller(), id)).toMatchObject({ status: 'resolved', decision: 'Use SQLite', reasoning: 'embedded', decidedBy: 'planner' });
      expect((await t.app.discussions.get(t.caller(), id)).waitingOn).toBeUndefined();
      expect(await events('discussion_resolved')).toMatchObject([{ actor: 'planner', target: 'bob', subject: String(id) }]);
    });

    it('refuses to re-resolve, showing the existing decision and who made it', async () => {
      const { id } = await t.app.discussions.start(bob, { topic: 'Q', message: 'm' });
      await t.app.discussions.resolve(planner, { discussionId: id, decision: 'A', reasoning: 'r' });

      const second = t.app.discussions.resolve(carol, { discussionId: id, decision: 'B', reasoning: 'r2' });

      await expect(second).rejects.toMatchObject({
        code: 'DISCUSSION_CLOSED',
        message: expect.stringContaining('planner decided: A'),
        details: { status: 'resolved', decision: 'A', decidedBy: 'planner' },
      });
      expect(await t.app.discussions.get(t.caller(), id)).toMatchObject({ decision: 'A', decidedBy: 'planner' });
    });

    it('refuses replies to resolved and archived discussions', async () => {
      const resolved = await t.app.discussions.start(bob, { topic: 'Q', message: 'm' });
      const archived = await t.app.discussions.start(bob, { topic: 'Q2', message: 'm' });
      await t.app.discussions.resolve(planner, { discussionId: resolved.id, decision: 'A', reasoning: 'r' });
      await t.app.discussions.archive(planner, archived.id);

      for (const discussionId of [resolved.id, archived.id]) {
        await expect(t.app.discussions.reply(carol, { discussionId, message: 'late' })).rejects.toMatchObject({
          code: 'DISCUSSION_CLOSED',
          next: expect.stringContaining('discussion_start'),
        });
      }
      expect((await t.app.discussions.get(t.caller(), resolved.id)).messages).toHaveLength(1);
    });

    it('links only a task that exists in the project', async () => {
      const { id } = await t.app.discussions.start(bob, { topic: 'Q', message: 'm' });
      await expect(
        t.app.discussions.resolve(planner, { discussionId: id, decision: 'A', reasoning: 'r', linkedTaskId: 7 }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await t.app.context.store.write(t.repo, (tx) =>
        tx.insert('tasks', {
          id: 7, title: 'do A', description: null, status: 'todo', complexity: 'medium', isolation: 'shared', owner: null,
          tags: [], metadata: {}, dependsOn: [], reviewNotes: null, feedback: null, createdBy: 'planner', createdAt: 0, updatedAt: 0,
        }),
      );

      await t.app.discussions.resolve(planner, { discussionId: id, decision: 'A', reasoning: 'r', linkedTaskId: 7 });

      expect(await t.app.discussions.get(t.caller(), id)).toMatchObject({ linkedTaskId: 7 });
    });
  });

  describe('inbox and list', () => {
    it('orders the inbox blocking and high priority first, oldest first within a priority', async () => {
      const start = async (priority: 'low' | 'medium' | 'high' | 'blocking') => {
        t.clock.advance(1_000);
        return (await t.app.discussions.start(bob, { topic: priority, message: 'm', priority, waitingOn: 'planner' })).id;
      };
      const low = await start('low');
      const medium = await start('medium');
      const high = await start('high');
      const blockingOld = await start('blocking');
      const blockingNew = await start('blocking');
      await t.app.discussions.start(bob, { topic: 'not mine', message: 'm', priority: 'blocking', waitingOn: 'carol' });

      expect(await inboxIds('planner')).toEqual([blockingOld, blockingNew, high, medium, low]);
      expect(await t.app.discussions.inbox(planner)).toMatchObject({ agent: 'planner', more: false });
    });

    it('filters lists in the store and hides archived discussions unless asked', async () => {
      const a = await t.app.discussions.start(bob, { topic: 'a', message: 'm', category: 'architecture', waitingOn: 'planner' });
      t.clock.advance(1_000);
      const b = await t.app.discussions.start(bob, { topic: 'b', message: 'm', category: 'question' });
      t.clock.advance(1_000);
      const c = await t.app.discussions.start(bob, { topic: 'c', message: 'm' });
      await t.app.discussions.archive(planner, c.id);
      const ids = async (filter: Parameters<TestApp['app']['discussions']['list']>[1]) =>
        (await t.app.discussions.list(t.caller(), filter)).discussions.map((d) => d.id);

      expect(await ids({})).toEqual([b.id, a.id]);
      expect(await ids({ category: 'architecture' })).toEqual([a.id]);
      expect(await ids({ waitingOn: 'planner' })).toEqual([a.id]);
      expect(await ids({ status: 'open' })).toEqual([b.id]);
      expect(await ids({ status: 'archived' })).toEqual([c.id]);
      expect(await t.app.discussions.list(t.caller(), { limit: 1 })).toMatchObject({ discussions: [{ id: b.id }], more: true });
      expect(await ids({ limit: 1, offset: 1 })).toEqual([a.id]);
    });

    it('archives idempotently and reports NOT_FOUND for unknown ids', async () => {
      const { id } = await t.app.discussions.start(bob, { topic: 'Q', message: 'm', waitingOn: 'planner' });

      expect(await t.app.discussions.archive(planner, id)).toEqual({ id, status: 'archived' });
      expect(await t.app.discussions.archive(planner, id)).toEqual({ id, status: 'archived' });
      expect(await inboxIds('planner')).toEqual([]);
      expect(await events('discussion_archived')).toHaveLength(1);
      await expect(t.app.discussions.archive(planner, 42)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('cleanup', () => {
    it('archives resolved discussions after N days and deletes archived ones after M days', async () => {
      const resolved = await t.app.discussions.start(bob, { topic: 'resolved', message: 'm' });
      await t.app.discussions.resolve(planner, { discussionId: resolved.id, decision: 'A', reasoning: 'r' });
      const stillOpen = await t.app.discussions.start(bob, { topic: 'open', message: 'm' });

      t.clock.advance(6 * DAY);
      expect(await t.app.discussions.cleanup(planner)).toEqual({ archived: 0, deleted: 0 });
      t.clock.advance(2 * DAY);
      expect(await t.app.discussions.cleanup(planner)).toEqual({ archived: 1, deleted: 0 });
      t.clock.advance(29 * DAY);
      expect(await t.app.discussions.cleanup(planner)).toEqual({ archived: 0, deleted: 0 });
      t.clock.advance(2 * DAY);
      expect(await t.app.discussions.cleanup(planner)).toEqual({ archived: 0, deleted: 1 });

      await expect(t.app.discussions.get(planner, resolved.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const messages = await t.app.context.store.read(t.repo, (tx) => tx.find('messages', { where: { discussionId: resolved.id } }));
      expect(messages).toEqual([]);
      expect(await t.app.discussions.get(planner, stillOpen.id)).toMatchObject({ status: 'open' });
    });

    it('takes custom ages in days', async () => {
      const { id } = await t.app.discussions.start(bob, { topic: 'Q', message: 'm' });
      await t.app.discussions.resolve(planner, { discussionId: id, decision: 'A', reasoning: 'r' });
      t.clock.advance(DAY + 1);

      expect(await t.app.discussions.cleanup(planner, { archiveOlderThanDays: 1 })).toEqual({ archived: 1, deleted: 0 });
      t.clock.advance(1);
      expect(await t.app.discussions.cleanup(planner, { deleteOlderThanDays: 0 })).toEqual({ archived: 0, deleted: 1 });
    });
  });

  describe('projects sharing one store file', () => {
    it('keeps discussions, inboxes and cleanups apart', async () => {
      const other = await makeTestApp({ storage, dbPath: t.config.dbPath });
      const mine = await t.app.discussions.start(bob, { topic: 'here', message: 'm', waitingOn: 'planner' });
      await t.app.discussions.resolve(planner, { discussionId: (await t.app.discussions.start(bob, { topic: 'old', message: 'm' })).id, decision: 'A', reasoning: 'r' });
      await other.app.discussions.start(other.caller('zed'), { topic: 'there', message: 'm', waitingOn: 'planner' });

      expect((await other.app.discussions.inbox(other.caller(), 'planner')).discussions.map((d) => d.topic)).toEqual(['there']);
      expect((await t.app.discussions.inbox(t.caller(), 'planner')).discussions.map((d) => d.topic)).toEqual(['here']);
      await expect(other.app.discussions.reply(other.caller('zed'), { discussionId: 2, message: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      t.clock.advance(8 * DAY);
      other.clock.advance(8 * DAY);
      expect(await other.app.discussions.cleanup(other.caller())).toEqual({ archived: 0, deleted: 0 });
      expect(await t.app.discussions.get(t.caller(), mine.id)).toMatchObject({ topic: 'here' });
      other.app.close();
    });
  });
});
