// What the `tmux` and `macos` launchers start: a planner, an implementer and optionally the dashboard,
// each with its command, directory and starting prompt. Pure, so both launchers start the same thing.

import { basename } from 'node:path';
import { implementerOptions, type AccessExtensions, type CommitPaths, type ServerEntry } from './agent-access.js';
import { implementerPrompt, interactiveArgv, plannerPrompt } from './agents.js';

export interface LaunchProgram {
  title: string;
  cwd: string;
  argv: string[];
  env: Record<string, string>;
}

export interface SessionPlanInput {
  repo: string;
  planner: string[];
  implementer: string[];
  /** Absent: no dashboard. */
  dashboard?: string[];
  /** False: the agents start without a first message (`--no-prompts`). */
  prompts: boolean;
  /** The implementer's own worktree and what it needs there; absent: it starts in the repository. */
  implementerPlace?: ImplementerPlace;
}

export interface ImplementerPlace {
  name: string;
  worktree: { path: string; branch: string };
  paths: CommitPaths;
  server: ServerEntry;
  extensions: AccessExtensions;
}

export function sessionPrograms(input: SessionPlanInput): LaunchProgram[] {
  const { repo, prompts } = input;
  const programs: LaunchProgram[] = [
    {
      title: 'planner',
      cwd: repo,
      argv: interactiveArgv(input.planner, prompts ? plannerPrompt(agentType(input.planner)) : undefined),
      env: { LOCKSTEP_AGENT_ROLE: 'planner' },
    },
    implementerProgram(input),
  ];
  if (input.dashboard) programs.push({ title: 'dashboard', cwd: repo, argv: input.dashboard, env: {} });
  return programs;
}

/** The coordination_init type an agent should give: known CLIs by program name, anything else "other". */
function agentType(command: readonly string[]): string {
  const program = basename(command[0] ?? '');
  return program === 'claude' || program === 'codex' ? program : 'other';
}

/**
 * In its worktree, a known CLI gets the access and server a launched implementer gets (agent-access.ts)
 * after the user's own words; any other command runs there as given.
 */
function implementerProgram(input: SessionPlanInput): LaunchProgram {
  const type = agentType(input.implementer);
  const place = input.implementerPlace;
  const prompt = input.prompts ? implementerPrompt({ type, ...(place && { name: place.name, worktree: place.worktree }) }) : undefined;
  if (!place) return { title: 'implementer', cwd: input.repo, argv: interactiveArgv(input.implementer, prompt), env: { LOCKSTEP_AGENT_ROLE: 'implementer' } };
  const options = type === 'claude' || type === 'codex' ? implementerOptions({ type, ...place }) : [];
  return {
    title: 'implementer',
    cwd: place.worktree.path,
    argv: interactiveArgv([...input.implementer, ...options], prompt),
    env: { LOCKSTEP_AGENT_ROLE: 'implementer', LOCKSTEP_AGENT_NAME: place.name },
  };
}
