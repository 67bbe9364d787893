import { afterAll, describe, expect, it } from 'vitest';
import { makeTestApp } from '../../fixtures/app.js';
import { removeTempDirs } from '../../fixtures/git.js';
import { recordEvent, type EventKind } from '../../src/domain/events.js';
import { summarizeNews } from '../../src/domain/pending.js';
import type { Json } from '../../src/core/vocabulary.js';
import type { EventRow } from '../../src/store/rows.js';

afterAll(removeTempDirs);

let seq = 0;
function event(kind: EventKind, fields: { target?: string; subject?: string; data?: Record<string, Json> } = {}): EventRow {
  return { project: 'p', seq: ++seq, at: 0, actor: 'other', kind, target: fields.target ?? null, subject: fields.subject ?? null, data: fields.data ?? {} };
}

describe('summarizeNews', () => {
  it('is null when nothing concerns the agent', () => {
    expect(summarizeNews([], 'implementer')).toBeNull();
  });

  it('counts notes, collects discussions once and lists lost locks', () => {
    const pending = summarizeNews(
      [
        event('note_added', { target: 'me' }),
        event('note_added'),
        event('discussion_started', { target: 'me', subject: '4' }),
        event('discussion_replied', { target: 'me', subject: '4' }),
        event('lock_lost', { target: 'me', subject: 'src/a.ts' }),
      ],
      'implementer',
    );
    expect(pending).toMatchObject({ notes: 2, discussions: [4], locksLost: ['src/a.ts'] });
    expect(pending!.hint).toContain('discussion_inbox');
    expect(pending!.hint).toContain('note_list');
    expect(pending!.hint).toContain('lock_acquire');
  });

  it('reports review verdicts with their feedback and asks for a resubmission on changes', () => {
    const pending = summarizeNews(
      [
        event('task_approved', { target: 'me', subject: '1' }),
        event('task_changes_requested', { target: 'me', subject: '2', data: { feedback: 'add tests' } }),
      ],
      'implementer',
    );
    expect(pending!.reviews).toEqual([
      { task: 1, verdict: 'approved' },
      { task: 2, verdict: 'changes_requested', feedback: 'add tests' },
    ]);
    expect(pending!.hint).toContain('task_submit_for_review');
  });

  it('names decided discussions and tasks that someone else changed', () => {
    const pending = summarizeNews(
      [event('discussion_resolved', { target: 'me', subject: '7' }), event('task_updated', { target: 'me', subject: '3' })],
      'implementer',
    );
    expect(pending).toMatchObject({ decisions: [7], tasksChanged: [3] });
    expect(pending!.hint).toContain('discussion_get');
    expect(pending!.hint).toContain('task_list');
  });

  it('tells implementers, not planners, about new tasks', () => {
    expect(summarizeNews([event('task_created'), event('task_created')], 'implementer')).toMatchObject({ newTasks: 2 });
    expect(summarizeNews([event('task_created')], 'planner')).toBeNull();
  });

  it('tells planners, not implementers, about work submitted for review', () => {
    expect(summarizeNews([event('task_submitted', { subject: '4' })], 'planner')).toMatchObject({ toReview: 1, hint: expect.stringContaining('task_approve') });
    expect(summarizeNews([event('task_submitted', { subject: '4' })], 'implementer')).toBeNull();
  });

  it('reports a stop or completion, and only the latest status counts', () => {
    expect(summarizeNews([event('project_status', { data: { status: 'stopped' } })], 'implementer')).toMatchObject({
      project: 'stopped',
    });
    const resumed = [event('project_status', { data: { status: 'stopped' } }), event('project_status', { data: { status: 'in_progress' } })];
    expect(summarizeNews(resumed, 'implementer')).toBeNull();
  });
});

describe('news delivery in bounded batches', () => {
  it('delivers a flood of notes over several calls without losing any', async () => {
    const test = await makeTestApp();
    await test.app.agents.register(test.caller(), { role: 'implementer', name: 'ann' });
    await test.app.context.store.write(test.repo, function* (tx) {
      for (let index = 0; index < 250; index++) yield* recordEvent(tx, 0, { kind: 'note_added', actor: 'plan', target: 'ann' });
    });
    let delivered = 0;
    for (let pending = await test.app.agents.touch(test.caller('ann')); pending; pending = await test.app.agents.touch(test.caller('ann'))) {
      expect(pending.notes).toBeLessThanOrEqual(100);
      delivered += pending.notes ?? 0;
    }
    expect(delivered).toBe(250);
  });
});
