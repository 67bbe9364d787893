// The files a diff between two trees touches, with the size of each side's blob, read without reading
// any file's content: `diff --raw` names the blobs, `ls-tree -l` sizes them. What a diff pager needs
// to decide, before asking git for a patch, whether that patch can be held in memory at all.

import type { Git } from './exec.js';

export interface ChangedFile {
  /** The path on the new side (the only path unless renamed or copied). */
  path: string;
  /** The old path of a rename or copy. */
  from?: string;
  oldBlob: string;
  newBlob: string;
  /** Bytes of each side's blob; 0 for a side that does not exist; undefined when git did not say. */
  oldSize?: number;
  newSize?: number;
}

const ABSENT_BLOB = /^0+$/;
/** Paths per ls-tree call, far below the kernel's argv limit even for long paths. */
const PATHS_PER_CALL = 500;

/** Parses `git diff --raw -z --no-abbrev`: `:modes oids status` then one path, or two for R and C. */
export function parseRawDiff(output: string): ChangedFile[] {
  const fields = output.split('\0');
  const files: ChangedFile[] = [];
  for (let index = 0; index < fields.length; index++) {
    const header = fields[index]!;
    if (!header.startsWith(':')) continue;
    const [, , oldBlob = '', newBlob = '', status = ''] = header.slice(1).split(' ');
    if (status.startsWith('R') || status.startsWith('C')) {
      files.push({ from: fields[index + 1]!, path: fields[index + 2]!, oldBlob, newBlob });
      index += 2;
    } else {
      files.push({ path: fields[index + 1]!, oldBlob, newBlob });
      index += 1;
    }
  }
  return files;
}

/** Changed files from `from` to `to` (commits or trees), limited to `pathspec` (taken literally), sizes included. */
export async function changedFiles(git: Git, from: string, to: string, pathspec: string[]): Promise<ChangedFile[]> {
  const { stdout } = await git.run(
    ['--literal-pathspecs', 'diff', '--raw', '-z', '--no-abbrev', '--no-ext-diff', '--end-of-options', from, to, '--', ...pathspec],
    { readOnly: true },
  );
  const files = parseRawDiff(stdout);
  const [oldSizes, newSizes] = await Promise.all([
    blobSizes(git, from, files.map((file) => file.from ?? file.path)),
    blobSizes(git, to, files.map((file) => file.path)),
  ]);
  for (const file of files) {
    file.oldSize = ABSENT_BLOB.test(file.oldBlob) ? 0 : oldSizes.get(file.oldBlob);
    file.newSize = ABSENT_BLOB.test(file.newBlob) ? 0 : newSizes.get(file.newBlob);
  }
  return files;
}

/** Blob id -> size for `paths` in `treeish`, from `ls-tree -l` (which reads object headers, not contents). */
async function blobSizes(git: Git, treeish: string, paths: string[]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  for (let start = 0; start < paths.length; start += PATHS_PER_CALL) {
    const chunk = paths.slice(start, start + PATHS_PER_CALL);
    const { stdout } = await git.run(['--literal-pathspecs', 'ls-tree', '-r', '-l', '-z', '--full-tree', '--end-of-options', treeish, '--', ...chunk], {
      readOnly: true,
    });
    for (const entry of stdout.split('\0')) {
      // `<mode> <type> <object> <size padded>\t<path>`; a submodule's size is "-".
      const match = /^\d+ blob ([0-9a-f]+) +(\d+)\t/.exec(entry);
      if (match) sizes.set(match[1]!, Number(match[2]));
    }
  }
  return sizes;
}
