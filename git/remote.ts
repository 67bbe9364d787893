// Branches that travel through a project's shared remote: an implementer on another machine pushes
// `lockstep/<name>` there, the landing side fetches it into a ref of its own and, after landing, pushes
// the target back with a lease so a push someone else made meanwhile is never overwritten.

import { resolveCommit } from './commit-tree.js';
import { GitCommandError, type Git } from './exec.js';
import { implementerBranch } from './refs.js';
import { branchRef } from './target.js';

/** Where fetched implementer branches live: never a local branch, so no local work can be overwritten. */
export const FETCHED_IMPLEMENTER_REFS = 'refs/lockstep-remote/';

export function fetchedImplementerRef(name: string): string {
  return `${FETCHED_IMPLEMENTER_REFS}${name}`;
}

export class RemoteUrlError extends Error {
  constructor(readonly remote: string) {
    super(`"${remote}" cannot name a remote: it may not be empty or start with "-"`);
    this.name = 'RemoteUrlError';
  }
}

const MISSING_REMOTE_REF = /couldn't find remote ref/i;

/**
 * Fetches `lockstep/<name>` from `remote` (URL or path) into refs/lockstep-remote/<name> and returns the
 * commit it points at, or null when the remote has no such branch. The local ref follows the remote even
 * when the implementer rewrote its branch: it is a mirror, the work itself lives on the remote.
 */
export async function fetchImplementerBranch(git: Git, remote: string, name: string): Promise<string | null> {
  const refspec = `+${branchRef(implementerBranch(name))}:${fetchedImplementerRef(name)}`;
  try {
    await git.run(['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--end-of-options', checkedRemote(remote), refspec]);
  } catch (error) {
    if (error instanceof GitCommandError && MISSING_REMOTE_REF.test(error.stderr)) return null;
    throw error;
  }
  return fetchedHead(git, name);
}

/** The commit last fetched for `name`, or null if none was. */
export async function fetchedHead(git: Git, name: string): Promise<string | null> {
  return (await resolveCommit(git, fetchedImplementerRef(name))) ?? null;
}

/** Implementers whose branch was fetched before, each with its fetched ref and head: what forecasts compare against. */
export async function fetchedImplementers(git: Git): Promise<{ name: string; ref: string; head: string }[]> {
  const { stdout } = await git.run(['for-each-ref', '--format=%(refname) %(objectname)', FETCHED_IMPLEMENTER_REFS], { readOnly: true, trim: true });
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [ref, head] = line.split(' ') as [string, string];
      return { name: ref.slice(FETCHED_IMPLEMENTER_REFS.length), ref, head };
    });
}

/** The commit `branch` points at on `remote`, or null when the remote has no such branch. */
export async function remoteBranchHead(git: Git, remote: string, branch: string): Promise<string | null> {
  const ref = branchRef(branch);
  const { stdout } = await git.run(['ls-remote', '--end-of-options', checkedRemote(remote), ref], { readOnly: true, trim: true });
  const line = stdout.split('\n').find((entry) => entry.endsWith(`\t${ref}`));
  return line === undefined ? null : line.slice(0, line.indexOf('\t'));
}

export type PushOutcome = { status: 'pushed' } | { status: 'refused'; remoteHead: string | null; reason: string };

/**
 * Moves `branch` on `remote` to `commit` only if it still points at `expected` (`--force-with-lease` with
 * an explicit value: a lease without one would trust whatever we last fetched). A refusal is an outcome,
 * not an error: nothing moved on the remote. A remote already at `commit` counts as pushed (a retry).
 */
export async function pushWithLease(git: Git, remote: string, push: { branch: string; commit: string; expected: string }): Promise<PushOutcome> {
  const ref = branchRef(push.branch);
  const url = checkedRemote(remote);
  const result = await git.run(
    ['push', '--porcelain', '--no-verify', `--force-with-lease=${ref}:${push.expected}`, '--end-of-options', url, `${push.commit}:${ref}`],
    { okExitCodes: [0, 1] },
  );
  if (result.exitCode === 0) return { status: 'pushed' };
  const remoteHead = await remoteBranchHead(git, remote, push.branch);
  if (remoteHead === push.commit) return { status: 'pushed' };
  const reason = rejectionOf(result.stdout) ?? (result.stderr.trim().split('\n')[0] || 'rejected');
  return { status: 'refused', remoteHead, reason };
}

/** The reason git gives for a rejected ref in `push --porcelain` output (`!\tsrc:dst\t[rejected] (stale info)`). */
function rejectionOf(porcelain: string): string | undefined {
  const line = porcelain.split('\n').find((entry) => entry.startsWith('!'));
  return line?.split('\t')[2];
}

/** A remote reaches argv only after this: `--end-of-options` guards it as well, but a clear refusal is better. */
function checkedRemote(remote: string): string {
  if (remote.length === 0 || remote.startsWith('-') || remote.includes('\0')) throw new RemoteUrlError(remote);
  return remote;
}
