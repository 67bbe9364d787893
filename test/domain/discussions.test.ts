import { afterAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../fixtures/app.js';
import { useDomainApp } from '../../fixtures/domain-app.js';
import { everyBackend } from '../../fixtures/backends.js';
import { removeTempDirs } from '../../fixtures/git.js';
import { taskRow } from '../../fixtures/rows.js';

const DAY = 86_400_000;

afterAll(() => removeTempDirs());

// Both backends promise the same behaviour, so every case runs on each.
describe.each(await everyBackend())('on the %s store', (storage) => {
  const h = useDomainApp(storage, 'planner');
  const { events } = h;
  const inboxIds = async (agent: string) => (await h.t.app.discussions.inbox(h.t.caller(agent), agent)).discussions.map((d) => d.id);

  describe('starting and replying', () => {
    it('puts a new discussion in the inbox of the agent it waits on', async () => {
      const started = await h.t.app.discussions.start(h.bob, { topic: 'Which ORM?', message: 'drizzle or kysely?', waitingOn: 'planner' });
      const open = await h.t.app.discussions.start(h.bob, { topic: 'Thoughts', message: 'anyone?' });

      expect(started).toEqual({ id: 1, status: 'waiting', waitingOn: 'planner', messageId: 1 });
      expect(open).toEqual({ id: 2, status: 'open', messageId: 2 });
      expect(await inboxIds('planner')).toEqual([1]);
      expect(await events('discussion_started')).toMatchObject([
        { actor: 'bob', target: 'planner', subject: '1' },
        { actor: 'bob', target: null, subject: '2' },
      ]);
    });

    it('sends a reply without waitingOn back to the starter', async () => {
      const { id } = await h.t.app.discussions.start(h.bob, { topic: 'API shape', message: 'REST?', waitingOn: 'planner' });

      const reply = await h.t.app.discussions.reply(h.planner, { discussionId: id, message: 'GraphQL', recommendation: 'use yoga' });

      expect(reply).toMatchObject({ id, status: 'waiting', waitingOn: 'bob' });
      expect(await inboxIds('bob')).toEqual([id]);
      expect(await inboxIds('planner')).toEqual([]);
      expect(await events('discussion_replied')).toMatchObject([{ actor: 'planner', target: 'bob', subject: String(id) }]);
    });

    it("passes the starter's own reply to the last other participant", async () => {
      const { id } = await h.t.app.discussions.start(h.bob, { topic: 'Schema', message: 'v1?', waitingOn: 'planner' });
      await h.t.app.discussions.reply(h.carol, { discussionId: id, message: 'I have an opinion' });

      expect(await h.t.app.discussions.reply(h.bob, { discussionId: id, message: 'go on' })).toMatchObject({ waitingOn: 'carol' });
    });

    it('keeps a discussion waiting on the asked agent when the starter adds to it before any answer', async () => {
      const asked = await h.t.app.discussions.start(h.bob, { topic: 'Q', message: 'first', waitingOn: 'planner' });
      const unaddressed = await h.t.app.discussions.start(h.bob, { topic: 'Q2', message: 'first' });

      expect(await h.t.app.discussions.reply(h.bob, { discussionId: asked.id, message: 'more detail' })).toMatchObject({ waitingOn: 'planner' });
      expect(await h.t.app.discussions.reply(h.bob, { discussionId: unaddressed.id, message: 'more' })).toEqual({
        id: unaddressed.id,
        status: 'open',
        messageId: 4,
      });
    });

    it('hands the turn to whoever a reply names', async () => {
      const { id } = await h.t.app.discussions.start(h.bob, { topic: 'Q', message: 'm', waitingOn: 'planner' });

      await h.t.app.discussions.reply(h.planner, { discussionId: id, message: 'carol knows', waitingOn: 'carol' });

      expect(await inboxIds('carol')).toEqual([id]);
      expect(await inboxIds('bob')).toEqual([]);
    });

    it('refuses a discussion that waits on its own author', async () => {
      await expect(h.t.app.discussions.start(h.bob, { topic: 'Q', message: 'm', waitingOn: 'bob' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    });

    it('requires an identity, and an author that is the caller', async () => {
      await expect(h.t.app.discussions.start(h.t.caller(), { topic: 'Q', message: 'm', author: 'bob' })).rejects.toMatchObject({ code: 'IDENTITY_REQUIRED' });
      await expect(h.t.app.discussions.start(h.bob, { topic: 'Q', message: 'm', author: 'planner' })).rejects.toMatchObject({ code: 'IDENTITY_MISMATCH' });
      await expect(h.t.app.discussions.inbox(h.bob, 'carol')).rejects.toMatchObject({ code: 'IDENTITY_MISMATCH' });
    });

    it('returns the discussion with its messages in order', async () => {
      const { id } = await h.t.app.discussions.start(h.bob, { topic: 'Q', message: 'ask', category: 'blocker', priority: 'high', waitingOn: 'planner' });
      await h.t.app.discussions.reply(h.planner, { discussionId: id, message: 'answer', recommendation: 'do X' });

      const detail = await h.t.app.discussions.get(h.t.caller(), id);

      expect(detail).toMatchObject({ id, topic: 'Q', category: 'blocker', priority: 'high', status: 'waiting', author: 'bob', waitingOn: 'bob' });
      expect(detail.messages).toEqual([
        { id: 1, author: 'bob', message: 'ask', at: h.t.clock.now() },
        { id: 2, author: 'planner', message: 'answer', recommendation: 'do X', at: h.t.clock.now() },
      ]);
      await expect(h.t.app.discussions.get(h.t.caller(), 99)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('resolving', () => {
    it('records the decision, clears waitingOn and tells the starter', async () => {
      const { id } = await h.t.app.discussions.start(h.bob, { topic: 'Q', message: 'm', waitingOn: 'planner' });

      const resolved = await h.t.app.discussions.resolve(h.planner, { discussionId: id, decision: 'Use SQLite', reasoning: 'embedded' });

      expect(resolved).toEqual({ id, status: 'resolved', decision: 'Use SQLite', decidedBy: 'planner' });
      expect(await inboxIds('planner')).toEqual([]);
      expect(await h.t.app.discussions.get(h.t.caller(), id)).toMatchObject({ status: 'resolved', decision: 'Use SQLite', reasoning: 'embedded', decidedBy: 'planner' });
      expect((await h.t.app.discussions.get(h.t.caller(), id)).waitingOn).toBeUndefined();
      expect(await events('discussion_resolved')).toMatchObject([{ actor: 'planner', target: 'bob', subject: String(id) }]);
    });

    it('refuses to re-resolve, showing the existing decision and who made it', async () => {
      const { id } = await h.t.app.discussions.start(h.bob, { topic: 'Q', message: 'm' });
      await h.t.app.discussions.resolve(h.planner, { discussionId: id, decision: 'A', reasoning: 'r' });

      const second = h.t.app.discussions.resolve(h.carol, { discussionId: id, decision: 'B', reasoning: 'r2' });

      await expect(second).rejects.toMatchObject({
        code: 'DISCUSSION_CLOSED',
        message: expect.stringContaining('planner decided: A'),
        details: { status: 'resolved', decision: 'A', decidedBy: 'planner' },
      });
      expect(await h.t.app.discussions.get(h.t.caller(), id)).toMatchObject({ decision: 'A', decidedBy: 'planner' });
    });

    it('refuses replies to resolved and archived discussions', async () => {
      const resolved = await h.t.app.discussions.start(h.bob, { topic: 'Q', message: 'm' });
      const archived = await h.t.app.discussions.start(h.bob, { topic: 'Q2', message: 'm' });
      await h.t.app.discussions.resolve(h.planner, { discussionId: resolved.id, decision: 'A', reasoning: 'r' });
      await h.t.app.discussions.archive(h.planner, archived.id);

      for (const discussionId of [resolved.id, archived.id]) {
        await expect(h.t.app.discussions.reply(h.carol, { discussionId, message: 'late' })).rejects.toMatchObject({
          code: 'DISCUSSION_CLOSED',
          next: expect.stringContaining('discussion_start'),
        });
      }
      expect((await h.t.app.discussions.get(h.t.caller(), resolved.id)).messages).toHaveLength(1);
    });

    it('links only a task that exists in the project', async () => {
      const { id } = await h.t.app.discussions.start(h.bob, { topic: 'Q', message: 'm' });
      await expect(
        h.t.app.discussions.resolve(h.planner, { discussionId: id, decision: 'A', reasoning: 'r', linkedTaskId: 7 }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await h.t.app.context.store.write(h.t.repo, (tx) =>
        tx.insert('tasks', taskRow(7, { title: 'do A', complexity: 'medium', createdBy: 'planner', createdAt: 0, updatedAt: 0 })),
      );

      await h.t.app.discussions.resolve(h.planner, { discussionId: id, decision: 'A', reasoning: 'r', linkedTaskId: 7 });

      expect(await h.t.app.discussions.get(h.t.caller(), id)).toMatchObject({ linkedTaskId: 7 });
    });
  });

  describe('inbox and list', () => {
    it('orders the inbox blocking and high priority first, oldest first within a priority', async () => {
      const start = async (priority: 'low' | 'medium' | 'high' | 'blocking') => {
        h.t.clock.advance(1_000);
        return (await h.t.app.discussions.start(h.bob, { topic: priority, message: 'm', priority, waitingOn: 'planner' })).id;
      };
      const low = await start('low');
      const medium = await start('medium');
      const high = await start('high');
      const blockingOld = await start('blocking');
      const blockingNew = await start('blocking');
      await h.t.app.discussions.start(h.bob, { topic: 'not mine', message: 'm', priority: 'blocking', waitingOn: 'carol' });

      expect(await inboxIds('planner')).toEqual([blockingOld, blockingNew, high, medium, low]);
      expect(await h.t.app.discussions.inbox(h.planner)).toMatchObject({ agent: 'planner', more: false });
    });

    it('filters lists in the store and hides archived discussions unless asked', async () => {
      const a = await h.t.app.discussions.start(h.bob, { topic: 'a', message: 'm', category: 'architecture', waitingOn: 'planner' });
      h.t.clock.advance(1_000);
      const b = await h.t.app.discussions.start(h.bob, { topic: 'b', message: 'm', category: 'question' });
      h.t.clock.advance(1_000);
      const c = await h.t.app.discussions.start(h.bob, { topic: 'c', message: 'm' });
      await h.t.app.discussions.archive(h.planner, c.id);
      const ids = async (filter: Parameters<TestApp['app']['discussions']['list']>[1]) =>
        (await h.t.app.discussions.list(h.t.caller(), filter)).discussions.map((d) => d.id);

      expect(await ids({})).toEqual([b.id, a.id]);
      expect(await ids({ category: 'architecture' })).toEqual([a.id]);
      expect(await ids({ waitingOn: 'planner' })).toEqual([a.id]);
      expect(await ids({ status: 'open' })).toEqual([b.id]);
      expect(await ids({ status: 'archived' })).toEqual([c.id]);
      expect(await h.t.app.discussions.list(h.t.caller(), { limit: 1 })).toMatchObject({ discussions: [{ id: b.id }], more: true });
      expect(await ids({ limit: 1, offset: 1 })).toEqual([a.id]);
    });

    it('archives idempotently and reports NOT_FOUND for unknown ids', async () => {
      const { id } = await h.t.app.discussions.start(h.bob, { topic: 'Q', message: 'm', waitingOn: 'planner' });

      expect(await h.t.app.discussions.archive(h.planner, id)).toEqual({ id, status: 'archived' });
      expect(await h.t.app.discussions.archive(h.planner, id)).toEqual({ id, status: 'archived' });
      expect(await inboxIds('planner')).toEqual([]);
      expect(await events('discussion_archived')).toHaveLength(1);
      await expect(h.t.app.discussions.archive(h.planner, 42)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('cleanup', () => {
    it('archives resolved discussions after N days and deletes archived ones after M days', async () => {
      const resolved = await h.t.app.discussions.start(h.bob, { topic: 'resolved', message: 'm' });
      await h.t.app.discussions.resolve(h.planner, { discussionId: resolved.id, decision: 'A', reasoning: 'r' });
      const stillOpen = await h.t.app.discussions.start(h.bob, { topic: 'open', message: 'm' });

      h.t.clock.advance(6 * DAY);
      expect(await h.t.app.discussions.cleanup(h.planner)).toEqual({ archived: 0, deleted: 0 });
      h.t.clock.advance(2 * DAY);
      expect(await h.t.app.discussions.cleanup(h.planner)).toEqual({ archived: 1, deleted: 0 });
      h.t.clock.advance(29 * DAY);
      expect(await h.t.app.discussions.cleanup(h.planner)).toEqual({ archived: 0, deleted: 0 });
      h.t.clock.advance(2 * DAY);
      expect(await h.t.app.discussions.cleanup(h.planner)).toEqual({ archived: 0, deleted: 1 });

      await expect(h.t.app.discussions.get(h.planner, resolved.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const messages = await h.t.app.context.store.read(h.t.repo, (tx) => tx.find('messages', { where: { discussionId: resolved.id } }));
      expect(messages).toEqual([]);
      expect(await h.t.app.discussions.get(h.planner, stillOpen.id)).toMatchObject({ status: 'open' });
    });

    it('takes custom ages in days', async () => {
      const { id } = await h.t.app.discussions.start(h.bob, { topic: 'Q', message: 'm' });
      await h.t.app.discussions.resolve(h.planner, { discussionId: id, decision: 'A', reasoning: 'r' });
      h.t.clock.advance(DAY + 1);

      expect(await h.t.app.discussions.cleanup(h.planner, { archiveOlderThanDays: 1 })).toEqual({ archived: 1, deleted: 0 });
      h.t.clock.advance(1);
      expect(await h.t.app.discussions.cleanup(h.planner, { deleteOlderThanDays: 0 })).toEqual({ archived: 0, deleted: 1 });
    });
  });

  describe('projects sharing one store file', () => {
    it('keeps discussions, inboxes and cleanups apart', async () => {
      const other = await makeTestApp({ storage, dbPath: h.t.config.dbPath });
      const mine = await h.t.app.discussions.start(h.bob, { topic: 'here', message: 'm', waitingOn: 'planner' });
      await h.t.app.discussions.resolve(h.planner, { discussionId: (await h.t.app.discussions.start(h.bob, { topic: 'old', message: 'm' })).id, decision: 'A', reasoning: 'r' });
      await other.app.discussions.start(other.caller('zed'), { topic: 'there', message: 'm', waitingOn: 'planner' });

      expect((await other.app.discussions.inbox(other.caller('planner'), 'planner')).discussions.map((d) => d.topic)).toEqual(['there']);
      expect((await h.t.app.discussions.inbox(h.t.caller('planner'), 'planner')).discussions.map((d) => d.topic)).toEqual(['here']);
      await expect(other.app.discussions.reply(other.caller('zed'), { discussionId: 2, message: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      h.t.clock.advance(8 * DAY);
      other.clock.advance(8 * DAY);
      expect(await other.app.discussions.cleanup(other.caller())).toEqual({ archived: 0, deleted: 0 });
      expect(await h.t.app.discussions.get(h.t.caller(), mine.id)).toMatchObject({ topic: 'here' });
      other.app.close();
    });
  });
});
