// Implementers the planner launches and watches: starting an agent CLI (in a tmux window, else as a
// headless process) registered under the agent's own pid, and judging every implementer's liveness from
// evidence. A dead implementer's locks are released and its task goes back to the board in one transaction.

import { openGit } from '../../git/exec.js';
import { implementerBranch } from '../../git/refs.js';
import { FETCHED_IMPLEMENTER_REFS } from '../../git/remote.js';
import type { Config } from '../config.js';
import { requireExecutable, type LaunchableAgent } from '../launch/agents.js';
import type { Isolation } from '../core/vocabulary.js';
import type { AgentRow } from '../store/rows.js';
import type { WriteTx, TxStep } from '../store/store.js';
import type { AgentService } from './agents.js';
import { processGone, requirePlanner, type Caller, type DomainContext } from './context.js';
import { recordEvent } from './events.js';
import { assertImplementerName } from './git-errors.js';
import { awaitArrival, commitPaths, DEFAULT_ARRIVAL_TIMEOUT_MS, launchedServerEntry, startImplementer } from './implementer-launch.js';
import { readLaunchSettings } from './launch-settings.js';
import type { WorktreeService } from './worktrees.js';

/** Seen (a tool call) or committed within this long: working. */
const WORKING_WINDOW_MS = 2 * 60_000;
/** Silent this long with no process to check (another host): stale. */
const STALE_AFTER_MS = 15 * 60_000;

export type Liveness = 'working' | 'idle' | 'stale' | 'dead';

export interface LaunchRequest {
  type: LaunchableAgent;
  name?: string;
  isolation?: Isolation;
  /** How long to wait for its coordination_init (default: the project's launch setting, else 30 s). */
  arrivalTimeoutSeconds?: number;
}

export interface LaunchedImplementer {
  name: string;
  type: LaunchableAgent;
  pid: number;
  /** tmux: a new window (its id); headless: a detached process writing to logFile. */
  startedIn: { tmuxWindow: string } | { logFile: string };
  worktree?: { path: string; branch: string };
}

export interface ImplementerStatus {
  name: string;
  type: string;
  liveness: Liveness;
  lastSeenAt: number;
  /** The tool of the call that last recorded it as seen. */
  lastTool?: string;
  /** Committer time (epoch ms) of the newest commit on its branch, if it has one. */
  lastCommitAt?: number;
  /** Its task in progress. */
  task?: number;
  /** What this call took back because the implementer is dead. */
  reclaimed?: Reclaimed;
}

export interface Reclaimed {
  /** Lock paths released. */
  locks: string[];
  /** Tasks returned to todo, owner cleared; their branch is kept. */
  tasks: number[];
}

export interface ImplementerOptions {
  /** Where headless implementers' output goes: `<logDir>/<name>.log`. */
  logDir: string;
  env?: NodeJS.ProcessEnv;
  /** Our built entry (dist/cli.js): launched agents start their server with it. */
  cliFile: string;
  /** This server's settings: launched agents' servers get the same store flags. */
  config: Config;
}

export class ImplementerService {
  constructor(
    private readonly context: DomainContext,
    private readonly agents: AgentService,
    private readonly worktrees: Pick<WorktreeService, 'ensure'>,
    private readonly options: ImplementerOptions,
  ) {}

  async launch(caller: Caller, request: LaunchRequest): Promise<LaunchedImplementer> {
    requirePlanner(caller, 'launch implementers');
    // Before requireExecutable, so a bad name is reported first (register, which runs later, checks it as well).
    if (request.name !== undefined) assertImplementerName(request.name);
    const env = this.options.env ?? process.env;
    requireExecutable(request.type, env);
    const settings = await readLaunchSettings(this.options.config.dataDir, caller.project);
    // Registering first refuses a name a live implementer holds before anything is created. The agent
    // will be its own session (the planner's session must not become the implementer's).
    const { agent } = await this.agents.register({ project: caller.project }, { role: 'implementer', name: request.name, type: request.type });
    // After our own registration's agent_joined: only the agent's coordination_init comes later.
    const sinceSeq = await this.context.store.read(caller.project.id, (tx) => tx.max('events', 'seq'));
    let pid = this.context.pid;
    try {
      const worktree = request.isolation === 'worktree' ? await this.worktrees.ensure(caller, agent.id) : undefined;
      const placement = { name: agent.id, type: request.type, cwd: worktree?.path ?? caller.project.root, ...(worktree && { worktree: { path: worktree.path, branch: worktree.branch } }) };
      const paths = await commitPaths(placement.cwd, worktree?.branch);
      const server = launchedServerEntry(this.options.cliFile, this.options.config);
      const started = await startImplementer(placement, paths, settings, { env, logDir: this.options.logDir, server });
      pid = started.pid;
      await this.recordPid(caller, agent.id, pid);
      const timeoutMs = (request.arrivalTimeoutSeconds ?? settings.arrivalTimeoutSeconds ?? 0) * 1000 || DEFAULT_ARRIVAL_TIMEOUT_MS;
      await awaitArrival(this.context, caller.project.id, { name: agent.id, pid, sinceSeq, timeoutMs, startedIn: started.startedIn });
      return { name: agent.id, type: request.type, ...started, ...(placement.worktree && { worktree: placement.worktree }) };
    } catch (error) {
      await this.markGone(caller, agent.id, pid);
      throw error;
    }
  }

  /** Every implementer with its liveness; the dead are swept (locks freed, task back to todo) on the way. */
  async list(caller: Caller): Promise<ImplementerStatus[]> {
    const commits = await lastCommitTimes(caller.project.root);
    const now = this.context.clock.now();
    return this.context.store.write(caller.project.id, function* (this: ImplementerService, tx: WriteTx) {
      const statuses: ImplementerStatus[] = [];
      for (const row of yield* tx.find('agents', { where: { role: 'implementer' }, orderBy: 'registeredAt' })) {
        const liveness = this.livenessOf(row, now, commits.get(row.id));
        const task = (yield* tx.one('tasks', { owner: row.id, status: 'in_progress' }))?.id;
        const status: ImplementerStatus = { name: row.id, type: row.type, liveness, lastSeenAt: row.lastSeenAt };
        if (row.lastTool) status.lastTool = row.lastTool;
        if (commits.has(row.id)) status.lastCommitAt = commits.get(row.id);
        if (liveness === 'dead') {
          const reclaimed = yield* reclaimFromDead(tx, now, row);
          if (reclaimed.locks.length > 0 || reclaimed.tasks.length > 0) status.reclaimed = reclaimed;
        } else if (task !== undefined) status.task = task;
        statuses.push(status);
      }
      return statuses;
    }.bind(this));
  }

  private livenessOf(row: AgentRow, now: number, lastCommitAt: number | undefined): Liveness {
    if (row.status === 'gone' || processGone(this.context, row.host, row.pid)) return 'dead';
    const lastSign = Math.max(row.lastSeenAt, lastCommitAt ?? 0);
    if (now - lastSign <= WORKING_WINDOW_MS) return 'working';
    // Only another host's process cannot be checked; silence is then the only sign it may have died.
    return row.host !== this.context.host && now - lastSign > STALE_AFTER_MS ? 'stale' : 'idle';
  }

  /** The agent process, not this server, is what keeps the implementer alive. */
  private async recordPid(caller: Caller, name: string, pid: number): Promise<void> {
    const now = this.context.clock.now();
    const host = this.context.host;
    await this.context.store.write(caller.project.id, (tx) => tx.update('agents', { id: name }, { pid, host, status: 'active', lastSeenAt: now }));
  }

  /** Only while the row is still ours (this server's pid, or the agent's it recorded): never another's. */
  private async markGone(caller: Caller, name: string, pid: number): Promise<void> {
    const now = this.context.clock.now();
    await this.context.store.write(caller.project.id, function* (tx) {
      if ((yield* tx.update('agents', { id: name, pid }, { status: 'gone' })) > 0) {
        yield* recordEvent(tx, now, { kind: 'agent_gone', actor: null, target: name, data: { reason: 'launch_failed' } });
      }
    });
  }
}

/** Frees what a dead implementer held; its branch and worktree stay, so its work can be resumed or reviewed. */
function* reclaimFromDead(tx: WriteTx, now: number, row: AgentRow): TxStep<Reclaimed> {
  if (row.status === 'active') {
    yield* tx.update('agents', { id: row.id }, { status: 'gone' });
    yield* recordEvent(tx, now, { kind: 'agent_gone', actor: null, target: row.id, data: { reason: 'process_ended' } });
  }
  const locks = yield* tx.find('locks', { where: { owner: row.id, status: 'active' } });
  for (const lock of locks) {
    yield* tx.update('locks', { id: lock.id }, { status: 'resolved', endedAt: now, endReason: 'owner_gone' });
    yield* recordEvent(tx, now, { kind: 'lock_lost', actor: null, target: row.id, subject: lock.path, data: { token: lock.id, reason: 'owner_gone' } });
  }
  const tasks = yield* tx.find('tasks', { where: { owner: row.id, status: 'in_progress' } });
  for (const task of tasks) {
    yield* tx.update('tasks', { id: task.id, owner: row.id, status: 'in_progress' }, { status: 'todo', owner: null, updatedAt: now });
    const data = { fields: ['status', 'owner'], status: 'todo', reason: 'owner_gone', branch: implementerBranch(row.id) };
    yield* recordEvent(tx, now, { kind: 'task_updated', actor: null, target: row.id, subject: task.id, data });
  }
  return { locks: locks.map((lock) => lock.path), tasks: tasks.map((task) => task.id) };
}

/**
 * Newest commit time per implementer, in one git call: its local branch, or what it pushed from another
 * machine as last fetched (refs/lockstep-remote/), whichever is newer; empty outside git.
 */
async function lastCommitTimes(root: string): Promise<Map<string, number>> {
  const local = `refs/heads/${implementerBranch('')}`;
  try {
    const { stdout } = await openGit(root).run(['for-each-ref', '--format=%(refname) %(committerdate:unix)', local, FETCHED_IMPLEMENTER_REFS], { readOnly: true });
    const times = new Map<string, number>();
    for (const [ref, seconds] of stdout.split('\n').filter(Boolean).map((line) => line.split(' '))) {
      const name = ref!.slice((ref!.startsWith(local) ? local : FETCHED_IMPLEMENTER_REFS).length);
      times.set(name, Math.max(times.get(name) ?? 0, Number(seconds) * 1000));
    }
    return times;
  } catch {
    return new Map();
  }
}
