// Finds the main working tree that a directory belongs to, so a server started inside a linked
// worktree (an implementer's) and one started in the main checkout agree on the project.

import { execFile } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

/** The main working tree's real path; a directory outside git is its own project. */
export async function mainWorktreeRoot(directory: string): Promise<string> {
  const resolved = await realpath(directory);
  const commonDir = await new Promise<string | null>((resolve) => {
    execFile(
      'git',
      ['rev-parse', '--path-format=absolute', '--git-common-dir'],
      { cwd: resolved, env: { ...process.env, LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0' } },
      (error, stdout) => resolve(error ? null : stdout.trim()),
    );
  });
  if (!commonDir) return resolved;
  const realCommonDir = await realpath(commonDir);
  // A bare repository has no working tree: the repository directory itself names the project.
  return basename(realCommonDir) === '.git' ? dirname(realCommonDir) : realCommonDir;
}
