import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.js';
import {
  assertTransition,
  compactTask,
  requiresReview,
  stricterComplexity,
  TASK_TRANSITIONS,
  taskDetail,
  type TransitionTool,
} from '../../src/domain/task-rules.js';
import { TASK_STATUSES, type Complexity, type TaskStatus } from '../../src/core/vocabulary.js';
import { type TaskRow } from '../../src/store/rows.js';

const TOOLS: TransitionTool[] = ['task_claim', 'task_update', 'task_submit_for_review', 'task_approve', 'task_request_changes'];

/** Every move the lifecycle allows, with the one tool that performs it. */
const ALLOWED: [TaskStatus, TaskStatus, TransitionTool][] = [
  ['todo', 'in_progress', 'task_claim'],
  ['todo', 'blocked', 'task_update'],
  ['in_progress', 'review', 'task_submit_for_review'],
  ['in_progress', 'blocked', 'task_update'],
  ['in_progress', 'todo', 'task_update'],
  ['in_progress', 'done', 'task_update'],
  ['blocked', 'in_progress', 'task_update'],
  ['blocked', 'todo', 'task_update'],
  ['review', 'done', 'task_approve'],
  ['review', 'changes_requested', 'task_request_changes'],
  ['review', 'in_progress', 'task_update'],
  ['changes_requested', 'in_progress', 'task_update'],
  ['changes_requested', 'review', 'task_submit_for_review'],
];

function refusal(run: () => void): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

const at = (status: TaskStatus) => ({ id: 7, status });

describe('the task transition table', () => {
  it('holds exactly the lifecycle moves, each owned by one tool', () => {
    const table = TASK_STATUSES.flatMap((from) =>
      Object.entries(TASK_TRANSITIONS[from]).map(([to, tool]) => [from, to, tool]),
    );
    expect(table).toEqual(expect.arrayContaining(ALLOWED));
    expect(table).toHaveLength(ALLOWED.length);
  });

  it.each(ALLOWED)('allows %s -> %s through %s', (from, to, tool) => {
    expect(() => assertTransition(at(from), to, tool, 'simple')).not.toThrow();
  });

  it('refuses every move that is not in the table, listing the allowed next statuses', () => {
    for (const from of TASK_STATUSES) {
      for (const to of TASK_STATUSES) {
        if (TASK_TRANSITIONS[from][to]) continue;
        for (const tool of TOOLS) {
          const error = refusal(() => assertTransition(at(from), to, tool, 'simple'));
          expect(error.code).toBe('TASK_INVALID_TRANSITION');
          expect(error.details).toMatchObject({ id: 7, status: from, allowed: expect.any(Array) });
        }
      }
    }
  });

  it('refuses an allowed move made through the wrong tool and names the right one', () => {
    const error = refusal(() => assertTransition(at('review'), 'done', 'task_update', 'simple'));
    expect(error.code).toBe('TASK_INVALID_TRANSITION');
    expect(error.next).toContain('task_approve');
    expect(refusal(() => assertTransition(at('todo'), 'in_progress', 'task_update', 'simple')).next).toContain('task_claim');
    expect(refusal(() => assertTransition(at('in_progress'), 'review', 'task_update', 'simple')).next).toContain(
      'task_submit_for_review',
    );
  });

  it('treats done as final', () => {
    expect(TASK_TRANSITIONS.done).toEqual({});
    const error = refusal(() => assertTransition(at('done'), 'in_progress', 'task_update', 'simple'));
    expect(error.code).toBe('TASK_INVALID_TRANSITION');
    expect(error.next).toContain('task_create');
  });

  it('names the allowed next statuses and their tools in the message', () => {
    const error = refusal(() => assertTransition(at('todo'), 'done', 'task_update', 'simple'));
    expect(error.message).toContain('in_progress (task_claim)');
    expect(error.message).toContain('blocked (task_update)');
  });
});

describe('the complexity review rule', () => {
  it.each<[Complexity, boolean]>([
    ['simple', false],
    ['medium', false],
    ['complex', true],
    ['critical', true],
  ])('%s requires review: %s', (complexity, required) => {
    expect(requiresReview(complexity)).toBe(required);
    const finish = () => assertTransition(at('in_progress'), 'done', 'task_update', complexity);
    if (required) expect(refusal(finish).code).toBe('REVIEW_REQUIRED');
    else expect(finish).not.toThrow();
  });

  it('lets an approval finish complex and critical work', () => {
    expect(() => assertTransition(at('review'), 'done', 'task_approve', 'critical')).not.toThrow();
  });

  it('judges an update by the stricter of the stored and the requested complexity', () => {
    expect(stricterComplexity('complex', 'simple')).toBe('complex');
    expect(stricterComplexity('simple', 'critical')).toBe('critical');
    expect(stricterComplexity('medium', undefined)).toBe('medium');
  });
});

describe('task views', () => {
  const row: TaskRow = {
    project: '/repo', id: 3, title: 'Parser', description: null, status: 'todo', complexity: 'medium',
    isolation: 'shared', owner: null, tags: [], metadata: {}, dependsOn: [], reviewNotes: null, feedback: null,
    createdBy: null, createdAt: 1, updatedAt: 1,
  };

  it('leaves empty and null fields out of the compact view', () => {
    expect(compactTask(row)).toEqual({ id: 3, title: 'Parser', status: 'todo', complexity: 'medium', isolation: 'shared' });
    expect(compactTask({ ...row, owner: 'ada', tags: ['x'], dependsOn: [1] })).toMatchObject({ owner: 'ada', tags: ['x'], dependsOn: [1] });
  });

  it('adds the texts in the detail view only when present', () => {
    expect(taskDetail(row)).toEqual(compactTask(row));
    expect(taskDetail({ ...row, description: 'd', reviewNotes: 'n', feedback: 'f', metadata: { a: 1 } })).toMatchObject({
      description: 'd', reviewNotes: 'n', feedback: 'f', metadata: { a: 1 },
    });
  });
});
