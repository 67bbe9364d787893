// Landing an implementer's commit on the target branch (git/land.ts does the git work) with the
// project's gate command, then telling every other live implementer that the target moved under it.

import { resolveCommit } from '../../git/commit-tree.js';
import type { Git } from '../../git/exec.js';
import { forecastAgainstBranches } from '../../git/forecast.js';
import { landCommit, type LandingGate, type LandResult } from '../../git/land.js';
import { localBranchHead } from '../../git/target.js';
import { lockstepWorktrees } from '../../git/worktrees.js';
import type { Config } from '../config.js';
import { projectConfigCalloutBetween, type ProjectConfigCallout } from './config-callout.js';
import type { Caller, DomainContext } from './context.js';
import { DomainError } from '../core/errors.js';
import { recordEvent } from './events.js';
import { goneAmong } from './implementer-liveness.js';
import { runProjectCommand } from './project-commands.js';
import type { WorktreeSettings } from './worktree-settings.js';

export interface LandRequest {
  /** The implementer whose work this is (its branch is `lockstep/<name>`). */
  name: string;
  /** The exact commit to land, e.g. the reviewed SHA. */
  source: string;
  /** Message of the merge commit when a fast-forward is impossible. */
  message: string;
  /** Another local branch to land on; default the project's target. */
  target?: string;
}

export type LandOutcome =
  | (ProjectConfigCallout & {
      status: 'landed';
      target: string;
      commit: string;
      previous: string;
      fastForward: boolean;
      /** The target already contained the source: nothing moved (a repeated landing). */
      alreadyLanded?: true;
      /** The checkout that has the target out, brought forward in place. */
      checkoutUpdated?: string;
    })
  | { status: 'conflict'; target: string; files: string[] }
  | { status: 'gate_failed'; target: string; logTail: string }
  | { status: 'target_checkout_refused'; target: string; reason: string; checkout: string };

export interface LandingScope {
  context: DomainContext;
  config: Config;
  caller: Caller;
  git: Git;
  settings: WorktreeSettings;
}

export async function landOnTarget(scope: LandingScope, request: LandRequest): Promise<LandOutcome> {
  const { git, settings } = scope;
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
  const outcome = toOutcome(target, await landCommit(git, { target, source, message: request.message, gate }));
  if (outcome.status === 'landed') Object.assign(outcome, await projectConfigCalloutBetween(git, outcome.previous, outcome.commit));
  if (outcome.status === 'landed' && !outcome.alreadyLanded && target === projectTarget) {
    await announceTargetMoved(scope, request.name, target, outcome.commit);
  }
  return outcome;
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

function toOutcome(target: string, result: LandResult): LandOutcome {
  switch (result.status) {
    case 'landed':
      return {
        status: 'landed',
        target,
        commit: result.commit,
        previous: result.previous,
        fastForward: result.fastForward,
        ...(result.commit === result.previous && { alreadyLanded: true as const }),
        ...(result.checkoutUpdated !== undefined && { checkoutUpdated: result.checkoutUpdated }),
      };
    case 'conflict':
      return { status: 'conflict', target, files: result.files };
    case 'gate_failed':
      return { status: 'gate_failed', target, logTail: result.log };
    case 'target_checkout_refused':
      return { status: 'target_checkout_refused', target, reason: result.reason, checkout: result.checkout };
  }
}

/**
 * One `target_moved` event per other live implementer, carrying whether its branch now conflicts with
 * the new target. A failed forecast must not turn a landing that happened into an error, so the event
 * then goes out without a conflict list.
 */
async function announceTargetMoved(scope: LandingScope, landed: string, target: string, commit: string): Promise<void> {
  const { context, caller, git } = scope;
  const worktrees = (await lockstepWorktrees(git)).filter((w) => w.implementer !== landed && !w.prunable);
  if (worktrees.length === 0) return;
  const names = worktrees.map((w) => w.implementer);
  const gone = await context.store.read(caller.project.id, (tx) => goneAmong(tx, context, names));
  const live = worktrees.filter((w) => !gone.has(w.implementer));
  if (live.length === 0) return;
  const forecasts = await forecastAgainstBranches(git, target, live.map((w) => w.branch)).catch(() => undefined);
  const now = context.clock.now();
  await context.store.write(caller.project.id, (tx) => {
    for (const worktree of live) {
      const conflicts = forecasts?.find((f) => f.branch === worktree.branch)?.conflicts;
      recordEvent(tx, now, {
        kind: 'target_moved',
        actor: caller.agent?.name ?? null,
        target: worktree.implementer,
        subject: target,
        data: { target, commit, ...(forecasts && { conflicts: conflicts ?? [] }) },
      });
    }
  });
}
