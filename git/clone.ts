// Prepares an implementer's own clone of a project's shared remote (`lockstep-mcp join`): the clone, and
// branch `lockstep/<name>` checked out, resumed from the remote if it was pushed before, else started
// at the base commit. Nothing that exists is overwritten: an occupied directory is refused.

import { mkdir, readdir } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { resolveCommit } from './commit-tree.js';
import { openGit, type Git } from './exec.js';
import { implementerBranch, implementerNameProblem } from './refs.js';
import { RemoteUrlError } from './remote.js';
import { BaseNotFoundError, InvalidNameError, WorktreeBlockedError } from './worktrees.js';

export interface ImplementerClone {
  dir: string;
  branch: string;
  head: string;
  /** The branch existed on the remote: its pushed commits were checked out. */
  resumed: boolean;
}

const REMOTE_NAME = 'origin';

/** `../repo-ada` style default: the remote's last path segment (without `.git`) and the implementer's name. */
export function defaultCloneDir(cwd: string, url: string, name: string): string {
  const last = basename(url.replace(/[/\\]+$/, '')).replace(/\.git$/, '') || 'project';
  return resolve(cwd, `${last}-${name}`);
}

/** Clones `url` into `dir` and checks out `lockstep/<name>` (from the remote's branch, else from `base`, default the remote's HEAD). */
export async function cloneForImplementer(request: { url: string; dir: string; name: string; base?: string }): Promise<ImplementerClone> {
  const problem = implementerNameProblem(request.name);
  if (problem) throw new InvalidNameError(request.name, problem);
  if (request.url.length === 0 || request.url.startsWith('-')) throw new RemoteUrlError(request.url);
  const dir = resolve(request.dir);
  await assertEmptyOrAbsent(dir);
  await mkdir(dirname(dir), { recursive: true });
  // --no-checkout: the only checkout is the implementer's branch, made below.
  await openGit(dirname(dir)).run(['clone', '--quiet', '--no-checkout', '--origin', REMOTE_NAME, '--end-of-options', request.url, dir]);
  const git = openGit(dir);
  const branch = implementerBranch(request.name);
  const pushed = await resolveCommit(git, `refs/remotes/${REMOTE_NAME}/${branch}`);
  const start = pushed ?? (await startingCommit(git, request.base));
  await git.run(['switch', '--quiet', '--no-track', '--create', branch, start]);
  // So a plain `git push` / `git pull` in the clone uses the remote's branch of the same name.
  await git.run(['config', `branch.${branch}.remote`, REMOTE_NAME]);
  await git.run(['config', `branch.${branch}.merge`, `refs/heads/${branch}`]);
  return { dir, branch, head: start, resumed: pushed !== undefined };
}

async function startingCommit(git: Git, base: string | undefined): Promise<string> {
  const revision = base === undefined ? `refs/remotes/${REMOTE_NAME}/HEAD` : base.startsWith('-') ? undefined : base;
  const commit = revision === undefined ? undefined : ((await resolveCommit(git, revision)) ?? (await resolveCommit(git, `refs/remotes/${REMOTE_NAME}/${revision}`)));
  if (commit === undefined) throw new BaseNotFoundError(base ?? 'HEAD of the remote');
  return commit;
}

async function assertEmptyOrAbsent(dir: string): Promise<void> {
  const entries = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    if (error.code === 'ENOTDIR') throw new WorktreeBlockedError(dir, 'a file is in the way');
    throw error;
  });
  if (entries.length > 0) throw new WorktreeBlockedError(dir, 'the directory is not empty');
}
