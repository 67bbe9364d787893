import { afterAll, describe, expect, it } from 'vitest';
import { useDomainApp } from '../../fixtures/domain-app.js';
import { everyBackend } from '../../fixtures/backends.js';
import { removeTempDirs } from '../../fixtures/git.js';
import { refusal } from '../../fixtures/refusal.js';

afterAll(removeTempDirs);

describe.each(await everyBackend())('ReviewService on %s', (storage) => {
  const h = useDomainApp(storage);
  const { stored, events } = h;

  /** A task owned by ada, in review. */
  async function inReview(complexity: 'simple' | 'complex' = 'complex'): Promise<number> {
    const { id } = await h.t.app.tasks.create(h.planner, { title: 'Parser', complexity });
    await h.t.app.tasks.claim(h.ada, id);
    await h.t.app.review.submit(h.ada, id, 'see parser.test.ts');
    return id;
  }

  describe('submitting', () => {
    it('moves the owner\'s task to review with its notes and tells everyone', async () => {
      const id = await inReview();
      expect(await stored(id)).toMatchObject({ status: 'review', reviewNotes: 'see parser.test.ts' });
      expect(await events('task_submitted')).toMatchObject([{ actor: 'ada', target: null, subject: String(id) }]);
    });

    it('refuses anyone but the owner', async () => {
      const { id } = await h.t.app.tasks.create(h.planner, { title: 'Parser' });
      expect(await refusal(h.t.app.review.submit(h.ada, id, 'x'))).toMatchObject({ code: 'NOT_OWNER', details: { owner: null } });
      await h.t.app.tasks.claim(h.ada, id);
      expect(await refusal(h.t.app.review.submit(h.bob, id, 'x'))).toMatchObject({ code: 'NOT_OWNER', details: { owner: 'ada' } });
      expect(await refusal(h.t.app.review.submit(h.planner, id, 'x'))).toMatchObject({ code: 'NOT_OWNER' });
      expect((await refusal(h.t.app.review.submit(h.t.caller(), id, 'x', 'ada'))).code).toBe('IDENTITY_REQUIRED');
      expect((await refusal(h.t.app.review.submit(h.bob, id, 'x', 'ada'))).code).toBe('IDENTITY_MISMATCH');
      expect(await h.t.app.review.submit(h.ada, id, 'x', 'ada')).toMatchObject({ status: 'review' });
    });

    it('refuses a task that is not being worked on', async () => {
      const { id } = await h.t.app.tasks.create(h.planner, { title: 'Parser' });
      await h.t.app.tasks.claim(h.ada, id);
      await h.t.app.tasks.update(h.ada, id, { status: 'blocked' });
      expect(await refusal(h.t.app.review.submit(h.ada, id, 'x'))).toMatchObject({ code: 'TASK_INVALID_TRANSITION' });
    });
  });

  describe('approving', () => {
    it('finishes a task in review and sends the verdict to its owner', async () => {
      const id = await inReview();
      expect(await h.t.app.review.approve(h.planner, id, 'nice')).toMatchObject({ id, status: 'done', owner: 'ada' });
      expect(await stored(id)).toMatchObject({ status: 'done', feedback: 'nice' });
      expect(await events('task_approved')).toMatchObject([{ actor: 'plan', target: 'ada', subject: String(id), data: { feedback: 'nice' } }]);
    });

    it('shows the verdict in the owner\'s pending block', async () => {
      await h.t.app.agents.register(h.t.caller(), { role: 'implementer', name: 'ada' });
      const id = await inReview();
      await h.t.app.review.approve(h.planner, id);
      expect(await h.t.app.agents.touch(h.ada)).toMatchObject({ reviews: [{ task: id, verdict: 'approved' }] });
    });

    it('refuses an implementer, even approving its own task', async () => {
      const id = await inReview();
      const error = await refusal(h.t.app.review.approve(h.ada, id));
      expect(error.code).toBe('ROLE_FORBIDDEN');
      expect((await stored(id)).status).toBe('review');
      expect((await refusal(h.t.app.review.approve(h.t.caller(), id))).code).toBe('ROLE_FORBIDDEN');
    });

    it('refuses a task that is not in review', async () => {
      const { id } = await h.t.app.tasks.create(h.planner, { title: 'Parser', complexity: 'critical' });
      await h.t.app.tasks.claim(h.ada, id);
      expect(await refusal(h.t.app.review.approve(h.planner, id))).toMatchObject({
        code: 'TASK_INVALID_TRANSITION',
        details: { status: 'in_progress' },
      });
      expect((await refusal(h.t.app.review.approve(h.planner, 99))).code).toBe('NOT_FOUND');
    });

    it('approves a batch independently and once per id, reporting each failure with its code', async () => {
      const first = await inReview();
      const second = await inReview('simple');
      const { id: notSubmitted } = await h.t.app.tasks.create(h.planner, { title: 'Later' });
      const result = await h.t.app.review.approveBatch(h.planner, [first, notSubmitted, 99, second, first], 'ok');
      expect(result.approved).toEqual([first, second]);
      expect(result.failed).toMatchObject([
        { id: notSubmitted, code: 'TASK_INVALID_TRANSITION' },
        { id: 99, code: 'NOT_FOUND' },
      ]);
      expect((await stored(second)).status).toBe('done');
    });

    it('refuses a whole batch from an implementer', async () => {
      const id = await inReview();
      expect((await refusal(h.t.app.review.approveBatch(h.ada, [id]))).code).toBe('ROLE_FORBIDDEN');
      expect((await stored(id)).status).toBe('review');
    });
  });

  describe('requesting changes', () => {
    it('sends the task back with feedback, and the owner resubmits', async () => {
      const id = await inReview();
      expect(await h.t.app.review.requestChanges(h.planner, id, 'add a test for errors')).toMatchObject({ status: 'changes_requested' });
      expect(await stored(id)).toMatchObject({ status: 'changes_requested', feedback: 'add a test for errors' });
      expect(await events('task_changes_requested')).toMatchObject([
        { actor: 'plan', target: 'ada', data: { feedback: 'add a test for errors' } },
      ]);
      await h.t.app.review.submit(h.ada, id, 'added');
      expect(await stored(id)).toMatchObject({ status: 'review', reviewNotes: 'added' });
    });

    it('refuses an implementer and a task not in review', async () => {
      const id = await inReview();
      expect((await refusal(h.t.app.review.requestChanges(h.ada, id, 'x'))).code).toBe('ROLE_FORBIDDEN');
      await h.t.app.review.approve(h.planner, id);
      expect((await refusal(h.t.app.review.requestChanges(h.planner, id, 'x'))).code).toBe('TASK_INVALID_TRANSITION');
    });
  });
});
