// The task lifecycle in one table, the complexity review rule, the refusals agents get and the compact
// shapes tasks travel in. Pure: every status change anywhere (claim, update, submit, approve...) asks here.

import { COMPLEXITIES, type Complexity, type TaskStatus } from '../core/vocabulary.js';
import { type TaskRow } from '../store/rows.js';
import { DomainError } from '../core/errors.js';

/** The only tool that may perform each transition. */
export type TransitionTool =
  | 'task_claim'
  | 'task_update'
  | 'task_submit_for_review'
  | 'task_approve'
  | 'task_request_changes';

export const TASK_TRANSITIONS: { readonly [From in TaskStatus]: Partial<Record<TaskStatus, TransitionTool>> } = {
  todo: { in_progress: 'task_claim', blocked: 'task_update' },
  // in_progress -> todo is an unclaim: the owner is cleared so anyone can claim it again.
  in_progress: { review: 'task_submit_for_review', blocked: 'task_update', todo: 'task_update', done: 'task_update' },
  blocked: { in_progress: 'task_update', todo: 'task_update' },
  // review -> in_progress: the owner withdraws the submission to keep working.
  review: { done: 'task_approve', changes_requested: 'task_request_changes', in_progress: 'task_update' },
  changes_requested: { in_progress: 'task_update', review: 'task_submit_for_review' },
  done: {},
};

/** Statuses in which somebody is working on the task, so it must have an owner. */
export const OWNED_STATUSES: readonly TaskStatus[] = ['in_progress', 'review', 'changes_requested'];

/** Complex and critical work must pass a planner's review; simple and medium may go straight to done. */
export function requiresReview(complexity: Complexity): boolean {
  return complexity === 'complex' || complexity === 'critical';
}

/** The stricter of two complexities: an update cannot lower the bar it is itself judged by. */
export function stricterComplexity(a: Complexity, b: Complexity | undefined): Complexity {
  if (!b) return a;
  return COMPLEXITIES.indexOf(b) > COMPLEXITIES.indexOf(a) ? b : a;
}

/**
 * Refuses a status change the table does not allow through `via`.
 * @param complexity the complexity the review rule applies to
 */
export function assertTransition(
  task: Pick<TaskRow, 'id' | 'status'>,
  to: TaskStatus,
  via: TransitionTool,
  complexity: Complexity,
): void {
  const from = task.status;
  const tool = TASK_TRANSITIONS[from][to];
  if (!tool) throw invalidTransition(task.id, from, to);
  if (tool !== via) {
    throw new DomainError(
      'TASK_INVALID_TRANSITION',
      `task ${task.id}: ${from} -> ${to} happens only through ${tool}`,
      `Call ${tool} instead.`,
      { id: task.id, status: from, allowed: describeAllowed(from) },
    );
  }
  if (from === 'in_progress' && to === 'done' && requiresReview(complexity)) {
    throw new DomainError(
      'REVIEW_REQUIRED',
      `task ${task.id} is ${complexity}: it must pass review before it is done`,
      `Call task_submit_for_review with reviewNotes; a planner approves it.`,
      { id: task.id, complexity },
    );
  }
}

/** A worktree task's work is on its branch, and only an approval lands it: done never comes by update. */
export function worktreeTaskNeedsReview(task: Pick<TaskRow, 'id' | 'owner'>): DomainError {
  const branch = task.owner === null ? 'its branch' : `lockstep/${task.owner}`;
  return new DomainError(
    'REVIEW_REQUIRED',
    `task ${task.id} is a worktree task: its work on ${branch} lands on the target only when a planner approves it`,
    'Commit in the worktree, then call task_submit_for_review; task_approve lands the branch and marks it done.',
    { id: task.id, isolation: 'worktree' },
  );
}

function invalidTransition(id: number, from: TaskStatus, to: TaskStatus): DomainError {
  const allowed = describeAllowed(from);
  const next =
    from === 'done'
      ? 'A done task is final; create a new task (task_create) for follow-up work.'
      : `Move it to one of: ${allowed.join(', ')}.`;
  return new DomainError(
    'TASK_INVALID_TRANSITION',
    `task ${id} is ${from}; it cannot become ${to}${from === 'done' ? '' : ` (allowed: ${allowed.join(', ')})`}`,
    next,
    { id, status: from, allowed },
  );
}

/** "review (task_submit_for_review)", so the agent knows which tool makes each move. */
function describeAllowed(from: TaskStatus): string[] {
  return Object.entries(TASK_TRANSITIONS[from]).map(([to, tool]) => `${to} (${tool})`);
}

export function notOwner(task: TaskRow, caller: string, action: string): DomainError {
  return new DomainError(
    'NOT_OWNER',
    `task ${task.id} is ${task.owner === null ? 'not assigned to anyone' : `owned by ${task.owner}`}; ${caller} may not ${action} it`,
    task.owner === null ? 'Claim it first with task_claim.' : `Ask ${task.owner} or the planner.`,
    { id: task.id, owner: task.owner, status: task.status },
  );
}

export function notClaimable(task: TaskRow, claimer: string): DomainError {
  const details = { id: task.id, status: task.status, owner: task.owner };
  const pickAnother = 'Pick another task with task_list or task_wait.';
  if (task.status === 'done') {
    return new DomainError('TASK_NOT_CLAIMABLE', `task ${task.id} is done and is never reopened`, pickAnother, details);
  }
  if (task.owner === claimer) {
    return new DomainError(
      'TASK_NOT_CLAIMABLE',
      `task ${task.id} is already yours (${task.status})`,
      'Keep working on it; task_submit_for_review when finished.',
      details,
    );
  }
  const holder = task.owner === null ? 'nobody' : task.owner;
  return new DomainError(
    'TASK_NOT_CLAIMABLE',
    `task ${task.id} is ${task.status}${task.status === 'todo' ? ` and assigned to ${holder}` : `, held by ${holder}`}`,
    task.owner === null ? `Only todo tasks can be claimed. ${pickAnother}` : pickAnother,
    details,
  );
}

/** What a list shows per task: enough to pick one, nothing more. Absent fields are empty. */
export interface TaskSummaryItem {
  id: number;
  title: string;
  status: TaskStatus;
  complexity: Complexity;
  isolation: TaskRow['isolation'];
  owner?: string;
  tags?: string[];
  dependsOn?: number[];
}

export function compactTask(task: TaskRow): TaskSummaryItem {
  return {
    id: task.id,
    title: task.title,
    status: task.status,
    complexity: task.complexity,
    isolation: task.isolation,
    ...(task.owner !== null && { owner: task.owner }),
    ...(task.tags.length > 0 && { tags: task.tags }),
    ...(task.dependsOn.length > 0 && { dependsOn: task.dependsOn }),
  };
}

/** What the one working on or reviewing a task needs: the compact view plus the texts. */
export interface TaskDetail extends TaskSummaryItem {
  description?: string;
  metadata?: TaskRow['metadata'];
  reviewNotes?: string;
  feedback?: string;
  createdBy?: string;
  /** Worktree tasks: the commit under review, its verify run, and the target commit it landed as. */
  reviewedRev?: string;
  verify?: NonNullable<TaskRow['verify']>;
  landedRev?: string;
}

export function taskDetail(task: TaskRow): TaskDetail {
  return {
    ...compactTask(task),
    ...(task.description !== null && { description: task.description }),
    ...(Object.keys(task.metadata).length > 0 && { metadata: task.metadata }),
    ...(task.reviewNotes !== null && { reviewNotes: task.reviewNotes }),
    ...(task.feedback !== null && { feedback: task.feedback }),
    ...(task.createdBy !== null && { createdBy: task.createdBy }),
    // `!= null`: rows written before these columns existed (JSON stores) lack them.
    ...(task.reviewedRev != null && { reviewedRev: task.reviewedRev }),
    ...(task.verify != null && { verify: task.verify }),
    ...(task.landedRev != null && { landedRev: task.landedRev }),
  };
}
