// The `pending` block: what is new for one agent since its event cursor, boiled down to a few counts
// and ids plus a hint, so every tool result can carry it without making agents pay for history.

import type { AgentRole, Json } from '../core/vocabulary.js';
import type { EventRow } from '../store/rows.js';
import type { ReadTx, TxStep } from '../store/store.js';
import type { EventKind } from './events.js';

/** The target branch moved (another implementer's work landed); conflicts: files your branch now conflicts on. */
export interface TargetMovedNews {
  target: string;
  conflicts?: string[];
}

export interface ReviewNews {
  task: number;
  verdict: 'approved' | 'changes_requested';
  feedback?: string;
}

/** Only the fields with news are present; `hint` says what to call about them. */
export interface Pending {
  notes?: number;
  discussions?: number[];
  /** Discussions you started that were decided. */
  decisions?: number[];
  reviews?: ReviewNews[];
  locksLost?: string[];
  targetMoved?: TargetMovedNews;
  /** Tasks with review comments new to you (added, answered, resolved): read them with review_comments. */
  comments?: number[];
  /** Your tasks that someone else changed (reassigned, blocked, edited). */
  tasksChanged?: number[];
  project?: 'stopped' | 'complete';
  newTasks?: number;
  /** Planners: submissions waiting for review. */
  toReview?: number;
  /** The session has an identity that this project does not know (reset, or another project). */
  notRegistered?: true;
  hint: string;
}

/** Kinds addressed to one agent through events.target. */
const TARGETED_KINDS: readonly EventKind[] = [
  'note_added',
  'discussion_started',
  'discussion_replied',
  'discussion_resolved',
  'task_approved',
  'task_updated',
  'task_changes_requested',
  'review_comment',
  'lock_lost',
  'target_moved',
];
/** Kinds with a null target that concern everyone. */
const BROADCAST_KINDS: readonly EventKind[] = ['note_added', 'project_status', 'task_created', 'task_submitted'];

/** Events read per call and audience: touch runs on every tool call, so its work stays bounded. */
const NEWS_BATCH = 100;

export interface NewsScan {
  pending: Pending | null;
  /** Where the agent's cursor may move: past everything read, but never past an unread event. */
  cursor: number;
}

/** Reads the news for `agent` after `cursor`; the caller decides whether to advance the cursor. */
export function* scanNews(tx: ReadTx, agent: { name: string; role: AgentRole }, cursor: number): TxStep<NewsScan> {
  const batch = (target: string | null, kinds: readonly EventKind[]) =>
    tx.find('events', {
      where: { seq: { gt: cursor }, target, actor: { ne: agent.name }, kind: { in: kinds } },
      orderBy: 'seq',
      limit: NEWS_BATCH,
    });
  const targeted = yield* batch(agent.name, TARGETED_KINDS);
  const broadcast = yield* batch(null, BROADCAST_KINDS);
  // A full batch may hide more: stop the cursor at its last event so the rest arrives next call.
  const stops = [targeted, broadcast].filter((rows) => rows.length === NEWS_BATCH).map((rows) => rows.at(-1)!.seq);
  const latest = yield* tx.max('events', 'seq');
  return {
    pending: summarizeNews((yield* unsettled(tx, agent.name, cursor, [...targeted, ...broadcast])), agent.role),
    cursor: Math.max(cursor, stops.length > 0 ? Math.min(...stops) : latest),
  };
}

const DISCUSSION_KINDS: readonly EventKind[] = ['discussion_started', 'discussion_replied', 'discussion_resolved'];

/**
 * Pending is computed after the call's own change, so news that the agent has since settled itself is
 * left out: a submission no longer in review (it was just approved or sent back), a discussion the
 * agent replied to or resolved after the news arrived.
 */
function* unsettled(tx: ReadTx, name: string, cursor: number, events: readonly EventRow[]): TxStep<EventRow[]> {
  const submitted = events.filter((event) => event.kind === 'task_submitted').map((event) => Number(event.subject));
  const inReview = new Set(submitted.length === 0 ? [] : (yield* tx.find('tasks', { where: { id: { in: submitted }, status: 'review' } })).map((task) => task.id));
  const ownTurns = new Map<string, number>();
  if (events.some((event) => DISCUSSION_KINDS.includes(event.kind as EventKind))) {
    for (const own of (yield* tx.find('events', { where: { seq: { gt: cursor }, actor: name, kind: { in: DISCUSSION_KINDS } }, orderBy: 'seq' }))) {
      if (own.subject !== null) ownTurns.set(own.subject, own.seq);
    }
  }
  return events.filter((event) => {
    if (event.kind === 'task_submitted') return inReview.has(Number(event.subject));
    if (!DISCUSSION_KINDS.includes(event.kind as EventKind) || event.subject === null) return true;
    return (ownTurns.get(event.subject) ?? 0) < event.seq;
  });
}

/** Kinds whose news is the id of what they are about, listed (once each) under one field. */
const ID_LISTS: Partial<Record<string, 'discussions' | 'decisions' | 'tasksChanged' | 'comments'>> = {
  review_comment: 'comments',
  discussion_started: 'discussions',
  discussion_replied: 'discussions',
  discussion_resolved: 'decisions',
  task_updated: 'tasksChanged',
};

export function summarizeNews(events: readonly EventRow[], role: AgentRole): Pending | null {
  const news: Omit<Pending, 'hint'> = {};
  const ids = { discussions: new Set<number>(), decisions: new Set<number>(), tasksChanged: new Set<number>(), comments: new Set<number>() };
  const locksLost = new Set<string>();
  const reviews: ReviewNews[] = [];
  for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
    const list = ID_LISTS[event.kind];
    if (list) ids[list].add(Number(event.subject));
    else if (event.kind === 'note_added') news.notes = (news.notes ?? 0) + 1;
    else if (event.kind === 'task_created' && role === 'implementer') news.newTasks = (news.newTasks ?? 0) + 1;
    else if (event.kind === 'task_submitted' && role === 'planner') news.toReview = (news.toReview ?? 0) + 1;
    else if (event.kind === 'lock_lost' && event.subject) locksLost.add(event.subject);
    else if (event.kind === 'task_approved' || event.kind === 'task_changes_requested') reviews.push(reviewNews(event));
    else if (event.kind === 'project_status') news.project = stopStatus(event.data.status);
    // Only the latest landing matters: it is the target the branch has to merge with now.
    else if (event.kind === 'target_moved') news.targetMoved = targetMovedNews(event);
  }
  for (const [field, set] of Object.entries(ids) as [keyof typeof ids, Set<number>][]) {
    if (set.size > 0) news[field] = [...set];
  }
  if (locksLost.size > 0) news.locksLost = [...locksLost];
  if (reviews.length > 0) news.reviews = reviews;
  if (news.project === undefined) delete news.project;
  return withHint(news);
}

/** The block for a session whose identity is not registered in the project it is calling. */
export const NOT_REGISTERED: Pending = {
  notRegistered: true,
  hint: 'This project does not know you (it was reset or you changed project): call coordination_init again.',
};

/** Only the latest status counts: a project stopped and then resumed is news for nobody. */
function stopStatus(status: Json | undefined): Pending['project'] {
  return status === 'stopped' || status === 'complete' ? status : undefined;
}

function targetMovedNews(event: EventRow): TargetMovedNews {
  const { target, conflicts } = event.data;
  const files = Array.isArray(conflicts) ? conflicts.filter((file): file is string => typeof file === 'string') : [];
  return { target: typeof target === 'string' ? target : String(event.subject), ...(files.length > 0 && { conflicts: files }) };
}

function reviewNews(event: EventRow): ReviewNews {
  const feedback = event.data.feedback;
  return {
    task: Number(event.subject),
    verdict: event.kind === 'task_approved' ? 'approved' : 'changes_requested',
    ...(typeof feedback === 'string' && feedback.length > 0 && { feedback }),
  };
}

function withHint(news: Omit<Pending, 'hint'>): Pending | null {
  const hints: string[] = [];
  if (news.project === 'stopped') hints.push('The project is stopped: start nothing new, release your locks and stop.');
  if (news.project === 'complete') hints.push('The project is complete: release your locks and stop.');
  if (news.reviews?.some((review) => review.verdict === 'changes_requested')) {
    hints.push('Apply the review feedback, then task_submit_for_review again.');
  }
  if (news.targetMoved?.conflicts) {
    hints.push(
      `${news.targetMoved.target} moved and your branch now conflicts with it: in your worktree run git merge ${news.targetMoved.target}, resolve, commit.`,
    );
  } else if (news.targetMoved) {
    hints.push(`${news.targetMoved.target} moved (work landed); your branch still merges cleanly (worktree_status shows it).`);
  }
  if (news.locksLost) hints.push('You lost locks: lock_acquire them again before editing those paths.');
  if (news.comments) hints.push(`Review comments on task ${news.comments.join(', ')}: review_comments to read, reply or resolve.`);
  if (news.tasksChanged) hints.push('Someone changed your tasks: check them with task_list (owner: you).');
  if (news.discussions) hints.push('Call discussion_inbox (or discussion_get) and reply.');
  if (news.decisions) hints.push('Read the decision with discussion_get.');
  if (news.notes) hints.push('Call note_list.');
  if (news.newTasks) hints.push('New tasks: call task_list or task_claim.');
  if (news.toReview) hints.push('Work awaits review: task_list with status "review", then task_approve or task_request_changes.');
  if (hints.length === 0 && !news.reviews) return null;
  return { ...news, hint: hints.length > 0 ? hints.join(' ') : 'Your task was approved.' };
}
