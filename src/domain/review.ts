// The review workflow: the owner submits, a planner approves or asks for changes. Verdicts are events
// targeted at the task's owner, so the owner's next tool result carries them in its pending block.
// Worktree tasks also pin the reviewed commit on submission and land it on approval (landing.ts).

import type { Config } from '../config.js';
import type { Json } from '../core/vocabulary.js';
import type { TaskRow, VerifyRecord } from '../store/rows.js';
import type { ReadTx, WriteTx, TxStep } from '../store/store.js';
import { actingAs, requirePlanner, type Caller, type DomainContext } from './context.js';
import { DomainError, isDomainError, type ErrorCode } from '../core/errors.js';
import { assertNotOwnWork, withParticipant } from './duties.js';
import { recordEvent } from './events.js';
import { notLandedFeedback, ReviewLanding, type LandingReport, type SubmittedRevision } from './landing.js';
import { assertTransition, compactTask, notOwner, type TaskSummaryItem, type TransitionTool } from './task-rules.js';
import { requireTask } from './tasks.js';
import type { WorktreeService } from './worktrees.js';

type Verdict = 'done' | 'changes_requested';

const VERDICT_STEPS = {
  done: { via: 'task_approve', event: 'task_approved' },
  changes_requested: { via: 'task_request_changes', event: 'task_changes_requested' },
} as const satisfies Record<Verdict, { via: TransitionTool; event: string }>;

/** A worktree task's submission also says which commit is under review and how verify went. */
export type Submission = TaskSummaryItem & { review?: { reviewedRev: string; verify?: VerifyRecord } };

/** A worktree task's approval also says whether its reviewed commit landed. */
export type Approval = TaskSummaryItem & { landing?: LandingReport };

export interface BatchApproval {
  approved: number[];
  /** Worktree tasks whose reviewed commit could not land: they went back to their owners. */
  notLanded?: { id: number; reason: 'conflict' | 'gate_failed' }[];
  failed: { id: number; code: ErrorCode; message: string }[];
}

interface VerdictRecord {
  feedback?: string;
  patch?: Partial<Pick<TaskRow, 'landedRev'>>;
  data?: Record<string, Json>;
}

export class ReviewService {
  private readonly landing: ReviewLanding;

  constructor(
    private readonly context: DomainContext,
    worktrees: WorktreeService,
    config: Pick<Config, 'commandMode' | 'commandAllow'>,
  ) {
    this.landing = new ReviewLanding(worktrees, config);
  }

  /**
   * Only the owner submits, from in_progress or changes_requested; the notes tell the reviewer what to
   * check. For a worktree task the git work runs between deciding and recording; recording re-checks.
   */
  async submit(caller: Caller, id: number, reviewNotes: string, owner?: string): Promise<Submission> {
    const submitter = actingAs(caller, owner);
    const task = await this.context.store.read(caller.project.id, (tx) => decideSubmission(tx, id, submitter));
    const revision =
      task.isolation === 'worktree' ? await this.landing.prepareSubmission(caller, { ...task, owner: submitter }) : undefined;
    return this.context.store.write(caller.project.id, function* (this: ReviewService, tx: WriteTx) {
      const current = yield* decideSubmission(tx, id, submitter);
      const now = this.context.clock.now();
      yield* tx.update(
        'tasks',
        { id, status: current.status, owner: submitter },
        {
          status: 'review',
          reviewNotes,
          participants: withParticipant(current, caller, submitter),
          updatedAt: now,
          ...(revision && { ...revision, landedRev: null }),
        },
      );
      yield* recordEvent(tx, now, {
        kind: 'task_submitted',
        actor: submitter,
        target: null,
        subject: id,
        ...(revision && { data: submittedEventData(revision) }),
      });
      return { ...compactTask({ ...current, status: 'review' }), ...(revision && { review: submittedReview(revision) }) };
    }.bind(this));
  }

  /**
   * A worktree task lands its reviewed commit first. Deciding and recording are separate transactions
   * around that git work; recording re-checks that the task is still in review of the same commit, so
   * of two racing approvers exactly one records (the landing itself is idempotent).
   */
  async approve(caller: Caller, id: number, feedback?: string): Promise<Approval> {
    const reviewer = requirePlanner(caller, 'approve tasks');
    const decideApproval = function* (tx: ReadTx) {
      const decided = yield* decideVerdict(tx, id, 'done');
      assertNotOwnWork(decided, caller, reviewer);
      return decided;
    };
    const task = await this.context.store.read(caller.project.id, decideApproval);
    if (task.isolation !== 'worktree' || task.owner === null) {
      return this.context.store.write(caller.project.id, function* (this: ReviewService, tx: WriteTx) {
        return yield* this.writeVerdict(tx, yield* decideApproval(tx), 'done', reviewer, { feedback });
      }.bind(this));
    }
    const landing = await this.landing.land(caller, { ...task, owner: task.owner });
    return this.context.store.write(caller.project.id, (tx) => this.recordLanding(tx, task, landing, reviewer, feedback));
  }

  /** Approves each id on its own: one task that is not in review does not hold back the others. */
  async approveBatch(caller: Caller, ids: number[], feedback?: string): Promise<BatchApproval> {
    requirePlanner(caller, 'approve tasks');
    const result: BatchApproval = { approved: [], failed: [] };
    for (const id of new Set(ids)) {
      try {
        const { landing } = await this.approve(caller, id, feedback);
        if (landing?.landed === false) (result.notLanded ??= []).push({ id, reason: landing.reason });
        else result.approved.push(id);
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

  private *recordVerdict(tx: WriteTx, id: number, verdict: Verdict, reviewer: string, feedback?: string): TxStep<TaskSummaryItem> {
    return yield* this.writeVerdict(tx, (yield* decideVerdict(tx, id, verdict)), verdict, reviewer, { feedback });
  }

  /** A landed commit finishes the task; one that could not land sends it back with the reason as feedback. */
  private *recordLanding(tx: WriteTx, decided: TaskRow, landing: LandingReport, reviewer: string, feedback?: string): TxStep<Approval> {
    const verdict: Verdict = landing.landed ? 'done' : 'changes_requested';
    const task = yield* requireStillReviewed(tx, decided, landing);
    assertTransition(task, verdict, VERDICT_STEPS[verdict].via, task.complexity);
    const record: VerdictRecord = landing.landed
      ? { feedback, patch: { landedRev: landing.commit }, data: { landedRev: landing.commit } }
      : {
          feedback: notLandedFeedback(landing, feedback),
          data: landing.reason === 'conflict' ? { reason: landing.reason, conflicts: landing.conflicts } : { reason: landing.reason },
        };
    return { ...(yield* this.writeVerdict(tx, task, verdict, reviewer, record)), landing };
  }

  private *writeVerdict(tx: WriteTx, task: TaskRow, verdict: Verdict, reviewer: string, record: VerdictRecord): TxStep<TaskSummaryItem> {
    const now = this.context.clock.now();
    yield* tx.update('tasks', { id: task.id, status: 'review' }, { status: verdict, feedback: record.feedback ?? null, updatedAt: now, ...record.patch });
    yield* recordEvent(tx, now, {
      kind: VERDICT_STEPS[verdict].event,
      actor: reviewer,
      target: task.owner,
      subject: task.id,
      data: { ...(record.feedback !== undefined && { feedback: record.feedback }), ...record.data },
    });
    return compactTask({ ...task, status: verdict });
  }
}

/** Only the owner submits, and only work in progress or sent back. */
function* decideSubmission(tx: ReadTx, id: number, submitter: string): TxStep<TaskRow> {
  const task = yield* requireTask(tx, id);
  if (task.owner !== submitter) throw notOwner(task, submitter, 'submit');
  assertTransition(task, 'review', 'task_submit_for_review', task.complexity);
  return task;
}

function submittedEventData(revision: SubmittedRevision): Record<string, Json> {
  return { reviewedRev: revision.reviewedRev, ...(revision.verify && { verifyExitCode: revision.verify.exitCode }) };
}

function submittedReview(revision: SubmittedRevision): NonNullable<Submission['review']> {
  return { reviewedRev: revision.reviewedRev, ...(revision.verify && { verify: revision.verify }) };
}

/**
 * Between the decision and this record the task may have been approved by someone else, withdrawn or
 * resubmitted. The git work is done by then, so the refusal says what landed.
 */
function* requireStillReviewed(tx: ReadTx, decided: TaskRow, landing: LandingReport): TxStep<TaskRow> {
  const task = yield* requireTask(tx, decided.id);
  const landed = landing.landed && !landing.alreadyLanded ? ` (its reviewed commit did land on ${landing.target} as ${landing.commit})` : '';
  if (task.status !== 'review') {
    throw new DomainError(
      'TASK_INVALID_TRANSITION',
      `task ${task.id} became ${task.status} while its commit was landing${landed}; this approval was not recorded`,
      task.status === 'done' ? 'Another approval recorded it first; nothing more to do.' : 'Read it with task_get and review it again once it is resubmitted.',
      { id: task.id, status: task.status },
    );
  }
  if ((task.reviewedRev ?? null) !== (decided.reviewedRev ?? null)) {
    throw new DomainError(
      'REVIEW_STALE',
      `task ${task.id} was resubmitted at ${task.reviewedRev ?? '(none)'} while ${decided.reviewedRev ?? '(none)'} was landing${landed}`,
      'Review the new submission (task_get, worktree_diff), then task_approve or task_request_changes again.',
      { id: task.id, reviewedRev: task.reviewedRev ?? null },
    );
  }
  return task;
}

/** A verdict needs a task in review. */
function* decideVerdict(tx: ReadTx, id: number, verdict: Verdict): TxStep<TaskRow> {
  const task = yield* requireTask(tx, id);
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
