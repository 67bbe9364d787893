// The review workflow: the owner submits, a planner approves or asks for changes. Verdicts are events
// targeted at the task's owner, so the owner's next tool result carries them in its pending block.

import type { TaskRow } from '../store/rows.js';
import type { ReadTx, WriteTx } from '../store/store.js';
import { actingAs, requirePlanner, type Caller, type DomainContext } from './context.js';
import { DomainError, isDomainError, type ErrorCode } from './errors.js';
import { recordEvent } from './events.js';
import { assertTransition, compactTask, notOwner, type TaskSummaryItem, type TransitionTool } from './task-rules.js';
import { requireTask } from './tasks.js';

type Verdict = 'done' | 'changes_requested';

const VERDICT_STEPS = {
  done: { via: 'task_approve', event: 'task_approved' },
  changes_requested: { via: 'task_request_changes', event: 'task_changes_requested' },
} as const satisfies Record<Verdict, { via: TransitionTool; event: string }>;

export interface BatchApproval {
  approved: number[];
  failed: { id: number; code: ErrorCode; message: string }[];
}

export class ReviewService {
  constructor(private readonly context: DomainContext) {}

  /** Only the owner submits, from in_progress or changes_requested; the notes tell the reviewer what to check. */
  async submit(caller: Caller, id: number, reviewNotes: string, owner?: string): Promise<TaskSummaryItem> {
    const submitter = actingAs(caller, owner);
    return this.context.store.write(caller.project.id, (tx) => {
      const task = requireTask(tx, id);
      if (task.owner !== submitter) throw notOwner(task, submitter, 'submit');
      assertTransition(task, 'review', 'task_submit_for_review', task.complexity);
      const now = this.context.clock.now();
      tx.update('tasks', { id, status: task.status, owner: submitter }, { status: 'review', reviewNotes, updatedAt: now });
      recordEvent(tx, now, { kind: 'task_submitted', actor: submitter, target: null, subject: id });
      return compactTask({ ...task, status: 'review' });
    });
  }

  async approve(caller: Caller, id: number, feedback?: string): Promise<TaskSummaryItem> {
    const reviewer = requirePlanner(caller, 'approve tasks');
    await this.context.store.read(caller.project.id, (tx) => decideVerdict(tx, id, 'done'));
    // Deciding and recording are separate steps so that work which cannot run inside a store
    // transaction (merging the task's branch) can happen between them; recording re-checks.
    return this.context.store.write(caller.project.id, (tx) => this.recordVerdict(tx, id, 'done', reviewer, feedback));
  }

  /** Approves each id on its own: one task that is not in review does not hold back the others. */
  async approveBatch(caller: Caller, ids: number[], feedback?: string): Promise<BatchApproval> {
    requirePlanner(caller, 'approve tasks');
    const result: BatchApproval = { approved: [], failed: [] };
    for (const id of new Set(ids)) {
      try {
        await this.approve(caller, id, feedback);
        result.approved.push(id);
      } catch (error) {
        if (!isDomainError(error)) throw error;
        result.failed.push({ id, code: error.code, message: error.message });
      }
    }
    return result;
  }

  async requestChanges(caller: Caller, id: number, feedback: string): Promise<TaskSummaryItem> {
    const reviewer = requirePlanner(caller, 'request changes');
    return this.context.store.write(caller.project.id, (tx) =>
      this.recordVerdict(tx, id, 'changes_requested', reviewer, feedback),
    );
  }

  private recordVerdict(tx: WriteTx, id: number, verdict: Verdict, reviewer: string, feedback?: string): TaskSummaryItem {
    const task = decideVerdict(tx, id, verdict);
    const now = this.context.clock.now();
    tx.update('tasks', { id, status: 'review' }, { status: verdict, feedback: feedback ?? null, updatedAt: now });
    recordEvent(tx, now, {
      kind: VERDICT_STEPS[verdict].event,
      actor: reviewer,
      target: task.owner,
      subject: id,
      data: feedback === undefined ? {} : { feedback },
    });
    return compactTask({ ...task, status: verdict });
  }
}

/** A verdict needs a task in review. */
function decideVerdict(tx: ReadTx, id: number, verdict: Verdict): TaskRow {
  const task = requireTask(tx, id);
  if (task.status !== 'review') {
    throw new DomainError(
      'TASK_INVALID_TRANSITION',
      `task ${id} is ${task.status}, not in review`,
      task.status === 'done'
        ? 'It is already done; nothing to review.'
        : 'Only submitted work gets a verdict: wait until its owner calls task_submit_for_review (task_list status "review" shows what waits).',
      { id, status: task.status },
    );
  }
  assertTransition(task, verdict, VERDICT_STEPS[verdict].via, task.complexity);
  return task;
}
