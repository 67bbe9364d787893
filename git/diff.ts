// What a reviewer reads: the branch's unified diff against its merge base with the target, optionally
// followed by the worktree's uncommitted changes, served in pages by byte offset. Memory stays bounded
// whatever the branch holds: files are listed with their blob sizes first, a file above the cap is one
// "too large to show" entry, and git is asked for patches a few megabytes of blobs at a time, only up
// to the end of the requested page.

import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { changedFiles, type ChangedFile } from './diff-files.js';
import type { Git } from './exec.js';
import { mergeBaseWithTarget, requireBranchHead } from './target.js';

export const DEFAULT_DIFF_PAGE_BYTES = 32 * 1024;
/** A side of a file above this many bytes is not diffed: its patch alone could exceed any page budget. */
export const MAX_DIFFED_FILE_BYTES = 1024 * 1024;
/** Blob bytes per `git diff` call: bounds what one call can print (a patch is at most about twice its blobs). */
const BLOB_BYTES_PER_CALL = 4 * 1024 * 1024;

export interface BranchDiffOptions {
  branch: string;
  /** The commit to diff (a fetched head of a branch with no worktree here); default the branch head. */
  head?: string;
  target: string;
  /** Needed with includeUncommitted: the worktree whose uncommitted changes to add. */
  worktreePath?: string;
  /** Limit to one file or directory (taken literally, never as a glob or pathspec magic). */
  path?: string;
  includeUncommitted?: boolean;
  offset?: number;
  maxBytes?: number;
}

export interface BranchDiff {
  base: string;
  head: string;
  diff: string;
  /** More follows: ask again with offset = nextOffset. */
  truncated: boolean;
  nextOffset?: number;
}

export const UNCOMMITTED_HEADER = '# Uncommitted changes in the worktree (not on the branch yet):\n';

export async function branchDiff(git: Git, options: BranchDiffOptions): Promise<BranchDiff> {
  const head = options.head ?? (await requireBranchHead(git, options.branch));
  const base = await mergeBaseWithTarget(git, options.target, head);
  const pathspec = options.path === undefined ? [] : [options.path];
  const window = new PageWindow(options.offset ?? 0, options.maxBytes ?? DEFAULT_DIFF_PAGE_BYTES);
  await writeDiff(git, base, head, pathspec, window);
  if (options.includeUncommitted && options.worktreePath && !window.full) {
    await withUncommittedTree(git.at(options.worktreePath), async (worktree, tree) => {
      await writeDiff(worktree, 'HEAD', tree, pathspec, window, UNCOMMITTED_HEADER);
    });
  }
  return { base, head, ...window.page() };
}

/** Appends the diff from `from` to `to` (after `header` when anything changed), stopping once the page is full. */
async function writeDiff(git: Git, from: string, to: string, pathspec: string[], window: PageWindow, header?: string): Promise<void> {
  const files = await changedFiles(git, from, to, pathspec);
  if (files.length > 0 && header !== undefined) window.append(header);
  for (const batch of batches(files)) {
    if (window.full) return;
    window.append(batch.tooLarge ? tooLargeEntry(batch.file) : await patchOf(git, from, to, batch.paths));
  }
}

type Batch = { tooLarge: true; file: ChangedFile } | { tooLarge: false; paths: string[] };

/** Consecutive diffable files grouped up to BLOB_BYTES_PER_CALL, in git's own order; each too-large file alone. */
function* batches(files: readonly ChangedFile[]): Generator<Batch> {
  let paths: string[] = [];
  let bytes = 0;
  for (const file of files) {
    const size = (file.oldSize ?? Infinity) + (file.newSize ?? Infinity);
    const tooLarge = !((file.oldSize ?? Infinity) <= MAX_DIFFED_FILE_BYTES && (file.newSize ?? Infinity) <= MAX_DIFFED_FILE_BYTES);
    if (paths.length > 0 && (tooLarge || bytes + size > BLOB_BYTES_PER_CALL)) {
      yield { tooLarge: false, paths };
      paths = [];
      bytes = 0;
    }
    if (tooLarge) {
      yield { tooLarge: true, file };
      continue;
    }
    // Both paths of a rename, so git pairs them again as it did in the listing.
    paths.push(...(file.from === undefined ? [file.path] : [file.from, file.path]));
    bytes += size;
  }
  if (paths.length > 0) yield { tooLarge: false, paths };
}

function tooLargeEntry(file: ChangedFile): string {
  const sizes = `${file.oldSize ?? 'unknown'} -> ${file.newSize ?? 'unknown'} bytes`;
  return `diff --git a/${file.from ?? file.path} b/${file.path}\n# too large to show: ${sizes} (limit ${MAX_DIFFED_FILE_BYTES}); read it in the worktree\n`;
}

async function patchOf(git: Git, from: string, to: string, paths: string[]): Promise<string> {
  const { stdout } = await git.run(
    // --literal-pathspecs: a path is a path, never `:(glob)` magic; no colour, no external tools or
    // textconv filters (whose output size nothing bounds).
    ['--literal-pathspecs', 'diff', '--no-color', '--no-ext-diff', '--no-textconv', '--end-of-options', from, to, '--', ...paths],
    { readOnly: true },
  );
  return stdout;
}

/**
 * Staged, unstaged AND untracked changes, as a tree to diff against the worktree's HEAD. Untracked files
 * only count once indexed, so a copy of the worktree's index takes the `add -A`: the real index (the
 * agent's staging) and the files stay exactly as they were.
 */
async function withUncommittedTree(worktree: Git, use: (worktree: Git, tree: string) => Promise<void>): Promise<void> {
  const { stdout } = await worktree.run(['rev-parse', '--git-path', 'index'], { readOnly: true });
  const scratch = await mkdtemp(join(tmpdir(), 'lockstep-index-'));
  try {
    const env = { GIT_INDEX_FILE: join(scratch, 'index') };
    // Copying keeps the stat cache, so `add -A` rehashes only what changed.
    await copyFile(resolve(worktree.dir, stdout.trim()), env.GIT_INDEX_FILE);
    await worktree.run(['add', '-A'], { env });
    const tree = (await worktree.run(['write-tree'], { env, trim: true })).stdout;
    await use(worktree, tree);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Keeps only the bytes of the requested page out of a diff appended piece by piece: those from the
 * offset up to one byte past the page (that byte says whether more follows), never the whole diff.
 */
class PageWindow {
  private position = 0;
  private readonly kept: Buffer[] = [];
  private keptBytes = 0;

  constructor(
    private readonly offset: number,
    private readonly maxBytes: number,
  ) {}

  get full(): boolean {
    return this.keptBytes > Math.max(1, this.maxBytes);
  }

  append(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    const start = Math.max(0, Math.max(0, this.offset) - this.position);
    this.position += bytes.length;
    if (start >= bytes.length || this.full) return;
    const piece = bytes.subarray(start, start + Math.max(1, this.maxBytes) + 1 - this.keptBytes);
    this.kept.push(piece);
    this.keptBytes += piece.length;
  }

  page(): Omit<BranchDiff, 'base' | 'head'> {
    const window = pageOf(Buffer.concat(this.kept), this.maxBytes);
    return window.nextOffset === undefined ? window : { ...window, nextOffset: Math.max(0, this.offset) + window.nextOffset };
  }
}

/** Cuts at a line end when one is in the page, so no page splits a line (or a UTF-8 character). */
export function page(text: string, offset: number, maxBytes: number): Omit<BranchDiff, 'base' | 'head'> {
  const bytes = Buffer.from(text, 'utf8');
  const start = Math.min(Math.max(0, offset), bytes.length);
  const window = pageOf(bytes.subarray(start), maxBytes);
  return window.nextOffset === undefined ? window : { ...window, nextOffset: start + window.nextOffset };
}

function pageOf(bytes: Buffer, maxBytes: number): Omit<BranchDiff, 'base' | 'head'> {
  let end = Math.min(Math.max(1, maxBytes), bytes.length);
  if (end < bytes.length) {
    const lineEnd = bytes.lastIndexOf(0x0a, end - 1);
    if (lineEnd >= 0) end = lineEnd + 1;
    else while (end > 1 && (bytes[end]! & 0xc0) === 0x80) end--;
  }
  const truncated = end < bytes.length;
  return { diff: bytes.subarray(0, end).toString('utf8'), truncated, ...(truncated ? { nextOffset: end } : {}) };
}

/** Paths under `dir` that differ between two commits; renames count as delete + add, so both sides show. */
export async function changedPathsUnder(git: Git, from: string, to: string, dir: string): Promise<string[]> {
  const { stdout } = await git.run(
    ['--literal-pathspecs', 'diff', '--name-only', '-z', '--no-renames', '--no-ext-diff', '--end-of-options', from, to, '--', dir],
    { readOnly: true },
  );
  return stdout.split('\0').filter((path) => path.length > 0);
}
