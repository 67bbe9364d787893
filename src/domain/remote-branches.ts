// Implementers on other machines, as the review sees them: their work is what they pushed to the project's
// shared remote (`lockstep/<name>`), fetched here into refs/lockstep-remote/<name>; what their clone holds
// besides (later commits, uncommitted files) is their own business. And the refusal of a landing whose
// push to the remote found someone else's push there first.

import { openGit } from '../../git/exec.js';
import { implementerBranch } from '../../git/refs.js';
import { fetchedImplementers, fetchImplementerBranch } from '../../git/remote.js';
import { implementerWorktreesOf } from '../../git/worktree-list.js';
import type { LandResult } from '../../git/land.js';
import { requireBranchHead } from '../../git/target.js';
import { DomainError } from '../core/errors.js';
import type { Caller, DomainContext } from './context.js';
import { translatingGitErrors } from './git-errors.js';
import type { WorktreeSettings } from './worktree-settings.js';
import type { RepositoryCall } from './worktrees.js';

/** Where an implementer on another machine starts a worktree task: its branch, pushed to `remote`, from `base`. */
export interface RemoteStart {
  remote: string;
  branch: string;
  /** The target's commit now: a new branch starts here. */
  base: string;
  instruction: string;
}

/**
 * Whether `name` works where this server cannot reach its files: over HTTP (the client may run on any
 * machine, and this server cannot tell), or registered by a server on another host.
 */
export async function worksElsewhere(context: Pick<DomainContext, 'store' | 'host'>, caller: Caller, name: string): Promise<boolean> {
  if (caller.session?.credential !== undefined) return true;
  const row = await context.store.read(caller.project.id, (tx) => tx.one('agents', { id: name }));
  return row !== undefined && row.host !== context.host;
}

/** In a project with a remote: where `name`, working elsewhere, starts. Undefined in local mode. */
export async function remoteStartFor(caller: Caller, name: string, settings: WorktreeSettings): Promise<RemoteStart | undefined> {
  const { remote, target } = settings;
  if (remote === undefined) return undefined;
  const base = await translatingGitErrors(() => requireBranchHead(openGit(caller.project.root), target));
  const branch = implementerBranch(name);
  const instruction =
    `Work in your own clone of ${remote}, not on the server's machine: \`lockstep-mcp join ${remote} --name ${name} --base ${base}\` ` +
    `makes one with ${branch} checked out (or clone it and create ${branch} at ${base}; if ${branch} is on the remote already, continue it). ` +
    `Commit there and \`git push origin ${branch}\` before task_submit_for_review: what you pushed is what is reviewed.`;
  return { remote, branch, base, instruction };
}

/** In a project with a remote: what `name` has pushed, fetched now (undefined if nothing, or in local mode). */
export async function pushedHeadOf(call: RepositoryCall, name: string): Promise<string | undefined> {
  const { remote } = call.settings;
  return remote === undefined ? undefined : ((await fetchImplementerBranch(call.repo.git, remote, name)) ?? undefined);
}

/** Other implementers' branches to forecast against, by ref: local worktrees, and branches fetched from the remote. */
export async function otherBranches(call: RepositoryCall, name: string): Promise<Map<string, string>> {
  const local = implementerWorktreesOf(call.repo.worktrees).filter((w) => !w.prunable && w.implementer !== name);
  const others = new Map(local.map((w) => [w.branch, w.implementer]));
  // `in` does not read the setting: an unapproved remote only leaves the fetched refs as they are.
  if (!('remote' in call.settings)) return others;
  const here = new Set(local.map((w) => w.implementer));
  for (const fetched of await fetchedImplementers(call.repo.git)) {
    if (fetched.name !== name && !here.has(fetched.name)) others.set(fetched.ref, fetched.name);
  }
  return others;
}

/** The commit the task's owner has pushed to `remote`, fetched now; a branch never pushed is refused with what to do. */
export async function requirePushedHead(root: string, remote: string, task: { id: number; owner: string }): Promise<string> {
  const head = await translatingGitErrors(() => fetchImplementerBranch(openGit(root), remote, task.owner));
  if (head !== null) return head;
  const branch = implementerBranch(task.owner);
  throw new DomainError(
    'BRANCH_NOT_FOUND',
    `task ${task.id}: ${task.owner} has no local worktree here and has pushed no ${branch} to the project's remote ${remote}`,
    `In your clone (lockstep-mcp join ${remote} --name ${task.owner}), commit your work and \`git push origin ${branch}\`, then task_submit_for_review again: what you pushed is what is reviewed.`,
    { id: task.id, branch, remote },
  );
}

/** A landing refused because the remote's target is no longer the local target: nothing moved anywhere. */
export function remoteTargetMoved(target: string, remote: string, outcome: Extract<LandResult, { status: 'remote_refused' }>): DomainError {
  return new DomainError(
    'REMOTE_TARGET_MOVED',
    `nothing landed: ${target} on the remote ${remote} is at ${outcome.remoteHead ?? '(absent)'}, not at the local ${target} this landing was built on (${outcome.reason}); neither was changed`,
    `The task stays in review. Ask the human to bring the local ${target} up to date with the remote (in the main checkout: \`git pull --ff-only ${remote} ${target}\`), then task_approve again.`,
    { target, remote, remoteHead: outcome.remoteHead },
  );
}
