// Checks that a worktree's `.git` leads into this repository before any git command trusts it. An
// agent can rewrite its worktree's `.git` file to point at a repository it made (with its own config)
// or at another worktree's admin directory; git would follow either without a word.

import { readFile, realpath, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

export class UntrustedWorktreeError extends Error {
  constructor(
    readonly worktree: string,
    readonly problem: string,
  ) {
    super(`the worktree ${worktree} is not trusted: ${problem}`);
    this.name = 'UntrustedWorktreeError';
  }
}

/**
 * Passes when `worktree` is the main checkout of the repository whose common dir is `commonDir`, or a
 * linked worktree whose `.git` file names `<common>/worktrees/<id>`, whose `commondir` leads back to
 * the same common dir and whose `gitdir` back-pointer names this very worktree.
 */
export async function verifyWorktreePointer(worktree: string, commonDir: string): Promise<void> {
  const refuse = (problem: string) => new UntrustedWorktreeError(worktree, problem);
  const common = await realpath(commonDir);
  const dotGit = join(worktree, '.git');
  const info = await stat(dotGit).catch(() => undefined);
  if (!info) throw refuse('it has no .git');
  if (info.isDirectory()) {
    if ((await realpath(dotGit)) === common) return;
    throw refuse('its .git is a repository of its own, not this one');
  }
  const pointer = /^gitdir: (.+)$/m.exec(await readFile(dotGit, 'utf8'))?.[1]?.trim();
  if (!pointer) throw refuse('its .git file has no "gitdir:" line');
  const adminDir = await realOrUndefined(resolve(worktree, pointer));
  // A main checkout made with --separate-git-dir points straight at the common dir.
  if (adminDir === common) return;
  if (adminDir === undefined || dirname(adminDir) !== join(common, 'worktrees')) {
    throw refuse(`its .git points to ${pointer}, which is not one of this repository's worktrees`);
  }
  const back = await readLine(join(adminDir, 'commondir'));
  if (back === undefined || (await realOrUndefined(resolve(adminDir, back))) !== common) {
    throw refuse(`${adminDir}/commondir does not lead back to ${common}`);
  }
  const owner = await readLine(join(adminDir, 'gitdir'));
  if (owner === undefined || (await realOrUndefined(resolve(adminDir, owner))) !== (await realpath(dotGit))) {
    throw refuse(`${adminDir} belongs to another worktree (${owner ?? 'none recorded'})`);
  }
}

function realOrUndefined(path: string): Promise<string | undefined> {
  return realpath(path).catch(() => undefined);
}

async function readLine(path: string): Promise<string | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  return text?.trim() || undefined;
}
