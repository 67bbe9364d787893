// Lands a commit on a target branch without ever leaving a repository half-merged: the merge is built
// as objects (merge-tree + commit-tree), optionally gated in a throwaway worktree, and the branch only
// advances by compare-and-swap or by a fast-forward that git performs in place and refuses if unsafe.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { commitTree, mergeBase, resolveCommit } from './commit-tree.js';
import { GitManagerError } from './errors.js';
import { GitCommandError, type Git } from './exec.js';
import { forecastMerge } from './forecast.js';
import { withRepositoryLock, withRepositoryMutex } from './mutex.js';
import { pushWithLease } from './remote.js';
import type { Repository } from './repository.js';
import { branchRef, requireBranchHead } from './target.js';
import { removeAbandonedCheckouts, withTemporaryCheckout } from './temporary-checkout.js';
import type { WorktreeInfo } from './worktree-list.js';

export type LandingGate = (checkoutDir: string) => Promise<{ ok: boolean; log: string }>;

export interface LandRequest {
  /** Local branch, by short name or as `refs/heads/…`. */
  target: string;
  /** The exact commit to land (e.g. the reviewed SHA). */
  source: string;
  /** Message of the merge commit when a fast-forward is impossible. */
  message: string;
  /** Runs on the merged result checked out in a temporary worktree; the target moves only if it passes. */
  gate?: LandingGate;
  /**
   * The shared remote (URL or path) the target is published to. The push happens before the local
   * target moves and only if the remote's target is still the local one: a refusal moves nothing.
   */
  remote?: string;
}

export type LandResult =
  | { status: 'landed'; commit: string; previous: string; fastForward: boolean; checkoutUpdated?: string }
  | { status: 'conflict'; files: string[] }
  | { status: 'gate_failed'; logTail: string }
  | { status: 'target_checkout_refused'; reason: string; checkout: string }
  | { status: 'remote_refused'; reason: string; remoteHead: string | null };

/** Another writer (a human commit) may move the target between our read and our swap; then we start over. */
const MAX_ATTEMPTS = 5;
const TARGET_MOVED = Symbol('target moved');
const GATE_DIR_PREFIX = 'lockstep-gate-';

type MergePlan =
  | { status: 'merged'; commit: string; fastForward: boolean }
  | { status: 'conflict'; files: string[] };

/**
 * Landings of one repository run one at a time across processes (the landing lock); each re-reads the
 * target it lands on, and the ref itself is only moved by compare-and-swap, so even a writer outside
 * lockstep cannot be overwritten. A process killed at any point leaves either the old or the new target.
 * `repo.worktrees` says which checkouts have the target out (lockstep never checks a target out itself).
 */
export async function landCommit(repo: Repository, request: LandRequest): Promise<LandResult> {
  const { git } = repo;
  return withRepositoryLock(git, 'landing', async () => {
    // Only landings make gate checkouts, one at a time: one left behind was abandoned by a killed landing.
    await removeAbandonedCheckouts(git, repo.worktrees, GATE_DIR_PREFIX);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const result = await landOnce(repo, request);
      if (result !== TARGET_MOVED) return result;
    }
    throw new GitManagerError('TARGET_KEEPS_MOVING', `branch ${request.target} moved during each of ${MAX_ATTEMPTS} landing attempts`);
  });
}

async function landOnce(repo: Repository, request: LandRequest): Promise<LandResult | typeof TARGET_MOVED> {
  const { git } = repo;
  const previous = await requireBranchHead(git, request.target);
  const plan = await planMerge(git, previous, await requireCommit(git, request.source), request.message);
  if (plan.status === 'conflict') return plan;
  if (request.gate && plan.commit !== previous) {
    const gate = await runGate(git, plan.commit, request.gate);
    if (!gate.ok) return { status: 'gate_failed', logTail: gate.log };
  }
  return withRepositoryMutex(git, () => advanceTarget(repo, request, previous, plan));
}

/** One merge-base answers both "already contained" and "fast-forward" (and prints, unlike --is-ancestor). */
async function relate(git: Git, target: string, source: string): Promise<'contained' | 'ahead' | 'diverged'> {
  const base = await mergeBase(git, target, source);
  return base === source ? 'contained' : base === target ? 'ahead' : 'diverged';
}

async function planMerge(git: Git, target: string, source: string, message: string): Promise<MergePlan> {
  const relation = await relate(git, target, source);
  if (relation === 'contained') return { status: 'merged', commit: target, fastForward: true };
  if (relation === 'ahead') return { status: 'merged', commit: source, fastForward: true };
  const merge = await forecastMerge(git, { ours: target, theirs: source });
  if (!merge.clean) return { status: 'conflict', files: merge.conflicts };
  return { status: 'merged', commit: await commitTree(git, merge.tree, [target, source], message), fastForward: false };
}

async function advanceTarget(
  repo: Repository,
  request: LandRequest,
  previous: string,
  plan: Extract<MergePlan, { status: 'merged' }>,
): Promise<LandResult | typeof TARGET_MOVED> {
  const { git } = repo;
  const { target } = request;
  if ((await requireBranchHead(git, target)) !== previous) return TARGET_MOVED;
  const landed = { status: 'landed', commit: plan.commit, previous, fastForward: plan.fastForward } as const;
  if (plan.commit === previous) return landed;
  const { checkout, rebasing, others } = await checkoutOf(git, repo.worktrees, target);
  if (rebasing) return { status: 'target_checkout_refused', reason: `a rebase of ${target} is in progress there`, checkout: rebasing };
  if (checkout !== undefined && others.length > 0) {
    // Git moves the files of one checkout only: every other one would be left with stale files.
    return { status: 'target_checkout_refused', reason: `${target} is also checked out at ${others.join(', ')}`, checkout };
  }
  if (request.remote !== undefined) {
    // Published before the local target moves: a refused push leaves both as they were.
    const pushed = await pushWithLease(git, request.remote, { branch: target, commit: plan.commit, expected: previous });
    if (pushed.status === 'refused') return { status: 'remote_refused', reason: pushed.reason, remoteHead: pushed.remoteHead };
  }
  if (checkout === undefined) return (await swapBranch(git, target, plan.commit, previous)) ? landed : TARGET_MOVED;
  const refusal = await fastForwardCheckout(git.at(checkout), target, plan.commit);
  if (refusal === undefined) return { ...landed, checkoutUpdated: checkout };
  if ((await requireBranchHead(git, target)) !== previous) return TARGET_MOVED;
  return { status: 'target_checkout_refused', reason: refusal, checkout };
}

/**
 * Moves a checked-out branch the way a human would: git updates ref, index and files together and
 * refuses, changing nothing, if that would overwrite uncommitted work. `--no-overwrite-ignore` because
 * git-ignored files (`.env`) are the human's too, and git overwrites them by default. `--no-autostash`
 * because a user's merge.autoStash would otherwise stash their edits and could leave conflict markers.
 * The symbolic-ref check re-reads, just before the merge, that the checkout still has `target` out:
 * `merge` moves whatever that checkout's HEAD is.
 */
async function fastForwardCheckout(checkout: Git, target: string, commit: string): Promise<string | undefined> {
  const head = await checkout.run(['symbolic-ref', '--quiet', 'HEAD'], { okExitCodes: [0, 1], readOnly: true, trim: true });
  if (head.stdout !== branchRef(target)) return `the checkout no longer has ${target} out`;
  try {
    await checkout.run(['merge', '--ff-only', '--no-overwrite-ignore', '--no-autostash', '--no-stat', commit]);
    return undefined;
  } catch (error) {
    if (!(error instanceof GitCommandError)) throw error;
    return (error.stderr.trim() || error.stdout.trim() || error.message).slice(0, 2_000);
  }
}

async function swapBranch(git: Git, target: string, next: string, previous: string): Promise<boolean> {
  try {
    await git.run(['update-ref', '-m', `lockstep: land ${next}`, branchRef(target), next, previous]);
    return true;
  } catch (error) {
    if (error instanceof GitCommandError && (await requireBranchHead(git, target)) !== previous) return false;
    throw error;
  }
}

/**
 * The worktrees (main checkout or linked, `worktree add --force` allows several) that have `target`
 * checked out and still exist on disk; or one rebasing it (listed as detached), whose rebase would fail
 * to finish if the branch moved under it.
 */
async function checkoutOf(
  git: Git,
  listed: readonly WorktreeInfo[],
  target: string,
): Promise<{ checkout?: string; others: string[]; rebasing?: string }> {
  const ref = branchRef(target);
  const worktrees = listed.filter((worktree) => !worktree.prunable);
  const [checkout, ...others] = worktrees.filter((worktree) => worktree.branch === ref).map((worktree) => worktree.path);
  if (checkout !== undefined) return { checkout, others };
  for (const worktree of worktrees.filter((w) => w.detached)) {
    if ((await rebasedBranch(git.at(worktree.path))) === ref) return { rebasing: worktree.path, others };
  }
  return { others };
}

/** The branch an interrupted `git rebase` in this worktree will move when it finishes. */
async function rebasedBranch(worktree: Git): Promise<string | undefined> {
  const { stdout } = await worktree.run(['rev-parse', '--path-format=absolute', '--git-dir'], { readOnly: true, trim: true });
  for (const state of ['rebase-merge', 'rebase-apply']) {
    const headName = await readFile(join(stdout, state, 'head-name'), 'utf8').catch(() => undefined);
    if (headName !== undefined) return headName.trim();
  }
  return undefined;
}

async function runGate(git: Git, commit: string, gate: LandingGate): Promise<{ ok: boolean; log: string }> {
  return withTemporaryCheckout(git, commit, GATE_DIR_PREFIX, async (dir) => {
    try {
      return await gate(dir);
    } catch (error) {
      return { ok: false, log: `the gate could not run: ${error instanceof Error ? error.message : String(error)}` };
    }
  });
}

async function requireCommit(git: Git, revision: string): Promise<string> {
  const commit = await resolveCommit(git, revision);
  if (commit === undefined) throw new GitManagerError('COMMIT_NOT_FOUND', `${revision} names no commit in this repository`);
  return commit;
}
