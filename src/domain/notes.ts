// Notes: short messages between agents, broadcast or addressed to one agent. Each agent reads them
// through a stored cursor (agents.noteCursor), so it sees every note once without re-reading history.

import type { NoteRow } from '../store/rows.js';
import type { Query, ReadTx, TxStep, Where } from '../store/store.js';
import { actingAs, type Caller, type DomainContext } from './context.js';
import { DomainError } from '../core/errors.js';
import { recordEvent } from './events.js';

export const NOTE_MAX_BYTES = 8_192;
export const NOTE_LIST_DEFAULT = 20;
export const NOTE_LIST_MAX = 200;

export interface NoteAppend {
  text: string;
  author?: string;
  /** One agent's name; omitted means every agent. */
  to?: string;
}

export interface NoteQuery {
  limit?: number;
  /** Read notes after this id without touching the stored cursor. */
  since?: number;
  /** Only notes addressed to this agent. */
  to?: string;
  /** Only notes written by this agent. */
  from?: string;
}

export interface NoteView {
  id: number;
  author: string;
  to?: string;
  text: string;
  at: number;
}

export interface NotePage {
  notes: NoteView[];
  /** The id to pass as `since` to continue after these notes. */
  cursor: number;
  /** True when reading on from `cursor` would return more notes right now. */
  more: boolean;
}

export class NoteService {
  constructor(private readonly context: DomainContext) {}

  async append(caller: Caller, input: NoteAppend): Promise<{ id: number }> {
    const author = actingAs(caller, input.author, 'author');
    const text = input.text.trim();
    if (text.length === 0 || Buffer.byteLength(text) > NOTE_MAX_BYTES) {
      throw new DomainError(
        'INVALID_INPUT',
        `a note's text must be 1 to ${NOTE_MAX_BYTES} bytes`,
        'Shorten the note; put long content in a file (artifact_write) and note its path.',
      );
    }
    const now = this.context.clock.now();
    return this.context.store.write(caller.project.id, function* (tx) {
      const id = yield* tx.nextId('note');
      yield* tx.insert('notes', { id, author, to: input.to ?? null, text, createdAt: now });
      yield* recordEvent(tx, now, { kind: 'note_added', actor: author, target: input.to ?? null, subject: id });
      return { id };
    });
  }

  /**
   * An identified caller without `since` reads its unread notes from its stored cursor and advances
   * it in the same transaction, so two concurrent reads never hand out the same note twice.
   */
  async list(caller: Caller, query: NoteQuery = {}): Promise<NotePage> {
    const viewer = caller.agent?.name;
    const limit = Math.min(Math.max(1, query.limit ?? NOTE_LIST_DEFAULT), NOTE_LIST_MAX);
    const store = this.context.store;
    const since = query.since;
    if (since !== undefined || !viewer) {
      const scopes = visibleScopes(viewer, query, false);
      return store.read(caller.project.id, (tx) =>
        since === undefined ? latestPage(tx, scopes, limit) : pageAfter(tx, scopes, since, limit),
      );
    }
    const scopes = visibleScopes(viewer, query, true);
    // Nothing unread is the common answer, and it moves no cursor: a read without the write lock.
    const unread = function* (tx: ReadTx) {
      return yield* pageAfter(tx, scopes, (yield* tx.one('agents', { id: viewer }))?.noteCursor ?? 0, limit);
    };
    const peeked = await store.read(caller.project.id, unread);
    if (peeked.notes.length === 0) return peeked;
    return store.write(caller.project.id, function* (tx) {
      const page = yield* unread(tx);
      yield* tx.update('agents', { id: viewer, noteCursor: { lt: page.cursor } }, { noteCursor: page.cursor });
      return page;
    });
  }
}

/**
 * The store's where-clauses are conjunctions, so "broadcast OR to me OR from me" is one query per
 * branch, each narrowed by the caller's filters; a branch that contradicts a filter is dropped.
 * Private notes are visible only to their sender and recipient; an anonymous caller sees broadcasts.
 * Unread notes leave out the viewer's own: an author has already seen what it wrote.
 */
function visibleScopes(viewer: string | undefined, filter: NoteQuery, unread: boolean): Where<NoteRow>[] {
  const scopes: Where<NoteRow>[] = !viewer
    ? [{ to: null }]
    : unread
      ? [{ to: null, author: { ne: viewer } }, { to: viewer, author: { ne: viewer } }]
      : [{ to: null }, { to: viewer }, { author: viewer, to: { ne: null } }];
  return scopes.flatMap((scope) => narrow(scope, 'author', filter.from)).flatMap((scope) => narrow(scope, 'to', filter.to));
}

function narrow(scope: Where<NoteRow>, column: 'author' | 'to', value: string | undefined): Where<NoteRow>[] {
  if (value === undefined) return [scope];
  const current = scope[column];
  // An operator ({ne: ...}) yields to the explicit filter; a fixed value admits only itself.
  if (current === undefined || (typeof current === 'object' && current !== null)) return [{ ...scope, [column]: value }];
  return current === value ? [scope] : [];
}

function* pageAfter(tx: ReadTx, scopes: Where<NoteRow>[], after: number, limit: number): TxStep<NotePage> {
  const rows = yield* findMerged(tx, scopes.map((scope) => ({ where: { ...scope, id: { gt: after } }, orderBy: 'id', limit: limit + 1 })));
  const notes = rows.slice(0, limit).map(toView);
  return { notes, cursor: notes.at(-1)?.id ?? after, more: rows.length > limit };
}

function* latestPage(tx: ReadTx, scopes: Where<NoteRow>[], limit: number): TxStep<NotePage> {
  const rows = yield* findMerged(tx, scopes.map((scope) => ({ where: scope, orderBy: 'id', desc: true, limit })));
  const notes = rows.slice(-limit).map(toView);
  return { notes, cursor: notes.at(-1)?.id ?? 0, more: false };
}

function* findMerged(tx: ReadTx, queries: Query<NoteRow>[]): TxStep<NoteRow[]> {
  const branches: NoteRow[][] = [];
  for (const query of queries) branches.push(yield* tx.find('notes', query));
  return merge(branches);
}

/** Union of the branch results, without duplicates, oldest first. */
function merge(results: NoteRow[][]): NoteRow[] {
  const byId = new Map<number, NoteRow>();
  for (const row of results.flat()) byId.set(row.id, row);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

function toView(row: NoteRow): NoteView {
  return { id: row.id, author: row.author, ...(row.to !== null && { to: row.to }), text: row.text, at: row.createdAt };
}
