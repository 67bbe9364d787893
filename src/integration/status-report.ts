// Everything `lockstep-mcp status` reports, gathered without changing anything: which clients have our
// server configured and whether that command really answers, and the current project's coordination
// state read from the same store the server would use.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openGit } from '../../git/exec.js';
import { lockstepWorktrees } from '../../git/worktree-list.js';
import { shownStoreLocation, type Config } from '../config.js';
import { createApp } from '../domain/app.js';
import { processGone } from '../domain/context.js';
import { loadServedProject } from '../domain/served-projects.js';
import { readProjectConfig } from '../domain/project-config.js';
import { TASK_STATUSES, type ProjectStatus, type TaskStatus } from '../core/vocabulary.js';
import { hasInstructions, INSTRUCTION_FILES } from './agent-instructions.js';
import type { ClientName, ConfigTarget, Scope } from './client-config.js';
import { readConfigText } from './config-file.js';
import { probeServer, type ProbeOptions, type RemoteFailure } from './probe.js';
import type { RemoteServer } from './remote-server.js';
import { isRemote, type ServerCommand } from './server-entry.js';
import { everyTarget, type Locations } from './targets.js';

export interface ClientReport {
  client: ClientName;
  scope: Scope;
  file: string;
  installed: boolean;
  command?: ServerCommand;
  /** A remote entry: the URL and the token variable's name (never the token). */
  remote?: RemoteServer;
  /** Whether the configured command started, or the remote server was reached, and answered tools/list. */
  answers?: boolean;
  tools?: number;
  error?: string;
  /** Why a remote entry does not answer. */
  reason?: RemoteFailure;
}

export interface ProjectReport {
  /** Also the project id remote agents name at coordination_init (`project`). */
  root: string;
  /** Shared-remote URLs remote agents may name it by instead. */
  remotes: string[];
  enabled: boolean;
  /** The instruction files that hold our block. */
  instructions: string[];
  status: ProjectStatus;
  tasks: Record<TaskStatus, number>;
  liveImplementers: string[];
  locks: number;
  /** Implementer worktrees (branches lockstep/*). */
  worktrees: number;
  error?: string;
}

export interface StoreReport {
  backend: Config['storage'];
  path: string;
  exists: boolean;
  error?: string;
}

export interface StatusReport {
  /** False when something is broken: a configured command that does not answer, an unreadable file. */
  ok: boolean;
  clients: ClientReport[];
  project: ProjectReport;
  store: StoreReport;
}

export async function collectStatus(locations: Locations, config: Config, probeOptions: Omit<ProbeOptions, 'cwd'> = {}): Promise<StatusReport> {
  const probe = { ...probeOptions, cwd: locations.projectRoot };
  const [clients, project] = await Promise.all([
    Promise.all(everyTarget(locations).map((target) => clientReport(target, probe))),
    projectReport(locations.projectRoot),
  ]);
  // A database is asked, not looked for; its URL is shown without the password.
  const store: StoreReport =
    config.storage === 'postgres'
      ? { backend: config.storage, path: shownStoreLocation(config), exists: true }
      : { backend: config.storage, path: config.dbPath, exists: existsSync(config.dbPath) };
  if (store.exists) {
    try {
      Object.assign(project, await coordinationState(config, locations.projectRoot));
    } catch (error) {
      store.error = (error as Error).message;
    }
  }
  const ok = clients.every((client) => !client.error) && !project.error && !store.error;
  return { ok, clients, project, store };
}

async function clientReport(target: ConfigTarget, probe: ProbeOptions): Promise<ClientReport> {
  const report: ClientReport = { client: target.client, scope: target.scope, file: target.file, installed: false };
  try {
    const text = await readConfigText(target.file);
    const entry = text === undefined ? undefined : target.format.read(text, target.file);
    if (!entry) return report;
    const answer = await probeServer(entry, probe);
    return {
      ...report,
      installed: true,
      ...(isRemote(entry) ? { remote: entry } : { command: entry }),
      answers: answer.ok,
      ...(answer.ok ? { tools: answer.tools } : { error: answer.error, ...(answer.reason ? { reason: answer.reason } : {}) }),
    };
  } catch (error) {
    return { ...report, error: (error as Error).message };
  }
}

async function projectReport(root: string): Promise<ProjectReport> {
  const report: ProjectReport = {
    root,
    remotes: await loadServedProject(root).then((project) => project.remotes, () => []),
    enabled: true,
    instructions: [],
    status: 'planning',
    tasks: Object.fromEntries(TASK_STATUSES.map((status) => [status, 0])) as Record<TaskStatus, number>,
    liveImplementers: [],
    locks: 0,
    worktrees: await lockstepWorktrees(openGit(root)).then((list) => list.length, () => 0),
  };
  try {
    report.enabled = (await readProjectConfig(root)).enabled !== false;
    for (const name of INSTRUCTION_FILES) {
      const text = await readFile(join(root, name), 'utf8').catch(() => '');
      if (hasInstructions(text, name)) report.instructions.push(name);
    }
  } catch (error) {
    report.error = (error as Error).message;
  }
  return report;
}

/** Read-only: the counts come from read transactions, so status never sweeps or renews anything. */
async function coordinationState(config: Config, root: string): Promise<Partial<ProjectReport>> {
  const app = await createApp(config);
  const caller = { project: { id: root, root } };
  try {
    const summary = await app.tasks.summary(caller);
    const implementers = await app.agents.listImplementers(caller);
    const now = Date.now();
    const active = await app.context.store.read(root, (tx) => tx.find('locks', { where: { status: 'active', expiresAt: { gt: now } } }));
    // As the lock service judges it: a lock whose owning process on this host has ended is not held.
    const locks = active.filter((lock) => !processGone(app.context, lock.ownerHost, lock.ownerPid)).length;
    return {
      status: summary.projectStatus,
      tasks: summary.counts,
      liveImplementers: implementers.filter((implementer) => implementer.status === 'active').map((implementer) => implementer.name),
      locks,
    };
  } finally {
    app.close();
  }
}
