// Counts the git processes a piece of code spawns: a `git` shim first on PATH logs each argv and runs
// the real git. The counted code finds git through PATH like any caller, so nothing in it is faked.

import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../../fixtures/git.js';

/** Runs `work` with the shim on PATH and returns its result and the argv line of every git it ran. */
export async function countingGitProcesses<T>(work: () => Promise<T>): Promise<{ result: T; commands: string[] }> {
  const realGit = execFileSync('which', ['git'], { encoding: 'utf8' }).trim();
  const dir = makeTempDir('lockstep-git-shim-');
  const log = join(dir, 'calls.log');
  writeFileSync(log, '');
  writeFileSync(join(dir, 'git'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${realGit}' "$@"\n`);
  chmodSync(join(dir, 'git'), 0o755);
  const path = process.env.PATH;
  process.env.PATH = `${dir}:${path}`;
  try {
    const result = await work();
    return { result, commands: readFileSync(log, 'utf8').split('\n').filter((line) => line !== '') };
  } finally {
    process.env.PATH = path;
  }
}
