// Discussions: threaded conversations between agents that end in a recorded decision. `waitingOn`
// names the agent whose turn it is; that agent's inbox (and pending block) shows the discussion.

import type { DiscussionCategory, DiscussionPriority, DiscussionStatus } from '../core/vocabulary.js';
import type { DiscussionRow, MessageRow } from '../store/rows.js';
import type { ReadTx, Where, WriteTx, TxStep } from '../store/store.js';
import { actingAs, type Caller, type DomainContext } from './context.js';
import { DomainError } from '../core/errors.js';
import { recordEvent } from './events.js';

export const DISCUSSION_LIST_DEFAULT = 20;
export const DISCUSSION_LIST_MAX = 200;
const INBOX_MAX = 50;
const DAY_MS = 86_400_000;
const OPEN_STATUSES: readonly DiscussionStatus[] = ['open', 'waiting'];
/** Inbox order: what blocks someone first. */
const PRIORITY_ORDER: readonly DiscussionPriority[] = ['blocking', 'high', 'medium', 'low'];

export interface DiscussionStart {
  topic: string;
  message: string;
  author?: string;
  category?: DiscussionCategory;
  priority?: DiscussionPriority;
  waitingOn?: string;
}

export interface DiscussionReply {
  discussionId: number;
  message: string;
  author?: string;
  recommendation?: string;
  waitingOn?: string;
}

export interface DiscussionResolve {
  discussionId: number;
  decision: string;
  reasoning: string;
  decidedBy?: string;
  linkedTaskId?: number;
}

export interface DiscussionFilter {
  status?: DiscussionStatus;
  category?: DiscussionCategory;
  waitingOn?: string;
  limit?: number;
  offset?: number;
}

export interface DiscussionCleanup {
  archiveOlderThanDays?: number;
  deleteOlderThanDays?: number;
}

/** What lists show about a discussion; discussion_get adds the decision and the messages. */
export type DiscussionSummary = Pick<DiscussionRow, 'id' | 'topic' | 'category' | 'priority' | 'status' | 'author' | 'updatedAt'> & {
  waitingOn?: string;
};

export interface DiscussionDetail extends DiscussionSummary {
  createdAt: number;
  decision?: string;
  reasoning?: string;
  decidedBy?: string;
  linkedTaskId?: number;
  messages: { id: number; author: string; message: string; recommendation?: string; at: number }[];
}

/** The state of a discussion after a change: where it stands and whose turn it is. */
export interface DiscussionState {
  id: number;
  status: DiscussionStatus;
  waitingOn?: string;
}

export class DiscussionService {
  constructor(private readonly context: DomainContext) {}

  async start(caller: Caller, input: DiscussionStart): Promise<DiscussionState & { messageId: number }> {
    const author = actingAs(caller, input.author, 'author');
    const waitingOn = input.waitingOn ?? null;
    refuseSelfWait(author, waitingOn);
    const now = this.context.clock.now();
    return this.context.store.write(caller.project.id, function* (tx) {
      const id = yield* tx.nextId('discussion');
      const status = waitingOn ? 'waiting' : 'open';
      const priority = input.priority ?? 'medium';
      yield* tx.insert('discussions', {
        id,
        topic: input.topic,
        category: input.category ?? 'other',
        priority,
        status,
        author,
        waitingOn,
        decision: null,
        reasoning: null,
        decidedBy: null,
        linkedTaskId: null,
        createdAt: now,
        updatedAt: now,
      });
      const messageId = yield* addMessage(tx, now, { discussionId: id, author, message: input.message, recommendation: null });
      const data = { topic: input.topic, priority };
      yield* recordEvent(tx, now, { kind: 'discussion_started', actor: author, target: waitingOn, subject: id, data });
      return { ...stateOf({ id, status, waitingOn }), messageId };
    });
  }

  /** Without waitingOn the reply goes to the starter, or, from the starter, back to whoever spoke last. */
  async reply(caller: Caller, input: DiscussionReply): Promise<DiscussionState & { messageId: number }> {
    const author = actingAs(caller, input.author, 'author');
    refuseSelfWait(author, input.waitingOn ?? null);
    const now = this.context.clock.now();
    return this.context.store.write(caller.project.id, function* (tx) {
      const discussion = yield* openDiscussion(tx, input.discussionId, 'reply to');
      const waitingOn = input.waitingOn ?? (yield* nextInLine(tx, discussion, author));
      const status = waitingOn ? 'waiting' : 'open';
      const messageId = yield* addMessage(tx, now, {
        discussionId: discussion.id,
        author,
        message: input.message,
        recommendation: input.recommendation ?? null,
      });
      yield* tx.update('discussions', { id: discussion.id }, { status, waitingOn, updatedAt: now });
      yield* recordEvent(tx, now, { kind: 'discussion_replied', actor: author, target: waitingOn, subject: discussion.id });
      return { ...stateOf({ id: discussion.id, status, waitingOn }), messageId };
    });
  }

  async resolve(caller: Caller, input: DiscussionResolve): Promise<DiscussionState & { decision: string; decidedBy: string }> {
    const decidedBy = actingAs(caller, input.decidedBy, 'decidedBy');
    const now = this.context.clock.now();
    return this.context.store.write(caller.project.id, function* (tx) {
      const discussion = yield* openDiscussion(tx, input.discussionId, 'resolve');
      const linkedTaskId = input.linkedTaskId ?? null;
      if (linkedTaskId !== null && !(yield* tx.one('tasks', { id: linkedTaskId }))) {
        throw new DomainError('NOT_FOUND', `task ${linkedTaskId} does not exist`, 'Check the id with task_list, or omit linkedTaskId.');
      }
      const { decision, reasoning } = input;
      const outcome = { decision, reasoning, decidedBy, linkedTaskId };
      yield* tx.update('discussions', { id: discussion.id }, { status: 'resolved', waitingOn: null, ...outcome, updatedAt: now });
      yield* recordEvent(tx, now, { kind: 'discussion_resolved', actor: decidedBy, target: discussion.author, subject: discussion.id });
      return { id: discussion.id, status: 'resolved', decision, decidedBy };
    });
  }

  async get(caller: Caller, discussionId: number): Promise<DiscussionDetail> {
    return this.context.store.read(caller.project.id, function* (tx) {
      const row = yield* findDiscussion(tx, discussionId);
      const messages = (yield* tx.find('messages', { where: { discussionId }, orderBy: 'id' })).map((message) => ({
        id: message.id,
        author: message.author,
        message: message.message,
        ...(message.recommendation !== null && { recommendation: message.recommendation }),
        at: message.createdAt,
      }));
      return { ...toSummary(row), createdAt: row.createdAt, ...decisionOf(row), messages };
    });
  }

  /** Newest activity first; archived discussions only when asked for by status. */
  async list(caller: Caller, filter: DiscussionFilter = {}): Promise<{ discussions: DiscussionSummary[]; more: boolean }> {
    const limit = Math.min(Math.max(1, filter.limit ?? DISCUSSION_LIST_DEFAULT), DISCUSSION_LIST_MAX);
    const where: Where<DiscussionRow> = {
      status: filter.status ?? { ne: 'archived' },
      category: filter.category,
      waitingOn: filter.waitingOn,
    };
    const rows = await this.context.store.read(caller.project.id, (tx) =>
      tx.find('discussions', { where, orderBy: 'updatedAt', desc: true, limit: limit + 1, offset: filter.offset ?? 0 }),
    );
    return { discussions: rows.slice(0, limit).map(toSummary), more: rows.length > limit };
  }

  /** What waits on an agent: blocking and high priority first, oldest first within a priority. */
  async inbox(caller: Caller, agent?: string): Promise<{ agent: string; discussions: DiscussionSummary[]; more: boolean }> {
    const name = actingAs(caller, agent, 'agent');
    const rows = await this.context.store.read(caller.project.id, function* (tx) {
      const found: DiscussionRow[] = [];
      for (const priority of PRIORITY_ORDER) {
        const where: Where<DiscussionRow> = { waitingOn: name, status: { in: OPEN_STATUSES }, priority };
        found.push(...(yield* tx.find('discussions', { where, orderBy: 'updatedAt', limit: INBOX_MAX + 1 - found.length })));
        if (found.length > INBOX_MAX) break;
      }
      return found;
    });
    return { agent: name, discussions: rows.slice(0, INBOX_MAX).map(toSummary), more: rows.length > INBOX_MAX };
  }

  async archive(caller: Caller, discussionId: number): Promise<DiscussionState> {
    const actor = caller.agent?.name ?? null;
    const now = this.context.clock.now();
    return this.context.store.write(caller.project.id, function* (tx) {
      const discussion = yield* findDiscussion(tx, discussionId);
      // Archiving twice is harmless: report the state instead of refusing.
      if (discussion.status !== 'archived') yield* archiveRow(tx, now, discussion, actor);
      return { id: discussionId, status: 'archived' };
    });
  }

  /** Archives resolved discussions idle for N days, then deletes those archived for M days. */
  async cleanup(caller: Caller, options: DiscussionCleanup = {}): Promise<{ archived: number; deleted: number }> {
    const now = this.context.clock.now();
    const archiveBefore = now - (options.archiveOlderThanDays ?? 7) * DAY_MS;
    const deleteBefore = now - (options.deleteOlderThanDays ?? 30) * DAY_MS;
    const actor = caller.agent?.name ?? null;
    return this.context.store.write(caller.project.id, function* (tx) {
      // Delete first so a discussion archived by this run keeps its full grace period.
      const doomed = (yield* tx.find('discussions', { where: { status: 'archived', updatedAt: { lt: deleteBefore } } })).map((row) => row.id);
      if (doomed.length > 0) {
        yield* tx.remove('messages', { discussionId: { in: doomed } });
        yield* tx.remove('discussions', { id: { in: doomed } });
      }
      const stale = yield* tx.find('discussions', { where: { status: 'resolved', updatedAt: { lt: archiveBefore } } });
      for (const row of stale) yield* archiveRow(tx, now, row, actor);
      return { archived: stale.length, deleted: doomed.length };
    });
  }
}

function refuseSelfWait(author: string, waitingOn: string | null): void {
  if (waitingOn === author) {
    throw new DomainError(
      'INVALID_INPUT',
      `waitingOn names the author (${author}); a discussion waits on someone else`,
      'Name the agent who should answer in waitingOn, or omit it.',
    );
  }
}

function* findDiscussion(tx: ReadTx, id: number): TxStep<DiscussionRow> {
  const row = yield* tx.one('discussions', { id });
  if (!row) throw new DomainError('NOT_FOUND', `discussion ${id} does not exist`, 'Check the id with discussion_list or discussion_inbox.');
  return row;
}

/** A discussion that still takes replies and decisions; a closed one says what was decided and by whom. */
function* openDiscussion(tx: ReadTx, id: number, action: string): TxStep<DiscussionRow> {
  const row = yield* findDiscussion(tx, id);
  if (row.status === 'resolved' || row.status === 'archived') {
    const decided = row.decision !== null ? `; ${row.decidedBy} decided: ${row.decision}` : '';
    throw new DomainError(
      'DISCUSSION_CLOSED',
      `cannot ${action} discussion ${id}: it is ${row.status}${decided}`,
      `Start a new discussion (discussion_start) that refers to discussion ${id} if it must be reopened.`,
      { status: row.status, ...decisionOf(row) },
    );
  }
  return row;
}

/** Whose turn it is after `author` replies without naming anyone. */
function* nextInLine(tx: ReadTx, discussion: DiscussionRow, author: string): TxStep<string | null> {
  if (author !== discussion.author) return discussion.author;
  const lastOther = (yield* tx.find('messages', {
    where: { discussionId: discussion.id, author: { ne: author } },
    orderBy: 'id',
    desc: true,
    limit: 1,
  }))[0];
  if (lastOther) return lastOther.author;
  // Nobody else has spoken yet: keep waiting on whoever the starter asked.
  return discussion.waitingOn !== author ? discussion.waitingOn : null;
}

function* addMessage(tx: WriteTx, now: number, message: Omit<MessageRow, 'project' | 'id' | 'createdAt'>): TxStep<number> {
  const id = yield* tx.nextId('message');
  yield* tx.insert('messages', { id, ...message, createdAt: now });
  return id;
}

function* archiveRow(tx: WriteTx, now: number, row: DiscussionRow, actor: string | null): TxStep<void> {
  yield* tx.update('discussions', { id: row.id }, { status: 'archived', waitingOn: null, updatedAt: now });
  yield* recordEvent(tx, now, { kind: 'discussion_archived', actor, target: row.author, subject: row.id });
}

function stateOf(state: { id: number; status: DiscussionStatus; waitingOn: string | null }): DiscussionState {
  return { id: state.id, status: state.status, ...(state.waitingOn !== null && { waitingOn: state.waitingOn }) };
}

function toSummary(row: DiscussionRow): DiscussionSummary {
  const { id, topic, category, priority, status, author, updatedAt } = row;
  return { id, topic, category, priority, status, author, ...(row.waitingOn !== null && { waitingOn: row.waitingOn }), updatedAt };
}

function decisionOf(row: DiscussionRow): Pick<DiscussionDetail, 'decision' | 'reasoning' | 'decidedBy' | 'linkedTaskId'> {
  return {
    ...(row.decision !== null && { decision: row.decision }),
    ...(row.reasoning !== null && { reasoning: row.reasoning }),
    ...(row.decidedBy !== null && { decidedBy: row.decidedBy }),
    ...(row.linkedTaskId !== null && { linkedTaskId: row.linkedTaskId }),
  };
}
