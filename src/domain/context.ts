// What every domain service is built from: the store, the clock and facts about this process.
// Tests swap the clock; everything else is real.

import type { Store } from '../store/store.js';
import { DomainError } from '../core/errors.js';
import type { AgentRole } from '../core/vocabulary.js';

export interface Clock {
  now(): number;
}

export interface DomainSettings {
  /** How long a lock lives without any activity from its owner. */
  lockLeaseMs: number;
  /** Where artifact_* files live (one folder per project below it). */
  artifactsDir: string;
}

export interface DomainContext {
  store: Store;
  clock: Clock;
  host: string;
  pid: number;
  isPidAlive(pid: number): boolean;
  /** Ids of the client sessions this process serves right now (a stdio server: one). */
  openSessions: Set<string>;
  settings: DomainSettings;
}

/** The project a call acts on: the main repository of the caller's directory. */
export interface Project {
  /** Store key: the main working tree's real path (or the directory itself outside git). */
  id: string;
  root: string;
}

/**
 * One client connection (one MCP server instance; a stdio server serves exactly one, so for real
 * clients a session is a process). It keeps the role it first registered with, and separation of
 * duties compares sessions, so a new name does not make a new person.
 */
export interface ClientSession {
  readonly id: string;
  role?: AgentRole;
  /** The access token a remote (HTTP) session proved: it may register only as that name and role. */
  readonly credential?: Credential;
}

/** What an access token proves (tokens.ts): one name and one role, and maybe the only projects it may use. */
export interface Credential {
  name: string;
  role: AgentRole;
  /** Project ids or shared-remote URLs (served-projects.ts); absent or empty: any project. */
  projects?: string[];
}

/** Who is calling: the project, the agent bound to this session by coordination_init, and the session. */
export interface Caller {
  project: Project;
  agent?: { name: string; role: AgentRole };
  /** Absent for a human at the CLI and for domain-level callers. */
  session?: ClientSession;
}

/**
 * Whether the process `pid` on `host` has ended. Only a process on this host can be checked; elsewhere
 * (or with no pid recorded) absence of proof counts as alive.
 */
export function processGone(context: Pick<DomainContext, 'host' | 'isPidAlive'>, host: string | null, pid: number | null): boolean {
  return host === context.host && pid !== null && !context.isPidAlive(pid);
}

/**
 * The name an action is taken under: always the identity bound to this session. An argument naming
 * the actor (owner, author, decidedBy, agent) may only restate it: a name is a claim, not a proof.
 * @param role names the parameter in the error ("owner", "author", "agent")
 */
export function actingAs(caller: Caller, given: string | undefined, role = 'owner'): string {
  const name = caller.agent?.name;
  if (!name) {
    throw new DomainError(
      'IDENTITY_REQUIRED',
      `this session has no identity${given === undefined ? '' : `, so it cannot act as ${role} "${given}"`}`,
      'Call coordination_init with your role first.',
    );
  }
  if (given !== undefined && given !== name) {
    throw new DomainError(
      'IDENTITY_MISMATCH',
      `${role} "${given}" is not you: this session acts as ${name}`,
      `Omit ${role}; you act as ${name}.`,
      { [role]: given, actingAs: name },
    );
  }
  return name;
}

/** Refuses unless the session is a planner: the reviewer role. */
export function requirePlanner(caller: Caller, action: string): string {
  if (caller.agent?.role !== 'planner') {
    throw new DomainError(
      'ROLE_FORBIDDEN',
      `only a planner may ${action}${caller.agent ? `; you are ${caller.agent.name} (${caller.agent.role})` : ''}`,
      caller.agent ? 'Ask the planner (note_append or discussion_start).' : 'Call coordination_init with role "planner" first.',
    );
  }
  return caller.agent.name;
}
