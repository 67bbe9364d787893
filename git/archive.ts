// Safety refs under refs/lockstep/archive/<implementer>/<UTC timestamp>: they pin a branch head and the
// worktree's uncommitted and untracked files (as one commit built with a temporary index, so the
// worktree's own index and files stay untouched) before anything destructive, and can be restored.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitTree, isAncestor, resolveCommit, resolveTree } from './commit-tree.js';
import { GitManagerError } from './errors.js';
import type { Git } from './exec.js';
import { withRepositoryMutex } from './mutex.js';
import { implementerBranch } from './refs.js';
import { branchRef, localBranchHead } from './target.js';
import type { Repository } from './repository.js';
import { implementerWorktreesOf } from './worktree-list.js';
import { assertImplementerName, ensureWorktree, WorktreeBlockedError, type EnsuredWorktree } from './worktrees.js';

const ARCHIVE_REF_PREFIX = 'refs/lockstep/archive/';

/** Marks a commit that holds uncommitted work on top of its first parent (what recovery restores as such). */
const SNAPSHOT_TRAILER = 'Lockstep-Archive: worktree snapshot';

/** Names the fast-forward of a recovered branch in its reflog. */
const RECOVER_REFLOG = { GIT_REFLOG_ACTION: 'lockstep: recover archive' };

export interface ArchiveRequest {
  name: string;
  /** Branch name without `refs/heads/` (normally `lockstep/<name>`); may already be gone. */
  branch: string;
  /** The worktree whose uncommitted and untracked files are pinned too (ignored files are not). */
  worktreePath?: string;
  now?: Date;
}

export interface ArchiveResult {
  ref: string;
  commit: string;
  includedUncommitted: boolean;
}

export interface ArchiveEntry {
  name: string;
  /** The last ref segment, e.g. `20261125T143000Z`; what recovery accepts. */
  archive: string;
  ref: string;
  commit: string;
}

/** The worktree's full state (tracked edits, deletions, untracked files) as a tree, read through a throwaway index. */
export interface WorktreeSnapshot {
  head: string;
  tree: string;
  /** The tree differs from HEAD's: there is uncommitted work. */
  dirty: boolean;
}

export async function snapshotWorktree(worktree: Git): Promise<WorktreeSnapshot> {
  const head = await resolveCommit(worktree, 'HEAD');
  if (head === undefined) throw new GitManagerError('NO_COMMIT_CHECKED_OUT', `the worktree ${worktree.dir} has no commit checked out`);
  const indexDir = await mkdtemp(join(tmpdir(), 'lockstep-index-'));
  // GIT_INDEX_FILE redirects every index read and write (and its .lock) away from the worktree's own index.
  const env = { GIT_INDEX_FILE: join(indexDir, 'index') };
  try {
    await worktree.run(['read-tree', head], { env });
    await worktree.run(['add', '--all'], { env });
    const tree = (await worktree.run(['write-tree'], { env, trim: true })).stdout;
    const headTree = await resolveTree(worktree, head);
    return { head, tree, dirty: tree !== headTree };
  } finally {
    await rm(indexDir, { recursive: true, force: true });
  }
}

/**
 * Pins the branch head and, when a worktree is given, its uncommitted work. Without uncommitted work the
 * ref points at the head itself; with it, at a snapshot commit whose first parent is the worktree's HEAD
 * (a branch head the worktree no longer has checked out becomes a second parent, so it is pinned too).
 */
export async function archiveWorktree(git: Git, request: ArchiveRequest): Promise<ArchiveResult> {
  assertImplementerName(request.name);
  const branchHead = (await localBranchHead(git, request.branch)) ?? undefined;
  const snapshot = request.worktreePath === undefined ? undefined : await snapshotWorktree(git.at(request.worktreePath));
  const head = snapshot?.head ?? branchHead;
  if (head === undefined) throw new GitManagerError('NOTHING_TO_ARCHIVE', `nothing to archive for ${request.name}: no branch ${request.branch} and no worktree`);
  const strayBranchHead = branchHead !== undefined && !(await isAncestor(git, branchHead, head)) ? branchHead : undefined;
  const needsSnapshot = snapshot !== undefined && (snapshot.dirty || strayBranchHead !== undefined);
  const commit = needsSnapshot
    ? await commitTree(git, snapshot.tree, strayBranchHead ? [head, strayBranchHead] : [head], snapshotMessage(request))
    : head;
  const ref = await createArchiveRef(git, request.name, commit, request.now ?? new Date());
  return { ref, commit, includedUncommitted: snapshot?.dirty ?? false };
}

/** Archives, newest first; of one implementer when `name` is given. */
export async function listArchives(git: Git, name?: string): Promise<ArchiveEntry[]> {
  if (name !== undefined) assertImplementerName(name);
  const prefix = name === undefined ? ARCHIVE_REF_PREFIX : `${ARCHIVE_REF_PREFIX}${name}/`;
  const { stdout } = await git.run(['for-each-ref', '--format=%(refname)%00%(objectname)', '--', prefix], { readOnly: true });
  const entries: ArchiveEntry[] = [];
  for (const line of stdout.split('\n')) {
    const [ref, commit] = line.split('\0');
    const segments = ref?.slice(ARCHIVE_REF_PREFIX.length).split('/');
    if (!ref || !commit || segments?.length !== 2) continue;
    entries.push({ name: segments[0]!, archive: segments[1]!, ref, commit });
  }
  return entries.sort((a, b) => (a.archive < b.archive ? 1 : a.archive > b.archive ? -1 : a.name.localeCompare(b.name)));
}

/** What an archive holds: the commit a branch should point at, and the uncommitted tree on top, if any. */
async function readArchive(git: Git, commit: string): Promise<{ head: string; uncommittedTree?: string }> {
  const { stdout } = await git.run(['show', '--no-patch', '--format=%P%x00%T%x00%B', commit], { readOnly: true });
  const [parents = '', tree = '', body = ''] = stdout.split('\0');
  if (!body.includes(SNAPSHOT_TRAILER)) return { head: commit };
  const head = parents.split(' ')[0]!;
  return tree === (await resolveTree(git, head)) ? { head } : { head, uncommittedTree: tree };
}

export interface RecoverRequest {
  name: string;
  /** An archive of this implementer: its timestamp segment (from listArchives) or full ref. */
  archive: string;
  worktreeRoot: string;
}

export type RecoverResult =
  | { status: 'recovered'; path: string; branch: string; head: string; restoredUncommitted: boolean }
  | { status: 'refused'; reason: string };

/**
 * Restores an archive into a fresh worktree on `lockstep/<name>`: the branch at the archived head and the
 * archived uncommitted files back as uncommitted changes (all unstaged: the staged/unstaged split is not
 * kept). Refuses, changing nothing, when the branch has commits the archive lacks or already has a worktree,
 * or when the worktree path is taken. Call it holding the repository mutex, with `repo` read under it.
 */
export async function recoverArchive(repo: Repository, request: RecoverRequest): Promise<RecoverResult> {
  assertImplementerName(request.name);
  const { git } = repo;
  const entry = (await listArchives(git, request.name)).find((a) => a.archive === request.archive || a.ref === request.archive);
  if (!entry) throw new GitManagerError('ARCHIVE_NOT_FOUND', `${request.name} has no archive ${JSON.stringify(request.archive)}`);
  const { head, uncommittedTree } = await readArchive(git, entry.commit);
  const branch = implementerBranch(request.name);
  return withRepositoryMutex(git, async () => {
    const refusal = await branchRefusal(repo, branch, head);
    if (refusal !== undefined) return { status: 'refused', reason: refusal };
    let worktree: EnsuredWorktree;
    try {
      worktree = await ensureWorktree(repo, { name: request.name, worktreeRoot: request.worktreeRoot, base: head });
    } catch (error) {
      if (error instanceof WorktreeBlockedError) return { status: 'refused', reason: error.message };
      throw error;
    }
    const checkout = git.at(worktree.path);
    // Only now, with the worktree in place, does the branch move: every refusal above has changed nothing.
    if (worktree.head !== head) await checkout.run(['merge', '--ff-only', '--no-autostash', '--quiet', head], { env: RECOVER_REFLOG });
    if (uncommittedTree !== undefined) await restoreAsUncommitted(checkout, uncommittedTree);
    return { status: 'recovered', path: worktree.path, branch, head, restoredUncommitted: uncommittedTree !== undefined };
  });
}

/** Why the branch must not be brought to `head`: it has a worktree already, or commits the archive lacks. */
async function branchRefusal(repo: Repository, branch: string, head: string): Promise<string | undefined> {
  const { git } = repo;
  const worktree = implementerWorktreesOf(repo.worktrees).find((w) => w.branch === branchRef(branch) && !w.prunable);
  if (worktree) return `${branch} already has a worktree at ${worktree.path}; finish or clean it up first`;
  const current = await localBranchHead(git, branch);
  if (current === null || current === head || (await isAncestor(git, current, head))) return undefined;
  return `${branch} has commits that this archive does not contain (head ${current}); archive or land them first`;
}

/** A two-way read-tree writes the archived files into the fresh worktree; the mixed reset unstages them again. */
async function restoreAsUncommitted(worktree: Git, tree: string): Promise<void> {
  await worktree.run(['read-tree', '-m', '-u', 'HEAD', tree]);
  await worktree.run(['reset', '--quiet']);
}

function snapshotMessage(request: ArchiveRequest): string {
  return `lockstep: archive of ${request.name} (branch ${request.branch} and its worktree)\n\n${SNAPSHOT_TRAILER}\n`;
}

/** `20261125T143000Z`: sorts by time as text and is a valid ref segment. */
function archiveTimestamp(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** Creates the ref only if it does not exist (empty old value); a second archive within a second gets a suffix. */
async function createArchiveRef(git: Git, name: string, commit: string, now: Date): Promise<string> {
  const base = `${ARCHIVE_REF_PREFIX}${name}/${archiveTimestamp(now)}`;
  for (let suffix = 1; ; suffix++) {
    const ref = suffix === 1 ? base : `${base}-${suffix}`;
    if ((await resolveCommit(git, ref)) !== undefined) continue;
    await git.run(['update-ref', '-m', `lockstep: archive ${name}`, ref, commit, '']);
    return ref;
  }
}
