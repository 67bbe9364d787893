// The `pending` block: what is new for one agent since its event cursor, boiled down to a few counts
// and ids plus a hint, so every tool result can carry it without making agents pay for history.

import type { AgentRole, EventRow } from '../store/rows.js';
import type { ReadTx } from '../store/store.js';
import type { EventKind } from './events.js';

export interface ReviewNews {
  task: number;
  verdict: 'approved' | 'changes_requested';
  feedback?: string;
}

/** Only the fields with news are present; `hint` says what to call about them. */
export interface Pending {
  notes?: number;
  discussions?: number[];
  reviews?: ReviewNews[];
  locksLost?: string[];
  project?: 'stopped' | 'complete';
  newTasks?: number;
  /** The session has an identity that this project does not know (reset, or another project). */
  notRegistered?: true;
  hint: string;
}

/** Kinds addressed to one agent through events.target. */
const TARGETED_KINDS: readonly EventKind[] = [
  'note_added',
  'discussion_started',
  'discussion_replied',
  'task_approved',
  'task_changes_requested',
  'lock_lost',
];
/** Kinds with a null target that concern everyone. */
const BROADCAST_KINDS: readonly EventKind[] = ['note_added', 'project_status', 'task_created'];

/** Events read per call and audience: touch runs on every tool call, so its work stays bounded. */
const NEWS_BATCH = 100;

export interface NewsScan {
  pending: Pending | null;
  /** Where the agent's cursor may move: past everything read, but never past an unread event. */
  cursor: number;
}

/** Reads the news for `agent` after `cursor`; the caller decides whether to advance the cursor. */
export function scanNews(tx: ReadTx, agent: { name: string; role: AgentRole }, cursor: number): NewsScan {
  const batch = (target: string | null, kinds: readonly EventKind[]) =>
    tx.find('events', {
      where: { seq: { gt: cursor }, target, actor: { ne: agent.name }, kind: { in: kinds } },
      orderBy: 'seq',
      limit: NEWS_BATCH,
    });
  const targeted = batch(agent.name, TARGETED_KINDS);
  const broadcast = batch(null, BROADCAST_KINDS);
  // A full batch may hide more: stop the cursor at its last event so the rest arrives next call.
  const stops = [targeted, broadcast].filter((rows) => rows.length === NEWS_BATCH).map((rows) => rows.at(-1)!.seq);
  const latest = tx.max('events', 'seq');
  return {
    pending: summarizeNews([...targeted, ...broadcast], agent.role),
    cursor: Math.max(cursor, stops.length > 0 ? Math.min(...stops) : latest),
  };
}

export function summarizeNews(events: readonly EventRow[], role: AgentRole): Pending | null {
  const news: Omit<Pending, 'hint'> = {};
  const discussions = new Set<number>();
  const reviews: ReviewNews[] = [];
  const locksLost = new Set<string>();
  for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
    switch (event.kind) {
      case 'note_added':
        news.notes = (news.notes ?? 0) + 1;
        break;
      case 'discussion_started':
      case 'discussion_replied':
        discussions.add(Number(event.subject));
        break;
      case 'task_approved':
      case 'task_changes_requested':
        reviews.push(reviewNews(event));
        break;
      case 'lock_lost':
        if (event.subject) locksLost.add(event.subject);
        break;
      case 'project_status':
        news.project = event.data.status === 'stopped' || event.data.status === 'complete' ? event.data.status : undefined;
        break;
      case 'task_created':
        if (role === 'implementer') news.newTasks = (news.newTasks ?? 0) + 1;
        break;
    }
  }
  if (discussions.size > 0) news.discussions = [...discussions];
  if (reviews.length > 0) news.reviews = reviews;
  if (locksLost.size > 0) news.locksLost = [...locksLost];
  if (news.project === undefined) delete news.project;
  return withHint(news);
}

/** The block for a session whose identity is not registered in the project it is calling. */
export const NOT_REGISTERED: Pending = {
  notRegistered: true,
  hint: 'This project does not know you (it was reset or you changed project): call coordination_init again.',
};

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
  if (news.project === 'stopped') hints.push('The project is stopped: finish nothing new, release your locks and stop.');
  if (news.project === 'complete') hints.push('The project is complete: release your locks and stop.');
  if (news.reviews?.some((review) => review.verdict === 'changes_requested')) {
    hints.push('Apply the review feedback, then task_submit_for_review again.');
  }
  if (news.locksLost) hints.push('You lost locks: lock_acquire them again before editing those paths.');
  if (news.discussions) hints.push('Call discussion_inbox (or discussion_get) and reply.');
  if (news.notes) hints.push('Call note_list.');
  if (news.newTasks) hints.push('New tasks: call task_list or task_claim.');
  if (hints.length === 0 && !news.reviews) return null;
  return { ...news, hint: hints.length > 0 ? hints.join(' ') : 'Your task was approved.' };
}
