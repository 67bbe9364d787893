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
  settings: DomainSettings;
}

/** The project a call acts on: the main repository of the caller's directory. */
export interface Project {
  /** Store key: the main working tree's real path (or the directory itself outside git). */
  id: string;
  root: string;
}

/** Who is calling: the project, and the agent bound to this session by coordination_init, if any. */
export interface Caller {
  project: Project;
  agent?: { name: string; role: AgentRole };
}

/**
 * Whether the process `pid` on `host` has ended. Only a process on this host can be checked; elsewhere
 * (or with no pid recorded) absence of proof counts as alive.
 */
export function processGone(context: Pick<DomainContext, 'host' | 'isPidAlive'>, host: string | null, pid: number | null): boolean {
  return host === context.host && pid !== null && !context.isPidAlive(pid);
}

/**
 * The name an action is taken under: the one the agent gave, else the identity bound to this session.
 * @param role names the parameter in the error ("owner", "author", "agent")
 */
export function actingAs(caller: Caller, given: string | undefined, role = 'owner'): string {
  const name = given ?? caller.agent?.name;
  if (!name) {
    throw new DomainError(
      'IDENTITY_REQUIRED',
      `no ${role} given and this session has no identity`,
      `Call coordination_init with your role first, or pass ${role}.`,
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
