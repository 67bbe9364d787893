// Finds the repository a directory belongs to: its common git dir (shared by the main checkout and every
// linked worktree) and the main working tree, so servers started in either agree on the project.

import { realpath } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { GitCommandError, openGit, type Git } from './exec.js';

/** A directory's repository never changes while we run, so one lookup per directory is enough. */
const commonDirs = new Map<string, Promise<string>>();

/** The repository's common git dir as an absolute path: the same from the main checkout and every worktree. */
export function gitCommonDir(git: Git): Promise<string> {
  let commonDir = commonDirs.get(git.dir);
  if (commonDir === undefined) {
    commonDir = git.run(['rev-parse', '--path-format=absolute', '--git-common-dir'], { readOnly: true, trim: true }).then((r) => r.stdout);
    commonDir.catch(() => commonDirs.delete(git.dir));
    commonDirs.set(git.dir, commonDir);
  }
  return commonDir;
}

/** The main working tree's real path; a directory outside git is its own project. */
export async function mainWorktreeRoot(directory: string): Promise<string> {
  const resolved = await realpath(directory);
  const commonDir = await gitCommonDir(openGit(resolved)).catch((error: unknown) => {
    if (error instanceof GitCommandError) return null;
    throw error;
  });
  if (!commonDir) return resolved;
  const realCommonDir = await realpath(commonDir);
  // A bare repository has no working tree: the repository directory itself names the project.
  return basename(realCommonDir) === '.git' ? dirname(realCommonDir) : realCommonDir;
}
