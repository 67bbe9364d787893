// Agent identity: registration (coordination_init), the per-call heartbeat that renews an agent's lock
// leases and delivers its `pending` news, and the implementer registry the planner manages.

import { randomUUID } from 'node:crypto';
import { ownAncestorPids } from '../launch/process-tree.js';
import type { AgentRole, AgentType, ProjectStatus } from '../core/vocabulary.js';
import type { AgentRow } from '../store/rows.js';
import type { ReadTx, WriteTx, TxStep } from '../store/store.js';
import { admitPlannerSession } from './admissions.js';
import { processGone, requirePlanner, type Caller, type ClientSession, type DomainContext } from './context.js';
import { DomainError } from '../core/errors.js';
import { recordEvent } from './events.js';
import { assertImplementerName } from './git-errors.js';
import { Heartbeats, heartbeatIntervalMs } from './heartbeat.js';
import { NOT_REGISTERED, scanNews, type Pending } from './pending.js';
import { storedProjectStatus } from './project.js';

export interface Registration {
  role: AgentRole;
  name?: string;
  type?: AgentType;
}

export interface Registered {
  agent: AgentRow;
  /** True when an existing registration of this name was taken over (same process, or a dead one). */
  resumed: boolean;
  projectStatus: ProjectStatus;
}

type RegisterOutcome = { taken: AgentRow } | { registered: Registered };

export interface ImplementerView {
  name: string;
  type: AgentType;
  status: 'active' | 'gone';
  lastSeenAt: number;
}

export class AgentService {
  /** This process's memory of each agent's heartbeat, by project and name. */
  private readonly heartbeats: Heartbeats;

  constructor(private readonly context: DomainContext) {
    this.heartbeats = new Heartbeats(heartbeatIntervalMs(context.settings.lockLeaseMs));
  }

  /**
   * Binds a name and role to the caller's session. The session keeps its first role for good, and a
   * planner needs an admission (admissions.ts), so re-registering cannot promote anyone.
   */
  async register(caller: Caller, registration: Registration): Promise<Registered> {
    const type = registration.type ?? 'other';
    const { role } = registration;
    if (registration.name !== undefined) assertImplementerName(registration.name);
    // A caller without a session (domain level) is a new session every time: it can resume nothing.
    const session: ClientSession = caller.session ?? { id: randomUUID() };
    assertSessionRole(session, role);
    assertCredentialAllows(session, registration);
    // Looked up before the write transaction: it may start `ps` processes, and the lock must stay short.
    const ancestors = ownAncestorPids();
    const now = this.context.clock.now();
    const outcome = await this.context.store.write<RegisterOutcome>(caller.project.id, function* (this: AgentService, tx: WriteTx) {
      const name = registration.name ?? session.credential?.name ?? (yield* generateName(tx, type, role));
      const existing = yield* tx.one('agents', { id: name });
      // The token is the identity: its holder reconnecting in a new session takes its name back.
      const proven = session.credential?.name === name;
      if (existing && !proven && this.heldByAnotherLiveSession(existing, session, ancestors)) return { taken: existing };
      // A planner's name speaks for the planner: taking it over, in any role, needs the same proof.
      const plannersName = existing?.role === 'planner' && existing.session !== session.id;
      if (role === 'planner' || plannersName) yield* admitPlannerSession(tx, now, name, session);
      const agent = yield* this.saveRegistration(tx, now, { id: name, role, type, session: session.id }, existing, ancestors);
      yield* recordEvent(tx, now, { kind: 'agent_joined', actor: name, data: { role, type } });
      return { registered: { agent, resumed: existing !== undefined, projectStatus: (yield* storedProjectStatus(tx)) } };
    }.bind(this));
    if ('taken' in outcome) throw nameTaken(outcome.taken);
    session.role = role;
    return outcome.registered;
  }

  /**
   * The heartbeat after every call of an identified agent: renews its leases, records it as seen and
   * delivers its news once. A call pays a write transaction only for news to deliver or when the beat
   * is due (heartbeatIntervalMs since this process last wrote one); otherwise it reads, and not even
   * that when no other process has written since its last look.
   */
  async touch(caller: Caller, tool?: string): Promise<Pending | null> {
    const agent = caller.agent;
    if (!agent) return null;
    const now = this.context.clock.now();
    const key = `${caller.project.id}\0${agent.name}`;
    const store = this.context.store;
    const foreign = store.foreignVersion();
    if (!this.heartbeats.due(key, now)) {
      if (this.soleSession(caller) && this.heartbeats.unchangedSince(key, foreign)) return null;
      const quiet = await store.read(caller.project.id, function* (this: AgentService, tx: ReadTx) {
        const row = yield* tx.one('agents', { id: agent.name });
        if (!row) return undefined;
        const scan = yield* scanNews(tx, { name: agent.name, role: row.role }, this.heartbeats.scanFrom(key, row.eventCursor));
        return scan.pending === null ? scan.cursor : undefined;
      }.bind(this));
      if (quiet !== undefined) {
        this.heartbeats.quiet(key, quiet, foreign);
        return null;
      }
    }
    const beat = await store.write(caller.project.id, function* (this: AgentService, tx: WriteTx) {
      yield* tx.update(
        'locks',
        { owner: agent.name, status: 'active', expiresAt: { gt: now } },
        { expiresAt: now + this.context.settings.lockLeaseMs },
      );
      const row = yield* tx.one('agents', { id: agent.name });
      if (!row) return undefined;
      const scan = yield* scanNews(tx, { name: agent.name, role: row.role }, row.eventCursor);
      yield* tx.update('agents', { id: agent.name }, { lastSeenAt: now, eventCursor: scan.cursor, ...(tool !== undefined && { lastTool: tool }) });
      return scan;
    }.bind(this));
    if (!beat) return NOT_REGISTERED;
    this.heartbeats.written(key, now, beat.cursor, foreign);
    return beat.pending;
  }

  /**
   * Whether the caller's session is the only one this process serves (a stdio server). Then only other
   * processes write news for it: its own events are never news to it, except a lock of its own that
   * its own call found expired, which it hears of at the next scan (another process's write or its
   * next heartbeat).
   */
  private soleSession(caller: Caller): boolean {
    const sessions = this.context.openSessions;
    return sessions.size === 1 && caller.session !== undefined && sessions.has(caller.session.id);
  }

  /** The same news as touch, leaving it unread (for calls that only wait for news to exist). */
  async peekPending(caller: Caller): Promise<Pending | null> {
    const agent = caller.agent;
    if (!agent) return null;
    return this.context.store.read(caller.project.id, (tx) => this.pendingIn(tx, agent.name));
  }

  /** peekPending inside a transaction the caller already holds: the cursor does not move. */
  *pendingIn(tx: ReadTx, name: string): TxStep<Pending | null> {
    const row = yield* tx.one('agents', { id: name });
    return row ? (yield* scanNews(tx, { name, role: row.role }, row.eventCursor)).pending : NOT_REGISTERED;
  }

  async listImplementers(caller: Caller): Promise<ImplementerView[]> {
    const rows = await this.context.store.read(caller.project.id, (tx) =>
      tx.find('agents', { where: { role: 'implementer' }, orderBy: 'registeredAt' }),
    );
    return rows.map((row) => ({
      name: row.id,
      type: row.type,
      status: row.status === 'active' && !processGone(this.context, row.host, row.pid) ? 'active' : 'gone',
      lastSeenAt: row.lastSeenAt,
    }));
  }

  /**
   * A planner (or the human) marks an implementer stopped: it counts as dead from now on, so the next
   * liveness sweep frees its locks and returns its task to the board; its branch and worktree stay.
   */
  async markStopped(caller: Caller, name: string): Promise<{ name: string; stopped: boolean }> {
    const planner = requirePlanner(caller, 'stop implementers');
    const now = this.context.clock.now();
    return this.context.store.write(caller.project.id, function* (tx) {
      if (!(yield* tx.one('agents', { id: name, role: 'implementer' }))) {
        throw new DomainError('NOT_FOUND', `no implementer ${name} in this project`, 'Call implementer_list to see the names.', { name });
      }
      const stopped = (yield* tx.update('agents', { id: name, status: 'active' }, { status: 'gone' })) > 0;
      if (stopped) yield* recordEvent(tx, now, { kind: 'agent_gone', actor: planner, target: name, data: { reason: 'stopped' } });
      return { name, stopped };
    });
  }

  /** Forgets every implementer of the project; their tasks and locks stay as they are. */
  async resetImplementers(caller: Caller): Promise<{ removed: string[] }> {
    const planner = requirePlanner(caller, 'reset the implementers');
    const now = this.context.clock.now();
    return this.context.store.write(caller.project.id, function* (tx) {
      const names = (yield* tx.find('agents', { where: { role: 'implementer' } })).map((row) => row.id);
      yield* tx.remove('agents', { role: 'implementer' });
      for (const name of names) yield* recordEvent(tx, now, { kind: 'agent_gone', actor: planner, target: name });
      return { removed: names };
    });
  }

  private *saveRegistration(
    tx: WriteTx,
    now: number,
    identity: Pick<AgentRow, 'id' | 'role' | 'type' | 'session'>,
    existing: AgentRow | undefined,
    ancestors: readonly number[],
  ): TxStep<AgentRow> {
    // A launched agent keeps the pid of its own CLI process: liveness follows the agent, not this server.
    const pid = existing?.host === this.context.host && ancestors.includes(existing.pid) ? existing.pid : this.context.pid;
    const fields = { ...identity, pid, host: this.context.host, status: 'active' as const, lastSeenAt: now };
    if (existing) {
      // Same name, so the same identity resuming: its unread news stays unread.
      yield* tx.update('agents', { id: identity.id }, fields);
      return { ...existing, ...fields };
    }
    // A newcomer starts at the present, not flooded with the project's history.
    const cursors = { eventCursor: (yield* tx.max('events', 'seq')), noteCursor: (yield* tx.max('notes', 'id')) };
    return yield* tx.insert('agents', { registeredAt: now, ...cursors, ...fields });
  }

  private heldByAnotherLiveSession(row: AgentRow, session: ClientSession, ancestors: readonly number[]): boolean {
    if (row.status !== 'active' || processGone(this.context, row.host, row.pid)) return false;
    if (row.host === this.context.host && row.pid === this.context.pid) {
      // Several sessions share a process only in in-process harnesses; an open one keeps its names.
      return row.session != null && row.session !== session.id && this.context.openSessions.has(row.session);
    }
    // launch_implementer registers the agent CLI's pid; its MCP server (this process) runs below it.
    return !(row.host === this.context.host && ancestors.includes(row.pid));
  }
}

/** A readable name such as "claude-implementer-3" that no agent of the project holds yet. */
function* generateName(tx: WriteTx, type: AgentType, role: AgentRole): TxStep<string> {
  for (;;) {
    const name = `${type}-${role}-${(yield* tx.nextId(`agent-name:${type}-${role}`))}`;
    if (!(yield* tx.one('agents', { id: name }))) return name;
  }
}

/** A session keeps the role it first registered with: an implementer cannot re-register as planner. */
function assertSessionRole(session: ClientSession, role: AgentRole): void {
  if (session.role === undefined || session.role === role) return;
  throw new DomainError(
    'ROLE_FORBIDDEN',
    `this session registered as ${session.role}; a session keeps its first role`,
    `Call coordination_init with role "${session.role}"; a ${role} is another agent with its own session.`,
    { role: session.role },
  );
}

/** A session that came with a token registers only as the token's name and role. */
function assertCredentialAllows({ credential }: ClientSession, registration: Registration): void {
  if (!credential) return;
  if (registration.role !== credential.role) {
    throw new DomainError(
      'ROLE_FORBIDDEN',
      `your access token "${credential.name}" is for a${credential.role === 'implementer' ? 'n' : ''} ${credential.role}`,
      `Call coordination_init with role "${credential.role}"; another role needs its own token.`,
      { role: credential.role },
    );
  }
  if (registration.name !== undefined && registration.name !== credential.name) {
    throw new DomainError(
      'IDENTITY_MISMATCH',
      `name "${registration.name}" is not you: your access token is for ${credential.name}`,
      `Omit name; you act as ${credential.name}.`,
      { name: registration.name, actingAs: credential.name },
    );
  }
}

function nameTaken(holder: AgentRow): DomainError {
  return new DomainError(
    'NAME_TAKEN',
    `the name "${holder.id}" belongs to a running ${holder.role} (pid ${holder.pid} on ${holder.host})`,
    'Call coordination_init with another name, or omit name to get one generated.',
    { name: holder.id, pid: holder.pid, host: holder.host },
  );
}
