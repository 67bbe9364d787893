// Landing implementers' work on the target branch (git/land.ts does the git work): the review half
// (a submission pins the committed head and its verify run, an approval lands exactly that commit) and
// the landing itself (the project's gate, then telling every other live implementer the target moved).

import { resolveCommit } from '../../git/commit-tree.js';
import { forecastAgainstBranches } from '../../git/forecast.js';
import { landCommit, type LandingGate, type LandResult } from '../../git/land.js';
import { localBranchHead } from '../../git/target.js';
import { implementerWorktreesOf, type WorktreeInfo } from '../../git/worktree-list.js';
import { implementerBranch } from '../../git/refs.js';
import type { Config } from '../config.js';
import { DomainError, isDomainError } from '../core/errors.js';
import type { TaskRow, VerifyRecord } from '../store/rows.js';
import { otherBranches, pushedHeadOf, remoteTargetMoved, requirePushedHead } from './remote-branches.js';
import { projectConfigCalloutBetween, type ProjectConfigCallout } from './config-callout.js';
import type { Caller, DomainContext } from './context.js';
import { recordEvent } from './events.js';
import { goneAmong } from './implementer-liveness.js';
import { runProjectCommand } from './project-commands.js';
import { assertSomethingToReview } from './submission-check.js';
import type { LocatedWorktree, RepositoryCall, WorktreeService } from './worktrees.js';

export interface LandRequest {
  /** The implementer whose work this is (its branch is `lockstep/<name>`). */
  name: string;
  /** The exact commit to land, e.g. the reviewed SHA. */
  source: string;
  /** Message of the merge commit when a fast-forward is impossible. */
  message: string;
  /** Another local branch to land on; default the project's target. */
  target?: string;
  /**
   * Throws to refuse, given the implementer's worktree as listed for this landing and the call's
   * repository and settings (e.g. "still the reviewed head", or for a remote implementer "still the pushed head").
   */
  precondition?: (worktree: LocatedWorktree | undefined, call: RepositoryCall) => void | Promise<void>;
}

/** The one outcome of a landing: git's result and the branch it was for. Only `landed` moved anything. */
export type LandOutcome = Exclude<LandResult, { status: 'remote_refused' }> & ProjectConfigCallout & {
  target: string;
  /** On `landed`: the target already contained the source, nothing moved (a repeated landing). */
  alreadyLanded?: true;
};

export interface LandingScope {
  context: DomainContext;
  config: Config;
  caller: Caller;
  call: RepositoryCall;
}

export async function landOnTarget(scope: LandingScope, request: LandRequest): Promise<LandOutcome> {
  const { repo, settings } = scope.call;
  const { git } = repo;
  await request.precondition?.(locatedIn(repo.worktrees, request.name), scope.call);
  if (request.target !== undefined) assertPlainBranchName(request.target);
  // Read first: an unapproved targetBranch refuses here, before anything lands (config-approval.ts).
  const projectTarget = settings.target;
  const target = request.target ?? projectTarget;
  if ((await localBranchHead(git, target)) === null) {
    throw new DomainError('BRANCH_NOT_FOUND', `target branch "${target}" does not exist`, 'Pass an existing local branch, or omit it to land on the project target.');
  }
  const source = request.source.startsWith('-') ? undefined : await resolveCommit(git, request.source);
  if (source === undefined) {
    throw new DomainError('NOT_FOUND', `"${request.source}" names no commit in this repository`, 'Pass the commit SHA of the implementer branch (worktree_status shows its head).');
  }
  const gate = settings.gateCommand === undefined ? undefined : projectGate(scope.config, settings.gateCommand);
  const { remote } = settings;
  const result = await landCommit(repo, { target, source, message: request.message, gate, remote });
  if (result.status === 'remote_refused') throw remoteTargetMoved(target, remote ?? '', result);
  const outcome: LandOutcome = { ...result, target, ...(result.status === 'landed' && result.commit === result.previous && { alreadyLanded: true as const }) };
  if (outcome.status === 'landed') Object.assign(outcome, await projectConfigCalloutBetween(git, outcome.previous, outcome.commit));
  if (outcome.status === 'landed' && !outcome.alreadyLanded && target === projectTarget) {
    await announceTargetMoved(scope, request.name, target, outcome.commit);
  }
  return outcome;
}

/** `name`'s worktree in a listing, if its directory exists. */
export function locatedIn(worktrees: readonly WorktreeInfo[], name: string): LocatedWorktree | undefined {
  const found = implementerWorktreesOf(worktrees).find((w) => w.implementer === name && !w.prunable);
  return found && { path: found.path, branch: found.branch.slice('refs/heads/'.length), head: found.head ?? '' };
}

// Slash-separated segments git accepts as a branch (git check-ref-format --branch), kept strict: no
// revision syntax (~ ^ : @{ ..), no leading "-" or ".", so the name can only ever mean refs/heads/<name>.
const BRANCH_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._+-]*$/;

function assertPlainBranchName(name: string): void {
  const segments = name.split('/');
  const plain =
    name.length <= 255 &&
    name !== 'HEAD' &&
    segments[0] !== 'refs' &&
    !name.includes('..') &&
    segments.every((segment) => BRANCH_SEGMENT.test(segment) && !segment.endsWith('.lock') && !segment.endsWith('.'));
  if (!plain) {
    throw new DomainError(
      'INVALID_INPUT',
      `targetBranch "${name}" is not a plain local branch name`,
      'Pass a local branch by its short name (e.g. "main" or "release/1.2", not "refs/heads/main" or "main~1"), or omit it to land on the project target.',
      { targetBranch: name },
    );
  }
}

function projectGate(config: Config, command: string): LandingGate {
  return async (checkoutDir) => {
    const result = await runProjectCommand(config, command, checkoutDir);
    const header = `$ ${command} (exit ${result.exitCode ?? 'signal'}, ${result.durationMs} ms)\n`;
    return { ok: result.exitCode === 0, log: header + result.logTail };
  };
}

/**
 * One `target_moved` event per other live implementer, carrying whether its branch now conflicts with
 * the new target. A failed forecast must not turn a landing that happened into an error, so the event
 * then goes out without a conflict list. The call's listing serves: a landing adds no implementer worktree.
 */
async function announceTargetMoved(scope: LandingScope, landed: string, target: string, commit: string): Promise<void> {
  const { context, caller, call } = scope;
  // Local worktrees' branches, and those of implementers working elsewhere as last fetched.
  const branches = [...(await otherBranches(call, landed))].map(([ref, implementer]) => ({ ref, implementer }));
  if (branches.length === 0) return;
  const names = branches.map((b) => b.implementer);
  const gone = await context.store.read(caller.project.id, (tx) => goneAmong(tx, context, names));
  const live = branches.filter((b) => !gone.has(b.implementer));
  if (live.length === 0) return;
  const forecasts = await forecastAgainstBranches(call.repo.git, target, live.map((b) => b.ref)).catch(() => undefined);
  const now = context.clock.now();
  await context.store.write(caller.project.id, function* (tx) {
    for (const branch of live) {
      const conflicts = forecasts?.find((f) => f.branch === branch.ref)?.conflicts;
      yield* recordEvent(tx, now, {
        kind: 'target_moved',
        actor: caller.agent?.name ?? null,
        target: branch.implementer,
        subject: target,
        data: { target, commit, ...(forecasts && { conflicts: conflicts ?? [] }) },
      });
    }
  });
}

/** A worktree task always has an owner once it is being worked on. */
export type OwnedTask = TaskRow & { owner: string };

export interface SubmittedRevision {
  reviewedRev: string;
  verify: VerifyRecord | null;
}

/** How task_approve shows a LandOutcome: a refusal to land is an outcome for the task, not an error. */
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
    const located = await this.worktrees.locate(caller, task.owner);
    const remote = located === undefined ? await this.remoteOf(caller) : undefined;
    if (remote !== undefined) return this.prepareRemoteSubmission(caller, task, remote);
    const worktree = located ?? throwNoWorktree(task);
    const dirty = await this.worktrees.isDirty(caller, worktree);
    if (dirty.length > 0) throw worktreeDirty(task, worktree, dirty);
    const { verifyCommand, target } = await this.worktrees.settings(caller);
    await assertSomethingToReview(caller.project.root, target, task, worktree);
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
   * An implementer on another machine: what it pushed is what is reviewed, fetched now, and verified
   * in a temporary checkout of exactly that commit on this host.
   */
  private async prepareRemoteSubmission(caller: Caller, task: OwnedTask, remote: string): Promise<SubmittedRevision> {
    const head = await requirePushedHead(caller.project.root, remote, task);
    const { verifyCommand, target } = await this.worktrees.settings(caller);
    const branch = implementerBranch(task.owner);
    await assertSomethingToReview(caller.project.root, target, task, { path: 'your clone', branch, head }, `, then git push origin ${branch}`);
    if (verifyCommand === undefined) return { reviewedRev: head, verify: null };
    const verify = await this.worktrees.inCheckoutOf(caller, head, (dir) => this.verify(verifyCommand, dir));
    return { reviewedRev: head, verify };
  }

  /** The project's shared remote, when it has one (an unapproved one refuses here). */
  private async remoteOf(caller: Caller): Promise<string | undefined> {
    return (await this.worktrees.settings(caller)).remote;
  }

  /**
   * Lands the reviewed commit if the branch still points at it. Conflicts and failed gates come back
   * as reports; a checkout git refuses to move is an error because nothing was decided.
   */
  async land(caller: Caller, task: OwnedTask): Promise<LandingReport> {
    const reviewedRev = task.reviewedRev ?? null;
    const message = `lockstep: land task #${task.id} (${task.title}) from lockstep/${task.owner}`;
    const precondition = async (worktree: LocatedWorktree | undefined, call: RepositoryCall) => {
      // A local worktree's head, else what a remote implementer has pushed, fetched now.
      const head = worktree?.head ?? (await pushedHeadOf(call, task.owner));
      if (reviewedRev === null || head !== reviewedRev) throw reviewStale(task, reviewedRev, head);
    };
    return landingReport(await this.worktrees.land(caller, { name: task.owner, source: reviewedRev ?? '', message, precondition }));
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

}

function throwNoWorktree(task: OwnedTask): never {
  throw new DomainError(
    'NOT_FOUND',
    `task ${task.id} is a worktree task but ${task.owner} has no worktree`,
    `Call worktree_create with implementerId "${task.owner}", do and commit the work there, then task_submit_for_review.`,
    { id: task.id, implementer: task.owner },
  );
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
        'Nothing landed and the task stays in review. Ask the human to commit or move aside the conflicting changes (git-ignored files included) in that checkout, then call task_approve again.',
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
