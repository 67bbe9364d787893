// The append-only event log: every state change leaves one row here, written in the same transaction
// as the change. The dashboard replays it and each agent's `pending` block is computed from it.

import type { Json } from '../core/vocabulary.js';
import type { WriteTx, TxStep } from '../store/store.js';

export const EVENT_KINDS = [
  'agent_joined',
  'agent_gone',
  'project_context',
  'project_status',
  'project_reset',
  'task_created',
  'task_claimed',
  'task_updated',
  'task_submitted',
  'task_approved',
  'task_changes_requested',
  'review_comment',
  'lock_acquired',
  'lock_released',
  'lock_lost',
  'note_added',
  'agent_log',
  'discussion_started',
  'discussion_replied',
  'discussion_resolved',
  'discussion_archived',
  'target_moved',
  'config_approved',
  'worktree_cleaned',
  'worktree_recovered',
] as const;

export type EventKind = (typeof EVENT_KINDS)[number];

export interface NewEvent {
  kind: EventKind;
  actor: string | null;
  /** The one agent this concerns (note recipient, task owner, waitingOn...), or null for everyone. */
  target?: string | null;
  subject?: string | number | null;
  data?: Record<string, Json>;
}

/** Events kept per project; older ones are compacted away so the log stays bounded. */
export const EVENTS_KEPT = 5_000;
const COMPACT_EVERY = 500;

export function* recordEvent(tx: WriteTx, now: number, event: NewEvent): TxStep<number> {
  const seq = yield* tx.nextId('event');
  yield* tx.insert('events', {
    seq,
    at: now,
    actor: event.actor,
    kind: event.kind,
    target: event.target ?? null,
    subject: event.subject === undefined || event.subject === null ? null : String(event.subject),
    data: event.data ?? {},
  });
  if (seq % COMPACT_EVERY === 0) yield* tx.remove('events', { seq: { lte: seq - EVENTS_KEPT } });
  return seq;
}
