// The git half of reviewing a worktree task: a submission pins the committed branch head (and the
// project's verify run on it), an approval lands exactly that commit. ReviewService records the results.

import type { Config } from '../config.js';
import type { TaskRow, VerifyRecord } from '../store/rows.js';
import type { ProjectConfigCallout } from './config-callout.js';
import type { Caller } from './context.js';
import { DomainError, isDomainError } from '../core/errors.js';
import { runProjectCommand } from './project-commands.js';
import type { LandOutcome, LocatedWorktree, WorktreeService } from './worktrees.js';

/** A worktree task always has an owner once it is being worked on. */
export type OwnedTask = TaskRow & { owner: string };

export interface SubmittedRevision {
  reviewedRev: string;
  verify: VerifyRecord | null;
}

/** What an approval did with the reviewed commit; a refusal to land is an outcome, not an error. */
export type LandingReport =
  | ({ landed: true; target: string; commit: string; alreadyLanded?: true; checkoutUpdated?: string } & ProjectConfigCallout)
  | { landed: false; reason: 'conflict'; target: string; conflicts: string[] }
  | { landed: false; reason: 'gate_failed'; target: string; gateLog: string };

const DIRTY_PATHS_SHOWN = 20;

export class ReviewLanding {
  constructor(
    private readonly worktrees: WorktreeService,
    private readonly config: Pick<Config, 'commandMode' | 'commandAllow'>,
  ) {}

  /** Refuses uncommitted work (the server never commits for an agent), then pins and verifies the head. */
  async prepareSubmission(caller: Caller, task: OwnedTask): Promise<SubmittedRevision> {
    const worktree = await this.requireWorktree(caller, task);
    const dirty = await this.worktrees.isDirty(caller, worktree);
    if (dirty.length > 0) throw worktreeDirty(task, worktree, dirty);
    const { verifyCommand } = await this.worktrees.settings(caller);
    if (verifyCommand === undefined) return { reviewedRev: worktree.head, verify: null };
    const verify = await this.verify(verifyCommand, worktree.path);
    // The verify result must describe the commit under review, not one made while it ran.
    const after = await this.worktrees.locate(caller, task.owner);
    if (after?.head !== worktree.head) {
      throw new DomainError(
        'REVIEW_STALE',
        `lockstep/${task.owner} moved from ${worktree.head} to ${after?.head ?? '(gone)'} while the verify command ran`,
        'Do not commit during a submission; call task_submit_for_review again.',
        { id: task.id, submitted: worktree.head, head: after?.head ?? null },
      );
    }
    return { reviewedRev: worktree.head, verify };
  }

  /**
   * Lands the reviewed commit if the branch still points at it. Conflicts and failed gates come back
   * as reports; a checkout git refuses to move is an error because nothing was decided.
   */
  async land(caller: Caller, task: OwnedTask): Promise<LandingReport> {
    const reviewedRev = task.reviewedRev ?? null;
    const head = (await this.worktrees.locate(caller, task.owner))?.head;
    if (reviewedRev === null || head !== reviewedRev) throw reviewStale(task, reviewedRev, head);
    const message = `lockstep: land task #${task.id} (${task.title}) from lockstep/${task.owner}`;
    return landingReport(await this.worktrees.land(caller, { name: task.owner, source: reviewedRev, message }));
  }

  /** A command that cannot start (forbidden, missing) is recorded as a failed run: the reviewer decides. */
  private async verify(command: string, cwd: string): Promise<VerifyRecord> {
    try {
      const result = await runProjectCommand(this.config, command, cwd);
      return { exitCode: result.exitCode, durationMs: result.durationMs, logTail: result.logTail };
    } catch (error) {
      if (!isDomainError(error)) throw error;
      return { exitCode: null, durationMs: 0, logTail: `verify command "${command}" could not run: ${error.code}: ${error.message}` };
    }
  }

  private async requireWorktree(caller: Caller, task: OwnedTask): Promise<LocatedWorktree> {
    const worktree = await this.worktrees.locate(caller, task.owner);
    if (worktree) return worktree;
    throw new DomainError(
      'NOT_FOUND',
      `task ${task.id} is a worktree task but ${task.owner} has no worktree`,
      `Call worktree_create with implementerId "${task.owner}", do and commit the work there, then task_submit_for_review.`,
      { id: task.id, implementer: task.owner },
    );
  }
}

function landingReport(outcome: LandOutcome): LandingReport {
  switch (outcome.status) {
    case 'landed':
      return {
        landed: true,
        target: outcome.target,
        commit: outcome.commit,
        ...(outcome.alreadyLanded && { alreadyLanded: true as const }),
        ...(outcome.checkoutUpdated !== undefined && { checkoutUpdated: outcome.checkoutUpdated }),
        ...(outcome.touchesProjectConfig && { touchesProjectConfig: outcome.touchesProjectConfig }),
      };
    case 'conflict':
      return { landed: false, reason: 'conflict', target: outcome.target, conflicts: outcome.files };
    case 'gate_failed':
      return { landed: false, reason: 'gate_failed', target: outcome.target, gateLog: outcome.logTail };
    case 'target_checkout_refused':
      throw new DomainError(
        'TARGET_CHECKOUT_BLOCKED',
        `${outcome.target} is checked out at ${outcome.checkout} and git refused to bring that checkout forward: ${outcome.reason}`,
        'Nothing landed and the task stays in review. Ask the human to commit or move aside the conflicting changes in that checkout, then call task_approve again.',
        { target: outcome.target, checkout: outcome.checkout, reason: outcome.reason },
      );
  }
}

/** The feedback the owner gets when the reviewed commit could not land. */
export function notLandedFeedback(report: Extract<LandingReport, { landed: false }>, reviewerFeedback?: string): string {
  const why =
    report.reason === 'conflict'
      ? `Your reviewed commit conflicts with ${report.target} in: ${report.conflicts.join(', ')}. Merge ${report.target} into ` +
        'your branch in your worktree, resolve, commit, then task_submit_for_review again.'
      : `The gate command failed on your work merged with ${report.target}, so nothing landed. Fix it, commit, then ` +
        `task_submit_for_review again. Gate log tail:\n${report.gateLog}`;
  return reviewerFeedback === undefined ? why : `${reviewerFeedback}\n\n${why}`;
}

function reviewStale(task: OwnedTask, reviewedRev: string | null, head: string | undefined): DomainError {
  const problem =
    reviewedRev === null
      ? 'has no reviewed commit recorded'
      : head === undefined
        ? `was reviewed at ${reviewedRev} but lockstep/${task.owner} has no worktree any more`
        : `was reviewed at ${reviewedRev} but lockstep/${task.owner} has moved to ${head}`;
  return new DomainError(
    'REVIEW_STALE',
    `task ${task.id} ${problem}; nothing landed and it stays in review`,
    `Only the reviewed commit can land: ask ${task.owner} to task_submit_for_review again (or task_request_changes).`,
    { id: task.id, reviewedRev, head: head ?? null },
  );
}

function worktreeDirty(task: OwnedTask, worktree: LocatedWorktree, paths: string[]): DomainError {
  const shown = paths.slice(0, DIRTY_PATHS_SHOWN);
  const more = paths.length > shown.length ? ` and ${paths.length - shown.length} more` : '';
  return new DomainError(
    'WORKTREE_DIRTY',
    `task ${task.id}: ${worktree.path} has uncommitted changes: ${shown.join(', ')}${more}`,
    `Commit them in ${worktree.path} (git add, git commit: the server never commits for you) or remove what you do not want, then task_submit_for_review again.`,
    { id: task.id, path: worktree.path, paths: shown, total: paths.length },
  );
}
