import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp } from '../../fixtures/app.js';
import { useDomainApp } from '../../fixtures/domain-app.js';
import { removeTempDirs } from '../../fixtures/git.js';
import { everyBackend } from '../../fixtures/backends.js';
import { refusal } from '../../fixtures/refusal.js';
import type { NewTask } from '../../src/domain/tasks.js';
import type { TaskStatus } from '../../src/core/vocabulary.js';
import type { StorageBackend } from '../../src/store/store.js';

afterAll(removeTempDirs);

describe.each<StorageBackend>(await everyBackend())('TaskService on %s', (storage) => {
  const h = useDomainApp(storage);
  const { stored, events } = h;

  const create = (draft: Partial<NewTask> = {}) => h.t.app.tasks.create(h.planner, { title: 'Parser', ...draft });

  describe('creating', () => {
    it('creates a todo task with defaults and records who created it', async () => {
      const task = await create();
      expect(task).toEqual({ id: 1, title: 'Parser', status: 'todo', complexity: 'medium', isolation: 'shared' });
      expect((await stored(1)).createdBy).toBe('plan');
      expect(await events('task_created')).toMatchObject([{ actor: 'plan', target: null, subject: '1' }]);
    });

    it('pre-assigns a task given an owner: it stays todo and only that agent may claim it', async () => {
      const task = await create({ owner: 'ada' });
      expect(task).toMatchObject({ status: 'todo', owner: 'ada' });
      expect(await refusal(h.t.app.tasks.claim(h.bob, task.id))).toMatchObject({ code: 'TASK_NOT_CLAIMABLE', details: { owner: 'ada' } });
      expect(await h.t.app.tasks.claim(h.ada, task.id)).toMatchObject({ status: 'in_progress', owner: 'ada' });
    });

    it('refuses dependencies on unknown tasks and stores nothing', async () => {
      await create();
      const error = await refusal(create({ dependsOn: [1, 9] }));
      expect(error).toMatchObject({ code: 'NOT_FOUND', details: { missing: [9] } });
      expect((await h.t.app.tasks.list(h.planner)).total).toBe(1);
    });
  });

  describe('claiming', () => {
    it('moves a todo task to in_progress for the claimer and records the claim', async () => {
      await create({ description: 'parse it' });
      expect(await h.t.app.tasks.claim(h.ada, 1)).toMatchObject({ id: 1, status: 'in_progress', owner: 'ada', description: 'parse it' });
      expect(await events('task_claimed')).toMatchObject([{ actor: 'ada', subject: '1' }]);
    });

    it('refuses a second claimer, naming the holder and its status', async () => {
      await create();
      await h.t.app.tasks.claim(h.ada, 1);
      const error = await refusal(h.t.app.tasks.claim(h.bob, 1));
      expect(error.code).toBe('TASK_NOT_CLAIMABLE');
      expect(error.message).toContain('ada');
      expect(error.details).toMatchObject({ owner: 'ada', status: 'in_progress' });
      expect((await stored(1)).owner).toBe('ada');
    });

    it('never reopens a done task', async () => {
      await create({ complexity: 'simple' });
      await h.t.app.tasks.claim(h.ada, 1);
      await h.t.app.tasks.update(h.ada, 1, { status: 'done' });
      expect(await refusal(h.t.app.tasks.claim(h.bob, 1))).toMatchObject({ code: 'TASK_NOT_CLAIMABLE', details: { status: 'done' } });
      expect((await refusal(h.t.app.tasks.claim(h.ada, 1))).code).toBe('TASK_NOT_CLAIMABLE');
      expect((await stored(1)).status).toBe('done');
    });

    it('claims only as the caller: an owner naming someone else, or no identity at all, is refused', async () => {
      await create();
      expect((await refusal(h.t.app.tasks.claim(h.t.caller(), 1, 'carol'))).code).toBe('IDENTITY_REQUIRED');
      expect((await refusal(h.t.app.tasks.claim(h.ada, 1, 'carol'))).code).toBe('IDENTITY_MISMATCH');
      expect(await h.t.app.tasks.claim(h.carol, 1, 'carol')).toMatchObject({ owner: 'carol' });
    });

    it('lets exactly one of two services over one store file win a simultaneous claim', async () => {
      const second = await makeTestApp({ storage, dbPath: h.t.config.dbPath, repo: h.t.repo });
      try {
        await create();
        const outcomes = await Promise.allSettled([
          h.t.app.tasks.claim(h.ada, 1),
          second.app.tasks.claim(second.caller('bob'), 1),
        ]);
        const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        expect(winners).toHaveLength(1);
        const loser = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
        expect(loser.reason.code).toBe('TASK_NOT_CLAIMABLE');
        expect(await events('task_claimed')).toHaveLength(1);
      } finally {
        second.app.close();
      }
    });

    it('refuses a task whose dependencies are not all done, listing the open ones', async () => {
      await create({ complexity: 'simple' });
      await create();
      await create({ dependsOn: [1, 2] });
      await h.t.app.tasks.claim(h.ada, 1);
      await h.t.app.tasks.update(h.ada, 1, { status: 'done' });
      const error = await refusal(h.t.app.tasks.claim(h.bob, 3));
      expect(error).toMatchObject({ code: 'TASK_DEPENDENCIES_OPEN', details: { open: [2] } });
      expect(error.message).toContain('2');
      expect((await stored(3)).status).toBe('todo');
    });

    it('allows the claim once every dependency is done', async () => {
      await create({ complexity: 'simple' });
      await create({ dependsOn: [1] });
      await h.t.app.tasks.claim(h.ada, 1);
      await h.t.app.tasks.update(h.ada, 1, { status: 'done' });
      expect(await h.t.app.tasks.claim(h.bob, 2)).toMatchObject({ status: 'in_progress', owner: 'bob', dependsOn: [1] });
    });
  });

  describe('updating', () => {
    it('lets the owner and a planner edit, and refuses anyone else', async () => {
      await create();
      await h.t.app.tasks.claim(h.ada, 1);
      expect(await h.t.app.tasks.update(h.ada, 1, { title: 'Lexer', tags: ['core'] })).toMatchObject({ title: 'Lexer', tags: ['core'] });
      expect(await h.t.app.tasks.update(h.planner, 1, { description: 'scan tokens' })).toMatchObject({ description: 'scan tokens' });
      expect(await refusal(h.t.app.tasks.update(h.bob, 1, { title: 'x' }))).toMatchObject({ code: 'NOT_OWNER', details: { owner: 'ada' } });
      expect((await refusal(h.t.app.tasks.update(h.t.caller(), 1, { title: 'x' }))).code).toBe('IDENTITY_REQUIRED');
    });

    it('records the fields changed and tells the owner when someone else changed its task', async () => {
      await create();
      await h.t.app.tasks.claim(h.ada, 1);
      await h.t.app.tasks.update(h.ada, 1, { title: 'Lexer' });
      await h.t.app.tasks.update(h.planner, 1, { status: 'blocked' });
      expect(await events('task_updated')).toMatchObject([
        { actor: 'ada', target: null, data: { fields: ['title'], status: 'in_progress' } },
        { actor: 'plan', target: 'ada', data: { fields: ['status'], status: 'blocked' } },
      ]);
    });

    it('lets only a planner reassign the owner', async () => {
      await create();
      await h.t.app.tasks.claim(h.ada, 1);
      expect((await refusal(h.t.app.tasks.update(h.ada, 1, { owner: 'bob' }))).code).toBe('ROLE_FORBIDDEN');
      expect(await h.t.app.tasks.update(h.planner, 1, { owner: 'bob' })).toMatchObject({ owner: 'bob', status: 'in_progress' });
    });

    it('clears the owner when the task goes back to todo, so anyone may claim it', async () => {
      await create();
      await h.t.app.tasks.claim(h.ada, 1);
      const task = await h.t.app.tasks.update(h.ada, 1, { status: 'todo' });
      expect(task.owner).toBeUndefined();
      expect(await h.t.app.tasks.claim(h.bob, 1)).toMatchObject({ owner: 'bob' });
    });

    it('refuses to put an unowned task in progress other than by a claim', async () => {
      await create();
      await h.t.app.tasks.update(h.planner, 1, { status: 'blocked' });
      expect((await refusal(h.t.app.tasks.update(h.planner, 1, { status: 'in_progress' }))).code).toBe('TASK_INVALID_TRANSITION');
      expect(await h.t.app.tasks.update(h.planner, 1, { status: 'in_progress', owner: 'ada' })).toMatchObject({ owner: 'ada' });
    });

    it('requires review to finish complex work, and its owner cannot lower the complexity to skip it', async () => {
      await create({ complexity: 'complex' });
      await h.t.app.tasks.claim(h.ada, 1);
      expect((await refusal(h.t.app.tasks.update(h.ada, 1, { status: 'done' }))).code).toBe('REVIEW_REQUIRED');
      expect((await refusal(h.t.app.tasks.update(h.ada, 1, { status: 'done', complexity: 'simple' }))).code).toBe('ROLE_FORBIDDEN');
      expect((await refusal(h.t.app.tasks.update(h.ada, 1, { complexity: 'simple' }))).code).toBe('ROLE_FORBIDDEN');
      expect((await stored(1)).status).toBe('in_progress');
    });

    it('lets simple and medium work go straight to done', async () => {
      await create({ complexity: 'simple' });
      await create({ complexity: 'medium' });
      for (const id of [1, 2]) {
        await h.t.app.tasks.claim(h.ada, id);
        expect(await h.t.app.tasks.update(h.ada, id, { status: 'done' })).toMatchObject({ status: 'done' });
      }
    });

    it('refuses to finish a worktree task by update, even a simple one, so its branch lands through review', async () => {
      await create({ complexity: 'simple', isolation: 'worktree' });
      await h.t.app.tasks.claim(h.ada, 1);
      const error = await refusal(h.t.app.tasks.update(h.ada, 1, { status: 'done' }));
      expect(error).toMatchObject({ code: 'REVIEW_REQUIRED', next: expect.stringContaining('task_submit_for_review') });
      expect((await refusal(h.t.app.tasks.update(h.planner, 1, { status: 'done' }))).code).toBe('REVIEW_REQUIRED');
      expect((await stored(1)).status).toBe('in_progress');
    });

    it('refuses an update that changes nothing', async () => {
      await create();
      await h.t.app.tasks.claim(h.ada, 1);
      expect((await refusal(h.t.app.tasks.update(h.ada, 1, { status: 'in_progress' }))).code).toBe('INVALID_INPUT');
    });

    it('refuses an unknown task', async () => {
      expect((await refusal(h.t.app.tasks.update(h.planner, 42, { title: 'x' }))).code).toBe('NOT_FOUND');
    });
  });

  describe('listing', () => {
    beforeEach(async () => {
      await create({ title: 'a', tags: ['api'], complexity: 'simple' });
      await create({ title: 'b', tags: ['api', 'db'] });
      await create({ title: 'c', dependsOn: [1] });
      await h.t.app.tasks.claim(h.ada, 1);
      await h.t.app.tasks.update(h.ada, 1, { status: 'done' });
      await h.t.app.tasks.claim(h.ada, 2);
    });

    it('hides done tasks unless asked, and returns compact items with the total', async () => {
      expect(await h.t.app.tasks.list(h.planner)).toEqual({
        tasks: [
          { id: 2, title: 'b', status: 'in_progress', complexity: 'medium', isolation: 'shared', owner: 'ada', tags: ['api', 'db'] },
          { id: 3, title: 'c', status: 'todo', complexity: 'medium', isolation: 'shared', dependsOn: [1] },
        ],
        total: 2,
        projectStatus: 'planning',
      });
      expect((await h.t.app.tasks.list(h.planner, { includeDone: true })).total).toBe(3);
      expect((await h.t.app.tasks.list(h.planner, { status: 'done' })).tasks.map((task) => task.id)).toEqual([1]);
    });

    it('filters by status, owner and tag', async () => {
      const ids = async (filter: object) => (await h.t.app.tasks.list(h.planner, filter)).tasks.map((task) => task.id);
      expect(await ids({ status: 'todo' })).toEqual([3]);
      expect(await ids({ owner: 'ada' })).toEqual([2]);
      expect(await ids({ owner: 'ada', includeDone: true })).toEqual([1, 2]);
      expect(await ids({ tag: 'api', includeDone: true })).toEqual([1, 2]);
      expect(await ids({ tag: 'db' })).toEqual([2]);
      expect(await ids({ tag: 'nope' })).toEqual([]);
    });

    it('pages with limit and offset: more while a page follows, the total on the last page', async () => {
      const page = await h.t.app.tasks.list(h.planner, { includeDone: true, limit: 2, offset: 1 });
      expect(page.tasks.map((task) => task.id)).toEqual([2, 3]);
      expect(page).toMatchObject({ total: 3 });
      expect(page.more).toBeUndefined();
      const first = await h.t.app.tasks.list(h.planner, { includeDone: true, limit: 2 });
      expect(first.tasks.map((task) => task.id)).toEqual([1, 2]);
      expect(first).toMatchObject({ more: true });
      expect(first.total).toBeUndefined();
      expect((await h.t.app.tasks.list(h.planner, { includeDone: true, limit: 1, offset: 2 })).tasks.map((task) => task.id)).toEqual([3]);
      expect(await h.t.app.tasks.list(h.planner, { includeDone: true, offset: 7 })).toMatchObject({ tasks: [], total: 3 });
    });

    it('reports the project status so implementers know when to stop', async () => {
      await h.t.app.project.setStatus(h.planner, 'stopped');
      expect((await h.t.app.tasks.list(h.ada)).projectStatus).toBe('stopped');
    });

    it('counts tasks per status', async () => {
      expect(await h.t.app.tasks.summary(h.planner)).toEqual({
        counts: { todo: 1, in_progress: 1, blocked: 0, review: 0, changes_requested: 0, done: 1 },
        total: 3,
        projectStatus: 'planning',
      });
    });

    it('keeps each project to its own tasks', async () => {
      const other = await makeTestApp({ storage, dbPath: h.t.config.dbPath });
      try {
        expect((await other.app.tasks.list(other.caller('plan', 'planner'), { includeDone: true })).total).toBe(0);
        await other.app.tasks.create(other.caller('plan', 'planner'), { title: 'elsewhere' });
        expect((await h.t.app.tasks.list(h.planner, { includeDone: true })).total).toBe(3);
      } finally {
        other.app.close();
      }
    });
  });

  describe('waiting for work', () => {
    const register = (name: string) => h.t.app.agents.register(h.t.caller(), { role: 'implementer', name });

    it('returns as soon as a claimable task is created', async () => {
      await register('ada');
      const started = performance.now();
      const waiting = h.t.app.tasks.wait(h.ada, 10_000);
      await delay(100);
      await create({ title: 'fresh' });
      expect(await waiting).toEqual({
        reason: 'task',
        task: { id: 1, title: 'fresh', status: 'todo', complexity: 'medium', isolation: 'shared' },
        projectStatus: 'planning',
      });
      expect(performance.now() - started).toBeLessThan(5_000);
    });

    it('times out when there is nothing to do', async () => {
      await create({ owner: 'bob' });
      await register('ada');
      const started = performance.now();
      expect(await h.t.app.tasks.wait(h.ada, 300)).toEqual({ reason: 'timeout', projectStatus: 'planning' });
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    });

    it('skips tasks whose dependencies are open and prefers tasks assigned to the caller', async () => {
      await create({ title: 'first' });
      await create({ title: 'blocked by 1', dependsOn: [1] });
      await create({ title: 'for ada', owner: 'ada' });
      await register('ada');
      expect((await h.t.app.tasks.wait(h.ada, 0)).task?.id).toBe(3);
      await h.t.app.tasks.claim(h.ada, 3);
      await h.t.app.tasks.claim(h.bob, 1);
      expect((await h.t.app.tasks.wait(h.ada, 0)).reason).toBe('timeout');
    });

    it('returns with news for the caller, such as a review verdict', async () => {
      await create();
      await h.t.app.tasks.claim(h.ada, 1);
      await h.t.app.review.submit(h.ada, 1, 'ready');
      await register('ada');
      const waiting = h.t.app.tasks.wait(h.ada, 10_000);
      await delay(100);
      await h.t.app.review.requestChanges(h.planner, 1, 'add tests');
      expect(await waiting).toEqual({ reason: 'news', projectStatus: 'planning' });
    });

    it('returns at once when the project is stopped or complete', async () => {
      await register('ada');
      await create();
      await h.t.app.project.setStatus(h.planner, 'complete');
      expect(await h.t.app.tasks.wait(h.ada, 10_000)).toEqual({ reason: 'complete', projectStatus: 'complete' });
    });
  });

  describe('every transition the table allows, through the service that performs it', () => {
    /** Brings task 1 (owned by ada where owning makes sense) to `status`. */
    async function taskIn(status: TaskStatus): Promise<void> {
      await create({ complexity: 'simple' });
      if (status === 'todo') return;
      if (status === 'blocked') return void (await h.t.app.tasks.update(h.planner, 1, { status: 'blocked' }));
      await h.t.app.tasks.claim(h.ada, 1);
      if (status === 'in_progress') return;
      await h.t.app.review.submit(h.ada, 1, 'please look');
      if (status === 'changes_requested') await h.t.app.review.requestChanges(h.planner, 1, 'again');
    }

    const moves: [TaskStatus, TaskStatus, () => Promise<unknown>][] = [
      ['todo', 'in_progress', () => h.t.app.tasks.claim(h.ada, 1)],
      ['todo', 'blocked', () => h.t.app.tasks.update(h.planner, 1, { status: 'blocked' })],
      ['in_progress', 'review', () => h.t.app.review.submit(h.ada, 1, 'done, see tests')],
      ['in_progress', 'blocked', () => h.t.app.tasks.update(h.ada, 1, { status: 'blocked' })],
      ['in_progress', 'todo', () => h.t.app.tasks.update(h.ada, 1, { status: 'todo' })],
      ['in_progress', 'done', () => h.t.app.tasks.update(h.ada, 1, { status: 'done' })],
      ['blocked', 'in_progress', () => h.t.app.tasks.update(h.planner, 1, { status: 'in_progress', owner: 'ada' })],
      ['blocked', 'todo', () => h.t.app.tasks.update(h.planner, 1, { status: 'todo' })],
      ['review', 'done', () => h.t.app.review.approve(h.planner, 1)],
      ['review', 'changes_requested', () => h.t.app.review.requestChanges(h.planner, 1, 'rename it')],
      ['review', 'in_progress', () => h.t.app.tasks.update(h.ada, 1, { status: 'in_progress' })],
      ['changes_requested', 'in_progress', () => h.t.app.tasks.update(h.ada, 1, { status: 'in_progress' })],
      ['changes_requested', 'review', () => h.t.app.review.submit(h.ada, 1, 'renamed')],
    ];

    it.each(moves)('%s -> %s', async (from, to, move) => {
      await taskIn(from);
      expect((await stored(1)).status).toBe(from);
      await move();
      expect((await stored(1)).status).toBe(to);
    });

    it.each<[TaskStatus, TaskStatus]>([
      ['todo', 'done'],
      ['todo', 'review'],
      ['blocked', 'done'],
      ['review', 'done'],
      ['changes_requested', 'done'],
    ])('refuses %s -> %s through task_update', async (from, to) => {
      await taskIn(from);
      const caller = from === 'todo' || from === 'blocked' ? h.planner : h.ada;
      expect((await refusal(h.t.app.tasks.update(caller, 1, { status: to }))).code).toBe('TASK_INVALID_TRANSITION');
      expect((await stored(1)).status).toBe(from);
    });

    it('refuses to move a done task anywhere', async () => {
      await taskIn('in_progress');
      await h.t.app.tasks.update(h.ada, 1, { status: 'done' });
      for (const status of ['todo', 'in_progress', 'blocked'] as const) {
        expect((await refusal(h.t.app.tasks.update(h.planner, 1, { status }))).code).toBe('TASK_INVALID_TRANSITION');
      }
    });
  });
});
