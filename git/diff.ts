// What a reviewer reads: the branch's unified diff against its merge base with the target, optionally
// followed by the worktree's uncommitted changes, served in pages by byte offset.

import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Git } from './exec.js';
import { mergeBaseWithTarget, requireBranchHead } from './target.js';

export const DEFAULT_DIFF_PAGE_BYTES = 32 * 1024;

export interface BranchDiffOptions {
  branch: string;
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
  const head = await requireBranchHead(git, options.branch);
  const base = await mergeBaseWithTarget(git, options.target, head);
  const pathspec = options.path === undefined ? [] : [options.path];
  let text = await unifiedDiff(git, { revisions: [base, head], pathspec });
  if (options.includeUncommitted && options.worktreePath) {
    const uncommitted = await uncommittedDiff(git.at(options.worktreePath), pathspec);
    if (uncommitted) text += UNCOMMITTED_HEADER + uncommitted;
  }
  return { base, head, ...page(text, options.offset ?? 0, options.maxBytes ?? DEFAULT_DIFF_PAGE_BYTES) };
}

interface DiffRequest {
  revisions: string[];
  pathspec: string[];
  /** Compare with the index (GIT_INDEX_FILE in env) instead of a second revision. */
  cached?: boolean;
  env?: Record<string, string>;
}

async function unifiedDiff(git: Git, request: DiffRequest): Promise<string> {
  const { stdout } = await git.run(
    // --literal-pathspecs: an agent's path is a path, never `:(glob)` magic; no colour, no external tools.
    [
      '--literal-pathspecs', 'diff', '--no-color', '--no-ext-diff', ...(request.cached ? ['--cached'] : []),
      '--end-of-options', ...request.revisions, '--', ...request.pathspec,
    ],
    { readOnly: true, env: request.env },
  );
  return stdout;
}

/**
 * Staged, unstaged AND untracked changes against the worktree's HEAD. Untracked files only show in a
 * diff once indexed, so a copy of the worktree's index takes the `add -A`: the real index (the agent's
 * staging) and the files stay exactly as they were.
 */
async function uncommittedDiff(worktree: Git, pathspec: string[]): Promise<string> {
  const { stdout } = await worktree.run(['rev-parse', '--git-path', 'index'], { readOnly: true });
  const scratch = await mkdtemp(join(tmpdir(), 'lockstep-index-'));
  try {
    const env = { GIT_INDEX_FILE: join(scratch, 'index') };
    // Copying keeps the stat cache, so `add -A` rehashes only what changed.
    await copyFile(resolve(worktree.dir, stdout.trim()), env.GIT_INDEX_FILE);
    await worktree.run(['add', '-A'], { env });
    return await unifiedDiff(worktree, { revisions: ['HEAD'], pathspec, cached: true, env });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Cuts at a line end when one is in the page, so no page splits a line (or a UTF-8 character). */
export function page(text: string, offset: number, maxBytes: number): Omit<BranchDiff, 'base' | 'head'> {
  const bytes = Buffer.from(text, 'utf8');
  const start = Math.min(Math.max(0, offset), bytes.length);
  let end = Math.min(start + Math.max(1, maxBytes), bytes.length);
  if (end < bytes.length) {
    const lineEnd = bytes.lastIndexOf(0x0a, end - 1);
    if (lineEnd >= start) end = lineEnd + 1;
    else while (end > start + 1 && (bytes[end]! & 0xc0) === 0x80) end--;
  }
  const truncated = end < bytes.length;
  return { diff: bytes.subarray(start, end).toString('utf8'), truncated, ...(truncated ? { nextOffset: end } : {}) };
}

/** Paths under `dir` that differ between two commits; renames count as delete + add, so both sides show. */
export async function changedPathsUnder(git: Git, from: string, to: string, dir: string): Promise<string[]> {
  const { stdout } = await git.run(
    ['--literal-pathspecs', 'diff', '--name-only', '-z', '--no-renames', '--no-ext-diff', '--end-of-options', from, to, '--', dir],
    { readOnly: true },
  );
  return stdout.split('\0').filter((path) => path.length > 0);
}
