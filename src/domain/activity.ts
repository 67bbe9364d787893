// The event log read back for people: the activity timeline after a sequence number (what the
// dashboard's live feed sends), one task's history, and the projects a store holds.

import type { ProjectStatus } from '../core/vocabulary.js';
import type { EventRow } from '../store/rows.js';
import type { Caller, DomainContext } from './context.js';
import { storedProjectStatus } from './project.js';

export type EventView = Omit<EventRow, 'project'>;

export const EVENTS_PAGE_MAX = 500;

export class ActivityService {
  constructor(private readonly context: DomainContext) {}

  /** Events after `seq`, oldest first, at most `limit`; `seq` is where the next call continues. */
  async after(caller: Caller, seq: number, limit = EVENTS_PAGE_MAX): Promise<{ events: EventView[]; seq: number }> {
    return this.context.store.read(caller.project.id, function* (tx) {
      const events = (yield* tx.find('events', { where: { seq: { gt: seq } }, orderBy: 'seq', limit: Math.min(limit, EVENTS_PAGE_MAX) })).map(view);
      return { events, seq: events.at(-1)?.seq ?? Math.max(seq, 0) };
    });
  }

  /** The newest `limit` events (oldest first) and the latest seq: where a fresh page starts. */
  async recent(caller: Caller, limit: number): Promise<{ events: EventView[]; seq: number }> {
    return this.context.store.read(caller.project.id, function* (tx) {
      const events = (yield* tx.find('events', { orderBy: 'seq', desc: true, limit: Math.min(limit, EVENTS_PAGE_MAX) })).map(view).reverse();
      return { events, seq: (yield* tx.max('events', 'seq')) };
    });
  }

  /** What happened to one task, newest last. */
  async ofTask(caller: Caller, id: number, limit = 200): Promise<EventView[]> {
    return this.context.store.read(caller.project.id, function* (tx) {
      return (yield* tx.find('events', { where: { subject: String(id), kind: { in: TASK_KINDS } }, orderBy: 'seq', desc: true, limit })).map(view).reverse();
    },
    );
  }

  /** Every project in the store with its status. */
  async projects(): Promise<{ id: string; status: ProjectStatus }[]> {
    const ids = await this.context.store.projects();
    return Promise.all(ids.map(async (id) => ({ id, status: await this.context.store.read(id, storedProjectStatus) })));
  }
}

const TASK_KINDS = ['task_created', 'task_claimed', 'task_updated', 'task_submitted', 'task_approved', 'task_changes_requested', 'review_comment'];

function view(row: EventRow): EventView {
  const { project: _project, ...rest } = row;
  return rest;
}
