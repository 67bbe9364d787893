// A file's lines as committed: what a review comment's quoted line is compared with after the code
// under it may have moved. Reads the raw blob (no filters run), so no configured program can start.

import type { Git } from './exec.js';

/** Larger files are not read: a comment on them is judged by its commit alone. */
const MAX_BLOB_BYTES = 1024 * 1024;

/** The lines of `path` in `commit`; undefined when the file does not exist there or is too large. */
export async function blobLines(git: Git, commit: string, path: string): Promise<string[] | undefined> {
  const object = `${commit}:${path}`;
  const size = await git.run(['cat-file', '-s', object], { okExitCodes: [0, 128], readOnly: true, trim: true });
  if (size.exitCode !== 0 || Number(size.stdout) > MAX_BLOB_BYTES) return undefined;
  const blob = await git.run(['cat-file', 'blob', object], { readOnly: true });
  return blob.stdout.split('\n');
}
