// Where an implementer's worktree stands against the target: commits ahead/behind, files not yet
// committed, and a diff stat since the merge base. Reads only; parsers are pure and exported for tests.

import type { Git, GitResult } from './exec.js';
import { implementerBranch } from './refs.js';
import { branchRef, mergeBaseWithTarget, requireBranchHead } from './target.js';
import { assertImplementerName } from './worktrees.js';

export interface PorcelainStatus {
  /** Tracked paths with staged or unstaged changes, conflicted paths included. */
  uncommitted: string[];
  untracked: string[];
}

export interface FileStat {
  path: string;
  /** Absent for a binary file, whose lines git does not count. */
  insertions?: number;
  deletions?: number;
}

export interface DiffStat {
  files: number;
  insertions: number;
  deletions: number;
  perFile?: FileStat[];
}

export interface WorktreeStatus {
  branch: string;
  head: string;
  ahead: number;
  behind: number;
  uncommitted: string[];
  untracked: string[];
  diffStat: DiffStat;
}

// Space-separated fields before the path in each porcelain v2 record kind (git-status(1)).
const FIELDS_BEFORE_PATH: Record<string, number> = { '1': 8, '2': 9, u: 10, '?': 1, '!': 1 };

/** Parses `git status --porcelain=v2 -z`; a rename record is followed by its original path. */
export function parsePorcelainV2(output: string): PorcelainStatus {
  const status: PorcelainStatus = { uncommitted: [], untracked: [] };
  const records = output.split('\0');
  for (let index = 0; index < records.length; index++) {
    const record = records[index]!;
    const kind = record.slice(0, record.indexOf(' '));
    const fields = FIELDS_BEFORE_PATH[kind];
    if (fields === undefined) continue;
    const path = record.split(' ').slice(fields).join(' ');
    if (kind === '?') status.untracked.push(path);
    else if (kind !== '!') status.uncommitted.push(path);
    if (kind === '2') index++;
  }
  return status;
}

/** Every path in `worktree` that a commit would change or that git does not track yet (ignored files are not). */
export async function uncommittedPaths(worktree: Git): Promise<string[]> {
  const { uncommitted, untracked } = parsePorcelainV2((await readPorcelain(worktree)).stdout);
  // A path removed from the index but still on disk is both a staged deletion and untracked.
  return [...new Set([...uncommitted, ...untracked])];
}

function readPorcelain(worktree: Git): Promise<GitResult> {
  return worktree.run(['status', '--porcelain=v2', '-z', '--untracked-files=all'], { readOnly: true });
}

/** Parses `git diff --numstat -z`; a rename has an empty path field followed by the old and new paths. */
export function parseNumstat(output: string): DiffStat {
  const stat: Required<DiffStat> = { files: 0, insertions: 0, deletions: 0, perFile: [] };
  const fields = output.split('\0');
  for (let index = 0; index < fields.length; index++) {
    const match = /^(\d+|-)\t(\d+|-)\t(.*)$/s.exec(fields[index]!);
    if (!match) continue;
    let path = match[3]!;
    if (path === '') {
      path = fields[index + 2] ?? '';
      index += 2;
    }
    const file: FileStat = { path };
    if (match[1] !== '-') {
      file.insertions = Number(match[1]);
      file.deletions = Number(match[2]);
      stat.insertions += file.insertions;
      stat.deletions += file.deletions;
    }
    stat.files++;
    stat.perFile.push(file);
  }
  return stat;
}

export interface WorktreeStatusOptions {
  /** The implementer: its branch is `lockstep/<name>`. */
  name: string;
  target: string;
  /** Absent for a branch with no worktree here (an implementer's pushed branch): nothing uncommitted is known. */
  worktreePath?: string;
  /** The commit to describe (a fetched head); default the head of `lockstep/<name>`. */
  head?: string;
}

export async function worktreeStatus(git: Git, options: WorktreeStatusOptions): Promise<WorktreeStatus> {
  assertImplementerName(options.name);
  const branch = implementerBranch(options.name);
  const head = options.head ?? (await requireBranchHead(git, branch));
  const [position, porcelain, diffStat] = await Promise.all([
    aheadBehind(git, options.target, head),
    options.worktreePath === undefined ? undefined : readPorcelain(git.at(options.worktreePath)),
    diffStatSinceFork(git, options.target, head),
  ]);
  const files = porcelain === undefined ? { uncommitted: [], untracked: [] } : parsePorcelainV2(porcelain.stdout);
  return { branch, head, ...position, ...files, diffStat };
}

/** Commits only `head` has (ahead) and only the target has (behind). */
export async function aheadBehind(git: Git, target: string, head: string): Promise<{ ahead: number; behind: number }> {
  const counts = await git.run(['rev-list', '--left-right', '--count', '--end-of-options', `${branchRef(target)}...${head}`], { readOnly: true });
  // Left side = commits only the target has (behind), right side = only the branch has (ahead).
  const [behind, ahead] = counts.stdout.trim().split(/\s+/).map(Number);
  return { ahead: ahead!, behind: behind! };
}

async function diffStatSinceFork(git: Git, target: string, head: string): Promise<DiffStat> {
  const base = await mergeBaseWithTarget(git, target, head);
  const { stdout } = await git.run(['diff', '--numstat', '-z', '--no-ext-diff', '--end-of-options', base, head], {
    readOnly: true,
  });
  return parseNumstat(stdout);
}
