// Keeps worktrees that live inside the main working tree invisible to it: one line in the repository's
// `info/exclude`, so the human's `git status` stays quiet and `git add -A` never stages them.

import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import type { Git } from './exec.js';

/** Adds `/<relativeDir>/` to info/exclude unless it is already there. */
export async function excludeFromMainCheckout(git: Git, relativeDir: string): Promise<void> {
  const { stdout } = await git.run(['rev-parse', '--git-path', 'info/exclude'], { readOnly: true });
  const excludeFile = resolve(git.dir, stdout.trim());
  const pattern = `/${escapeGlob(relativeDir.split(sep).join('/'))}/`;
  const existing = await readFile(excludeFile, 'utf8').catch(() => '');
  if (existing.split('\n').includes(pattern)) return;
  await mkdir(dirname(excludeFile), { recursive: true });
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  await appendFile(excludeFile, `${separator}# lockstep-mcp worktrees\n${pattern}\n`);
}

// A directory name with glob characters, a leading "#"/"!" or spaces must match only itself.
function escapeGlob(path: string): string {
  return path.replace(/[\\*?[\]!# ]/g, (character) => `\\${character}`);
}
