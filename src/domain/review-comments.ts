// Line comments on a task's diff: a reviewer (planner or human) places one on a file, side and line,
// quoting the code; the owner replies or resolves. Each change is an event targeted at the other side,
// so it reaches them through `pending`. Whether the code under a comment moved is computed on reading.

import { blobLines } from '../../git/blob-lines.js';
import { openGit, type Git } from '../../git/exec.js';
import { mergeBaseWithTarget } from '../../git/target.js';
import { DomainError } from '../core/errors.js';
import type { CommentRow, TaskRow } from '../store/rows.js';
import type { ReadTx, TxStep, WriteTx } from '../store/store.js';
import { actingAs, requirePlanner, type Caller, type DomainContext } from './context.js';
import { recordEvent } from './events.js';
import { translatingGitErrors } from './git-errors.js';
import { requireTask } from './tasks.js';
import type { WorktreeService } from './worktrees.js';

export interface NewComment {
  task: number;
  file: string;
  side: 'old' | 'new';
  line: number;
  /** The code line commented on; default: that line as committed (read from git). */
  quote?: string;
  body: string;
  /** The commit `line` counts in; default: the task's reviewed commit (new side) or its merge base (old side). */
  commit?: string;
}

export interface CommentReply {
  id: number;
  author: string;
  body: string;
  at: number;
}

export interface CommentThread extends Omit<CommentReply, 'at'> {
  file: string;
  side: 'old' | 'new';
  line: number;
  quote: string;
  commit: string;
  at: number;
  replies: CommentReply[];
  resolved?: { by: string; at: number };
  /** Submitted again since, and the quoted line is no longer at that place. */
  outdated?: true;
}

const THREADS_MAX = 200;

export class ReviewCommentService {
  constructor(
    private readonly context: DomainContext,
    private readonly worktrees: Pick<WorktreeService, 'settings'>,
  ) {}

  /** Reviewers (planners, and humans acting as one) open threads. */
  async add(caller: Caller, comment: NewComment): Promise<{ id: number }> {
    const author = requirePlanner(caller, 'open review comments');
    assertPlainPath(comment.file);
    const task = await this.context.store.read(caller.project.id, (tx) => requireTask(tx, comment.task));
    const commit = comment.commit ?? (await this.commitOf(caller, task, comment.side));
    const quote = comment.quote ?? (await this.lineAt(caller, commit, comment.file, comment.line));
    return this.context.store.write(caller.project.id, function* (this: ReviewCommentService, tx: WriteTx) {
      const current = yield* requireTask(tx, comment.task);
      const now = this.context.clock.now();
      const row = yield* tx.insert('comments', {
        id: (yield* tx.nextId('comment')),
        taskId: current.id,
        parentId: null,
        file: comment.file,
        side: comment.side,
        line: comment.line,
        quote,
        reviewedCommit: commit,
        author,
        body: comment.body,
        resolvedAt: null,
        resolvedBy: null,
        createdAt: now,
      });
      yield* recordEvent(tx, now, { kind: 'review_comment', actor: author, target: current.owner, subject: current.id, data: { comment: row.id, action: 'added' } });
      return { id: row.id };
    }.bind(this));
  }

  /** The task's owner or a reviewer answers a thread; the other side hears of it. */
  async reply(caller: Caller, id: number, body: string): Promise<{ id: number }> {
    const author = actingAs(caller, undefined, 'author');
    return this.context.store.write(caller.project.id, function* (this: ReviewCommentService, tx: WriteTx) {
      const { root, task } = yield* threadFor(tx, id, author, caller);
      const now = this.context.clock.now();
      const row = yield* tx.insert('comments', { ...withoutProject(root), id: (yield* tx.nextId('comment')), parentId: root.id, author, body, resolvedAt: null, resolvedBy: null, createdAt: now });
      yield* recordEvent(tx, now, { kind: 'review_comment', actor: author, target: otherSide(task, root, author), subject: task.id, data: { comment: row.id, action: 'replied' } });
      return { id: row.id };
    }.bind(this));
  }

  /** Marks a thread resolved (or open again); a no-op when it already is. */
  async resolve(caller: Caller, id: number, resolved = true): Promise<{ id: number; resolved: boolean }> {
    const author = actingAs(caller, undefined, 'author');
    return this.context.store.write(caller.project.id, function* (this: ReviewCommentService, tx: WriteTx) {
      const { root, task } = yield* threadFor(tx, id, author, caller);
      const now = this.context.clock.now();
      const patch = resolved ? { resolvedAt: now, resolvedBy: author } : { resolvedAt: null, resolvedBy: null };
      const changed = yield* tx.update('comments', { id: root.id, resolvedAt: resolved ? null : { ne: null } }, patch);
      if (changed > 0) {
        const action = resolved ? 'resolved' : 'reopened';
        yield* recordEvent(tx, now, { kind: 'review_comment', actor: author, target: otherSide(task, root, author), subject: task.id, data: { comment: root.id, action } });
      }
      return { id: root.id, resolved };
    }.bind(this));
  }

  /** The task's threads, oldest first, each marked outdated when a later submission moved its code. */
  async list(caller: Caller, taskId: number): Promise<{ task: number; reviewedRev?: string; threads: CommentThread[] }> {
    const { task, rows } = await this.context.store.read(caller.project.id, function* (tx) {
      return ({
      task: (yield* requireTask(tx, taskId)),
      rows: (yield* tx.find('comments', { where: { taskId }, orderBy: 'id' })),
    });
    });
    const threads = toThreads(rows).slice(0, THREADS_MAX);
    await this.markOutdated(caller, task, threads);
    return { task: taskId, ...(task.reviewedRev && { reviewedRev: task.reviewedRev }), threads };
  }

  private async markOutdated(caller: Caller, task: TaskRow, threads: CommentThread[]): Promise<void> {
    if (!task.reviewedRev || threads.every((thread) => thread.commit === task.reviewedRev)) return;
    const git = openGit(caller.project.root);
    const now = { new: task.reviewedRev, old: await this.baseOf(caller, git, task.reviewedRev).catch(() => undefined) };
    const files = new Map<string, Promise<string[] | undefined>>();
    for (const thread of threads) {
      const commit = now[thread.side];
      if (!commit || thread.commit === commit) continue;
      const key = `${commit}:${thread.file}`;
      if (!files.has(key)) files.set(key, blobLines(git, commit, thread.file).catch(() => undefined));
      const lines = await files.get(key)!;
      if (lines?.[thread.line - 1] !== thread.quote) thread.outdated = true;
    }
  }

  /** The committed line, so a quote cannot claim code that is not there; empty when git cannot show it. */
  private async lineAt(caller: Caller, commit: string, file: string, line: number): Promise<string> {
    const lines = await blobLines(openGit(caller.project.root), commit, file).catch(() => undefined);
    return lines?.[line - 1] ?? '';
  }

  private async commitOf(caller: Caller, task: TaskRow, side: 'old' | 'new'): Promise<string> {
    if (!task.reviewedRev) {
      throw new DomainError('INVALID_INPUT', `task ${task.id} has no submitted commit to comment on`, 'Pass commit (the diff\'s head or base), or wait for task_submit_for_review.');
    }
    if (side === 'new') return task.reviewedRev;
    return translatingGitErrors(() => this.baseOf(caller, openGit(caller.project.root), task.reviewedRev!));
  }

  private async baseOf(caller: Caller, git: Git, head: string): Promise<string> {
    const { target } = await this.worktrees.settings(caller);
    return mergeBaseWithTarget(git, target, head);
  }
}

/** A file name as git prints it: relative, no NUL, no way up. */
function assertPlainPath(file: string): void {
  if (file.includes('\0') || file.startsWith('/') || file.split('/').includes('..')) {
    throw new DomainError('INVALID_INPUT', `"${file.slice(0, 80)}" is not a repository-relative file`, 'Pass the file name as the diff shows it.');
  }
}

/** The thread `id` belongs to; only the task's owner and reviewers take part in it. */
function* threadFor(tx: ReadTx, id: number, author: string, caller: Caller): TxStep<{ root: CommentRow; task: TaskRow }> {
  const comment = yield* tx.one('comments', { id });
  if (!comment) throw new DomainError('NOT_FOUND', `no review comment ${id}`, 'Call review_comments with the task id to list its comments.', { id });
  const root = comment.parentId === null ? comment : (yield* tx.one('comments', { id: comment.parentId }))!;
  const task = yield* requireTask(tx, root.taskId);
  if (task.owner !== author && caller.agent?.role !== 'planner') {
    throw new DomainError('NOT_OWNER', `comment ${id} is on task ${task.id}, which ${task.owner ?? 'nobody'} owns`, 'Only the task owner and planners answer review comments.');
  }
  return { root, task };
}

/** Who hears of a reply or resolution: the owner when a reviewer acted, else the thread's author. */
function otherSide(task: TaskRow, root: CommentRow, actor: string): string | null {
  return actor === task.owner ? root.author : task.owner;
}

function withoutProject(row: CommentRow): Omit<CommentRow, 'project'> {
  const { project: _project, ...rest } = row;
  return rest;
}

function toThreads(rows: CommentRow[]): CommentThread[] {
  const threads = new Map<number, CommentThread>();
  for (const row of rows) {
    if (row.parentId === null) {
      threads.set(row.id, {
        id: row.id, author: row.author, body: row.body, at: row.createdAt,
        file: row.file, side: row.side, line: row.line, quote: row.quote, commit: row.reviewedCommit, replies: [],
        ...(row.resolvedAt !== null && { resolved: { by: row.resolvedBy ?? '', at: row.resolvedAt } }),
      });
    } else {
      threads.get(row.parentId)?.replies.push({ id: row.id, author: row.author, body: row.body, at: row.createdAt });
    }
  }
  return [...threads.values()];
}
