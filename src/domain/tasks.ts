// The task board: create, claim, update, list, summarise and wait for work. Every read-decide-write is
// one store transaction, so a claim is a compare-and-set no two processes can both win.

import type { Complexity, Isolation, Json, ProjectStatus, TaskStatus } from '../core/vocabulary.js';
import type { TaskRow } from '../store/rows.js';
import { TASK_STATUSES } from '../core/vocabulary.js';
import type { ReadTx, Where, WriteTx, TxStep } from '../store/store.js';
import type { AgentService } from './agents.js';
import { actingAs, type Caller, type DomainContext } from './context.js';
import { assertMayWaiveReview, withParticipant } from './duties.js';
import { DomainError } from '../core/errors.js';
import { CommitWatch } from './commit-watch.js';
import { recordEvent } from './events.js';
import { storedProjectStatus } from './project.js';
import { remoteStartFor, worksElsewhere, type RemoteStart } from './remote-branches.js';
import type { WorktreeService } from './worktrees.js';
import {
  assertTransition,
  compactTask,
  notClaimable,
  notOwner,
  OWNED_STATUSES,
  stricterComplexity,
  taskDetail,
  type TaskDetail,
  type TaskSummaryItem,
  worktreeTaskNeedsReview,
} from './task-rules.js';

export interface NewTask {
  title: string;
  complexity?: Complexity;
  description?: string;
  isolation?: Isolation;
  /** Pre-assigns the task: it stays todo, and only this agent may claim it. */
  owner?: string;
  tags?: string[];
  metadata?: Record<string, Json>;
  dependsOn?: number[];
}

export interface TaskChanges {
  title?: string;
  description?: string;
  status?: TaskStatus;
  complexity?: Complexity;
  owner?: string;
  tags?: string[];
  metadata?: Record<string, Json>;
}

export interface TaskFilter {
  status?: TaskStatus;
  owner?: string;
  tag?: string;
  /** Text the title contains, ignoring case. */
  text?: string;
  limit?: number;
  offset?: number;
  /** Done tasks are hidden unless asked for, so a long-running board stays cheap to read. */
  includeDone?: boolean;
}

/** A page of task_list: `more` when another page follows; only the last page carries `total`. */
export interface TaskPage {
  tasks: TaskSummaryItem[];
  more?: true;
  /** Every match, on the last page (there it costs nothing to know). */
  total?: number;
  projectStatus: ProjectStatus;
}

export type WaitReason = 'task' | 'news' | 'timeout' | 'stopped' | 'complete';

export interface WaitResult {
  reason: WaitReason;
  task?: TaskSummaryItem;
  projectStatus: ProjectStatus;
}

/** A claimed worktree task: where to work, or why the worktree could not be made (the claim stands). */
export interface ClaimedTask extends TaskDetail {
  worktree?: { path: string; branch: string; instruction: string };
  worktreeError?: { code: string; message: string; next?: string };
  /** For an implementer on another machine in a project with a shared remote: no path here, but where to start. */
  remoteWork?: RemoteStart;
}

export const LIST_LIMIT = { default: 50, max: 200 } as const;
export const WAIT_TIMEOUT_MS = { default: 30_000, max: 120_000 } as const;
const WAIT_POLL_MS = 250;
const CANDIDATE_PAGE = 50;

export class TaskService {
  constructor(
    private readonly context: DomainContext,
    private readonly agents: AgentService,
    private readonly worktrees?: WorktreeService,
  ) {}

  async create(caller: Caller, draft: NewTask): Promise<TaskSummaryItem> {
    const creator = caller.agent?.name ?? null;
    return this.context.store.write(caller.project.id, function* (this: TaskService, tx: WriteTx) {
      const dependsOn = [...new Set(draft.dependsOn ?? [])];
      yield* assertTasksExist(tx, dependsOn);
      const now = this.context.clock.now();
      const task = yield* tx.insert('tasks', {
        id: (yield* tx.nextId('task')),
        title: draft.title,
        description: draft.description ?? null,
        status: 'todo',
        complexity: draft.complexity ?? 'medium',
        isolation: draft.isolation ?? 'shared',
        owner: draft.owner ?? null,
        tags: draft.tags ?? [],
        metadata: draft.metadata ?? {},
        dependsOn,
        reviewNotes: null,
        feedback: null,
        createdBy: creator,
        createdAt: now,
        updatedAt: now,
      });
      // Broadcast (no target) even when pre-assigned: every implementer's pending block counts new tasks.
      yield* recordEvent(tx, now, { kind: 'task_created', actor: creator, subject: task.id, data: { title: task.title } });
      return compactTask(task);
    }.bind(this));
  }

  /** Takes a todo task (unassigned, or assigned to the claimer) whose dependencies are all done. */
  async claim(caller: Caller, id: number, owner?: string): Promise<ClaimedTask> {
    const claimer = actingAs(caller, owner);
    const claimed = await this.context.store.write(caller.project.id, function* (this: TaskService, tx: WriteTx) {
      const task = yield* requireTask(tx, id);
      if (!(task.status === 'todo' && (task.owner === null || task.owner === claimer))) throw notClaimable(task, claimer);
      yield* assertDependenciesDone(tx, task);
      const now = this.context.clock.now();
      // The WHERE restates the rule: even if deciding and writing were ever split, the write alone
      // could not take a task another claimer already holds.
      const participants = withParticipant(task, caller, claimer);
      yield* tx.update('tasks', { id, status: 'todo', owner: task.owner }, { status: 'in_progress', owner: claimer, participants, updatedAt: now });
      yield* recordEvent(tx, now, { kind: 'task_claimed', actor: claimer, subject: id });
      return taskDetail({ ...task, status: 'in_progress', owner: claimer, updatedAt: now });
    }.bind(this));
    return claimed.isolation === 'worktree' ? this.withWorktree(caller, claimed, claimer) : claimed;
  }

  /** The git work runs after the claim's transaction; if it fails the claim stands and says why. */
  private async withWorktree(caller: Caller, task: TaskDetail, owner: string): Promise<ClaimedTask> {
    if (!this.worktrees) return task;
    try {
      if (await worksElsewhere(this.context, caller, owner)) {
        const remoteWork = await remoteStartFor(caller, owner, await this.worktrees.settings(caller));
        if (remoteWork !== undefined) return { ...task, remoteWork };
      }
      const { path, branch } = await this.worktrees.ensure(caller, owner);
      const instruction = `Work only in ${path} (branch ${branch}); commit there before task_submit_for_review: the server never commits for you.`;
      return { ...task, worktree: { path, branch, instruction } };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const next = `The claim stands. ${error.next ?? ''} Then call worktree_create with implementerId "${owner}".`.trim();
      return { ...task, worktreeError: { code: error.code, message: error.message, next } };
    }
  }

  /** The owner or a planner edits a task; a status change must follow the transition table. */
  async update(caller: Caller, id: number, changes: TaskChanges): Promise<TaskDetail> {
    const actor = caller.agent;
    if (!actor) {
      throw new DomainError('IDENTITY_REQUIRED', 'updating a task needs an identity', 'Call coordination_init first.');
    }
    return this.context.store.write(caller.project.id, function* (this: TaskService, tx: WriteTx) {
      const task = yield* requireTask(tx, id);
      const isPlanner = actor.role === 'planner';
      if (!isPlanner && task.owner !== actor.name) throw notOwner(task, actor.name, 'update');
      if (changes.owner !== undefined && changes.owner !== task.owner && !isPlanner) {
        throw new DomainError('ROLE_FORBIDDEN', 'only a planner may reassign a task', 'Ask the planner, or set status "todo" to give it up.');
      }
      assertMayWaiveReview(task, caller, changes.complexity);
      const patch = definedOnly({ ...changes, ...(yield* this.statusPatch(tx, task, changes)) });
      const fields = Object.keys(patch);
      if (fields.length === 0) {
        throw new DomainError('INVALID_INPUT', `nothing to change in task ${id}`, 'Pass at least one field with a new value.');
      }
      const now = this.context.clock.now();
      const owned = (patch.owner === undefined ? task.owner : patch.owner) === actor.name;
      // The owner editing its own task is working on it; a planner editing someone else's is not.
      const participants = owned ? withParticipant(task, caller, actor.name) : undefined;
      yield* tx.update('tasks', { id }, { ...patch, participants, updatedAt: now });
      const updated: TaskRow = { ...task, ...patch, updatedAt: now };
      // The owner hears about changes someone else made to its task (a planner reassigning, blocking...).
      const target = updated.owner !== actor.name ? updated.owner : null;
      yield* recordEvent(tx, now, { kind: 'task_updated', actor: actor.name, target, subject: id, data: { fields, status: updated.status } });
      return taskDetail(updated);
    }.bind(this));
  }

  /** Checks a requested status change and derives the owner it implies. */
  private *statusPatch(tx: ReadTx, task: TaskRow, changes: TaskChanges): TxStep<Partial<TaskRow>> {
    const to = changes.status;
    if (to === undefined || to === task.status) return { status: undefined };
    assertTransition(task, to, 'task_update', stricterComplexity(task.complexity, changes.complexity));
    if (to === 'done' && task.isolation === 'worktree') throw worktreeTaskNeedsReview(task);
    // Back to todo means "anyone may claim it" unless the planner names the next owner in the same call.
    const owner = to === 'todo' ? (changes.owner ?? null) : (changes.owner ?? task.owner);
    if (OWNED_STATUSES.includes(to) && owner === null) {
      throw new DomainError(
        'TASK_INVALID_TRANSITION',
        `task ${task.id} has no owner; ${to} needs one`,
        'Set status "todo" and claim it with task_claim, or (planner) pass owner too.',
        { id: task.id, status: task.status },
      );
    }
    if (to === 'in_progress') yield* assertDependenciesDone(tx, task);
    return owner === task.owner ? { status: to } : { status: to, owner };
  }

  async get(caller: Caller, id: number): Promise<TaskDetail> {
    return this.context.store.read(caller.project.id, function* (tx) {
      return taskDetail((yield* requireTask(tx, id)));
    });
  }

  async list(caller: Caller, filter: TaskFilter = {}): Promise<TaskPage> {
    const where: Where<TaskRow> = {
      status: filter.status ?? (filter.includeDone ? undefined : { ne: 'done' }),
      owner: filter.owner,
      tags: filter.tag === undefined ? undefined : { has: filter.tag },
      title: filter.text === undefined ? undefined : { contains: filter.text },
    };
    const limit = Math.min(filter.limit ?? LIST_LIMIT.default, LIST_LIMIT.max);
    const offset = filter.offset ?? 0;
    return this.context.store.read(caller.project.id, function* (tx) {
      // One row past the page says whether another follows; the last page knows its total for free.
      const rows = yield* tx.find('tasks', { where, orderBy: 'id', limit: limit + 1, offset });
      const tasks = rows.slice(0, limit).map(compactTask);
      const projectStatus = yield* storedProjectStatus(tx);
      if (rows.length > limit) return { tasks, more: true as const, projectStatus };
      // An offset past the end is the one last page that cannot tell its total from its own rows.
      const total = tasks.length > 0 || offset === 0 ? offset + tasks.length : (yield* tx.count('tasks', where));
      return { tasks, total, projectStatus };
    });
  }

  async summary(caller: Caller): Promise<{ counts: Record<TaskStatus, number>; total: number; projectStatus: ProjectStatus }> {
    return this.context.store.read(caller.project.id, function* (tx) {
      const counts = {} as Record<TaskStatus, number>;
      for (const status of TASK_STATUSES) counts[status] = yield* tx.count('tasks', { status });
      const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
      return { counts, total, projectStatus: yield* storedProjectStatus(tx) };
    });
  }

  /**
   * Blocks until the caller has something to do: a claimable task, news in its pending block, or a
   * stopped/complete project; else returns after the timeout. Looks again at each commit a store pushes,
   * or polls one that cannot push.
   */
  async wait(caller: Caller, timeoutMs: number = WAIT_TIMEOUT_MS.default): Promise<WaitResult> {
    const deadline = performance.now() + Math.min(timeoutMs, WAIT_TIMEOUT_MS.max);
    const commits = new CommitWatch(this.context.store);
    try {
      return await this.waitWatching(caller, deadline, commits);
    } finally {
      commits.stop();
    }
  }

  private async waitWatching(caller: Caller, deadline: number, commits: CommitWatch): Promise<WaitResult> {
    for (;;) {
      // One read per look: the board and the caller's unread news (peeked, so its cursor stays put).
      const seen = await this.context.store.read(caller.project.id, function* (this: TaskService, tx: ReadTx) {
        const task = yield* firstClaimable(tx, caller.agent?.name);
        const news = !task && caller.agent !== undefined && (yield* this.agents.pendingIn(tx, caller.agent.name)) !== null;
        return { projectStatus: (yield* storedProjectStatus(tx)), task, news };
      }.bind(this));
      const { projectStatus } = seen;
      if (projectStatus === 'stopped' || projectStatus === 'complete') return { reason: projectStatus, projectStatus };
      if (seen.task) return { reason: 'task', task: compactTask(seen.task), projectStatus };
      if (seen.news) return { reason: 'news', projectStatus };
      const left = deadline - performance.now();
      if (left <= 0) return { reason: 'timeout', projectStatus };
      await commits.next(left, WAIT_POLL_MS);
    }
  }
}

/** Drops absent fields, so a spread cannot blank a stored value. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}

export function* requireTask(tx: ReadTx, id: number): TxStep<TaskRow> {
  const task = yield* tx.one('tasks', { id });
  if (!task) {
    throw new DomainError('NOT_FOUND', `no task ${id} in this project`, 'Call task_list to see the task ids.', { id });
  }
  return task;
}

function* assertTasksExist(tx: WriteTx, ids: number[]): TxStep<void> {
  if (ids.length === 0) return;
  const found = new Set((yield* tx.find('tasks', { where: { id: { in: ids } } })).map((task) => task.id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new DomainError('NOT_FOUND', `dependsOn names unknown tasks: ${missing.join(', ')}`, 'Use ids from task_list.', { missing });
  }
}

/** Ids among `ids` whose task is done. */
function* doneAmong(tx: ReadTx, ids: number[]): TxStep<Set<number>> {
  if (ids.length === 0) return new Set();
  return new Set((yield* tx.find('tasks', { where: { id: { in: [...new Set(ids)] }, status: 'done' } })).map((task) => task.id));
}

function* assertDependenciesDone(tx: ReadTx, task: TaskRow): TxStep<void> {
  const done = yield* doneAmong(tx, task.dependsOn);
  const open = task.dependsOn.filter((id) => !done.has(id));
  if (open.length > 0) {
    throw new DomainError(
      'TASK_DEPENDENCIES_OPEN',
      `task ${task.id} waits for unfinished tasks: ${open.join(', ')}`,
      'Pick another task (task_wait finds a claimable one), or come back when those are done.',
      { id: task.id, open },
    );
  }
}

/** The first todo task the claimer could take now: ones assigned to it first, then unassigned ones. */
function* firstClaimable(tx: ReadTx, claimer: string | undefined): TxStep<TaskRow | undefined> {
  for (const owner of claimer ? [claimer, null] : [null]) {
    for (let offset = 0; ; offset += CANDIDATE_PAGE) {
      const page = yield* tx.find('tasks', { where: { status: 'todo', owner }, orderBy: 'id', limit: CANDIDATE_PAGE, offset });
      const done = yield* doneAmong(tx, page.flatMap((task) => task.dependsOn));
      const ready = page.find((task) => task.dependsOn.every((id) => done.has(id)));
      if (ready) return ready;
      if (page.length < CANDIDATE_PAGE) break;
    }
  }
  return undefined;
}
