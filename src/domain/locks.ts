// Exclusive path locks with leases and fencing tokens. Every decision (sweep dead locks, check
// conflicts, insert) is one write transaction, so two processes can never both hold overlapping paths.

import type { LockEndReason, LockKind } from '../core/vocabulary.js';
import type { LockRow } from '../store/rows.js';
import type { ReadTx, WriteTx, TxStep } from '../store/store.js';
import { actingAs, processGone, requirePlanner, type Caller, type DomainContext } from './context.js';
import { DomainError } from '../core/errors.js';
import { CommitWatch } from './commit-watch.js';
import { recordEvent } from './events.js';
import { iso, lockHeld, notOwner } from './lock-errors.js';
import { locksOverlap, resolveLockTarget, type LockTarget } from './lock-paths.js';

export const MAX_LOCK_WAIT_MS = 120_000;
const MAX_LIST_LIMIT = 200;
/** A waiter re-reads the locks after about this long, then ever less often. */
const FIRST_RETRY_MS = 5;
const LONGEST_RETRY_MS = 100;

export interface AcquireInput {
  path: string;
  owner?: string;
  note?: string;
  /** How long to keep retrying while another agent holds the path (0: fail at once). */
  waitMs?: number;
}

export interface ReleaseInput {
  path: string;
  owner?: string;
  /** A planner releasing another agent's lock. */
  force?: boolean;
}

export interface ListInput {
  status?: 'active' | 'resolved';
  owner?: string;
  limit?: number;
  /** Adds acquiredAt (for the dashboard's lock age); agents' lock_list stays as small as before. */
  withAge?: boolean;
}

export interface LockGrant {
  path: string;
  kind: LockKind;
  /** Fencing token: strictly increasing per project; a newer holder always has a larger one. */
  token: number;
  expiresAt: string;
  /** Present when the caller already held this lock and it was only renewed. */
  renewed?: true;
}

export interface LockView {
  path: string;
  kind: LockKind;
  owner: string;
  token: number;
  expiresAt: string;
  note?: string;
  endReason?: LockEndReason;
  acquiredAt?: string;
}

export interface LockRelease {
  released: string;
  token: number;
  /** The agent whose lock a planner forced open. */
  forcedFrom?: string;
}

type AcquireOutcome = { granted: LockGrant } | { heldBy: LockRow };
type ReleaseOutcome = { released: LockRelease } | { heldBy: LockRow } | { notHeld: true };

export class LockService {
  /** Store.foreignVersion when this process last read who holds what before an acquire. */
  private seenVersion = Number.NaN;

  constructor(private readonly context: DomainContext) {}

  async acquire(caller: Caller, input: AcquireInput): Promise<LockGrant> {
    const owner = actingAs(caller, input.owner);
    const target = resolveLockTarget(caller.project.root, input.path);
    const waitMs = Math.min(Math.max(input.waitMs ?? 0, 0), MAX_LOCK_WAIT_MS);
    // Waiting is real time even under a test clock: other processes release on the wall clock.
    const deadline = performance.now() + waitMs;
    // Only a caller that may wait listens for commits; made before the first look, it misses none.
    const commits = waitMs > 0 ? new CommitWatch(this.context.store) : undefined;
    try {
      return await this.acquireWatching(caller.project.id, owner, target, input.note ?? null, deadline, commits);
    } finally {
      commits?.stop();
    }
  }

  private async acquireWatching(
    project: string,
    owner: string,
    target: LockTarget,
    note: string | null,
    deadline: number,
    commits: CommitWatch | undefined,
  ): Promise<LockGrant> {
    for (;;) {
      const holder = await this.holderAfterForeignWrites(project, owner, target);
      const outcome: AcquireOutcome = holder
        ? { heldBy: holder }
        : await this.context.store.write(project, (tx) => this.tryAcquire(tx, owner, target, note));
      if (!holder) this.seenVersion = this.context.store.foreignVersion(); // that transaction looked too
      if ('granted' in outcome) return outcome.granted;
      if (!commits || deadline - performance.now() <= 0) throw lockHeld(outcome.heldBy, target.path);
      await this.untilFree(project, owner, target, deadline, commits);
    }
  }

  /**
   * The live holder of `target`, found by reading, when another process has written since this one
   * last looked. Under contention about half the attempts are refused, and a refusal found by a read
   * does not queue for the write lock every other process needs. Without foreign writes the write
   * transaction alone decides; its check is the one that counts in any case.
   */
  private async holderAfterForeignWrites(project: string, owner: string, target: LockTarget): Promise<LockRow | undefined> {
    const version = this.context.store.foreignVersion();
    // Unknown before this process's first acquire (NaN equals nothing): its write transaction decides.
    if (Number.isNaN(this.seenVersion) || version === this.seenVersion) return undefined;
    this.seenVersion = version;
    const now = this.context.clock.now();
    const active = await this.context.store.read(project, (tx) => tx.find('locks', { where: { status: 'active' } }));
    return this.liveHolderIn(active, owner, target, now);
  }

  private liveHolderIn(active: LockRow[], owner: string, target: LockTarget, now: number): LockRow | undefined {
    return active.find((lock) => lock.owner !== owner && locksOverlap(lock, target) && !this.deathOf(lock, now));
  }

  /**
   * Waits until no live lock of another owner overlaps `target`, or the deadline: looks again at each
   * commit a store pushes, else after a growing pause. It only reads, so waiters never queue for the
   * write lock that the holder needs to release.
   */
  private async untilFree(project: string, owner: string, target: LockTarget, deadline: number, commits: CommitWatch): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return;
      const pause = Math.min(FIRST_RETRY_MS * 1.5 ** attempt, LONGEST_RETRY_MS) * (0.5 + Math.random() / 2);
      await commits.next(remaining, pause);
      const now = this.context.clock.now();
      const active = await this.context.store.read(project, (tx) => tx.find('locks', { where: { status: 'active' } }));
      if (!this.liveHolderIn(active, owner, target, now)) return;
    }
  }

  async release(caller: Caller, input: ReleaseInput): Promise<LockRelease> {
    const owner = actingAs(caller, input.owner);
    const planner = input.force ? requirePlanner(caller, "force-release another agent's lock") : undefined;
    const { path } = resolveLockTarget(caller.project.root, input.path);
    const outcome = await this.context.store.write(caller.project.id, function* (this: LockService, tx: WriteTx): TxStep<ReleaseOutcome> {
      const now = this.context.clock.now();
      const live = (yield* this.sweepDeadLocks(tx, now, (lock) => lock.path === path)).filter((lock) => lock.path === path);
      const held = live.find((lock) => lock.owner === owner) ?? live[0];
      if (!held) return { notHeld: true };
      if (held.owner === owner) {
        yield* this.end(tx, held, 'released', now);
        yield* recordEvent(tx, now, { kind: 'lock_released', actor: owner, subject: path, data: { token: held.id } });
        return { released: { released: path, token: held.id } };
      }
      if (!planner) return { heldBy: held };
      yield* this.end(tx, held, 'forced', now);
      yield* recordEvent(tx, now, lockLostEvent(held, 'forced', planner));
      return { released: { released: path, token: held.id, forcedFrom: held.owner } };
    }.bind(this));
    if ('released' in outcome) return outcome.released;
    if ('heldBy' in outcome) throw notOwner(outcome.heldBy, owner);
    throw new DomainError('LOCK_NOT_HELD', `nothing holds a lock on ${path}`, 'Nothing to release; lock_list shows the active locks.');
  }

  /**
   * Expires dead locks first so that an active listing never shows a lock nobody holds any more; when
   * none has died, the listing is a read and takes no write lock.
   */
  async list(caller: Caller, input: ListInput = {}): Promise<LockView[]> {
    const status = input.status ?? 'active';
    const limit = Math.min(input.limit ?? 50, MAX_LIST_LIMIT);
    const page = function* (tx: ReadTx) {
      const rows = yield* tx.find('locks', {
        where: { status, ...(input.owner !== undefined && { owner: input.owner }) },
        orderBy: status === 'active' ? 'path' : 'id',
        desc: status === 'resolved',
        limit,
      });
      return rows.map((row) => ({ ...lockView(row), ...(input.withAge && { acquiredAt: iso(row.acquiredAt) }) }));
    };
    const now = this.context.clock.now();
    const dead = (lock: LockRow) => this.deathOf(lock, now) !== undefined;
    const listed = await this.context.store.read(caller.project.id, function* (tx) {
      return (yield* tx.find('locks', { where: { status: 'active' } })).some(dead) ? undefined : yield* page(tx);
    });
    return (
      listed ??
      this.context.store.write(caller.project.id, function* (this: LockService, tx: WriteTx) {
        yield* this.sweepDeadLocks(tx, this.context.clock.now(), () => true);
        return yield* page(tx);
      }.bind(this))
    );
  }

  /**
   * The live lock held by someone other than the caller's identity that covers `path` (absolute or
   * project-relative), else undefined. Read-only: it judges liveness without sweeping.
   */
  async holderOf(caller: Caller, path: string): Promise<LockRow | undefined> {
    let target: LockTarget;
    try {
      target = resolveLockTarget(caller.project.root, path);
    } catch (error) {
      // No lock can cover a path outside the project.
      if (error instanceof DomainError && error.code === 'PATH_OUTSIDE_PROJECT') return undefined;
      throw error;
    }
    const now = this.context.clock.now();
    const me = caller.agent?.name;
    const active = await this.context.store.read(caller.project.id, (tx) =>
      tx.find('locks', { where: { status: 'active', expiresAt: { gt: now } } }),
    );
    return active.find((lock) => lock.owner !== me && !this.ownerGone(lock) && locksOverlap(lock, target));
  }

  private *tryAcquire(tx: WriteTx, owner: string, target: LockTarget, note: string | null): TxStep<AcquireOutcome> {
    const now = this.context.clock.now();
    const expiresAt = now + this.context.settings.lockLeaseMs;
    const overlaps = (lock: LockRow) => locksOverlap(lock, target);
    const overlapping = (yield* this.sweepDeadLocks(tx, now, overlaps)).filter(overlaps);
    const heldBy = overlapping.find((lock) => lock.owner !== owner);
    if (heldBy) return { heldBy };
    const mine = overlapping.find((lock) => lock.path === target.path && lock.kind === target.kind);
    const lease = { expiresAt, ownerPid: this.context.pid, ownerHost: this.context.host };
    if (mine) {
      yield* tx.update('locks', { id: mine.id }, { ...lease, ...(note !== null && { note }) });
      return { granted: { ...target, token: mine.id, expiresAt: iso(expiresAt), renewed: true } };
    }
    const token = yield* tx.nextId('lock');
    yield* tx.insert('locks', {
      id: token, ...target, owner, note, status: 'active', acquiredAt: now, endedAt: null, endReason: null, ...lease,
    });
    yield* recordEvent(tx, now, { kind: 'lock_acquired', actor: owner, subject: target.path, data: { token, kind: target.kind } });
    return { granted: { ...target, token, expiresAt: iso(expiresAt) } };
  }

  /**
   * Ends every active lock whose lease ran out, and each `decisive` one whose owner process died;
   * returns the rest. Whether a process lives costs system calls, made while every other writer waits
   * for this transaction, so only the locks that decide this call are asked (issue 10: with 8 agents
   * an acquire asked about every holder). Another dead owner's lock ends when a call needing its path,
   * or lock_list, comes by, and at the end of its lease in any case.
   */
  private *sweepDeadLocks(tx: WriteTx, now: number, decisive: (lock: LockRow) => boolean): TxStep<LockRow[]> {
    const survivors: LockRow[] = [];
    for (const lock of (yield* tx.find('locks', { where: { status: 'active' } }))) {
      const reason = lock.expiresAt <= now ? 'expired' : decisive(lock) && this.ownerGone(lock) ? 'owner_gone' : undefined;
      if (!reason) {
        survivors.push(lock);
        continue;
      }
      yield* this.end(tx, lock, reason, now);
      yield* recordEvent(tx, now, lockLostEvent(lock, reason, null));
    }
    return survivors;
  }

  private deathOf(lock: LockRow, now: number): LockEndReason | undefined {
    return lock.expiresAt <= now ? 'expired' : this.ownerGone(lock) ? 'owner_gone' : undefined;
  }

  /** A lock held from another host is judged by its lease alone. */
  private ownerGone(lock: LockRow): boolean {
    return processGone(this.context, lock.ownerHost, lock.ownerPid);
  }

  private *end(tx: WriteTx, lock: LockRow, reason: LockEndReason, now: number): TxStep<void> {
    yield* tx.update('locks', { id: lock.id }, { status: 'resolved', endedAt: now, endReason: reason });
  }
}

function lockLostEvent(lock: LockRow, reason: LockEndReason, actor: string | null) {
  return { kind: 'lock_lost', actor, target: lock.owner, subject: lock.path, data: { token: lock.id, reason } } as const;
}

function lockView(row: LockRow): LockView {
  return {
    path: row.path,
    kind: row.kind,
    owner: row.owner,
    token: row.id,
    expiresAt: iso(row.expiresAt),
    ...(row.note !== null && { note: row.note }),
    ...(row.endReason !== null && { endReason: row.endReason }),
  };
}
