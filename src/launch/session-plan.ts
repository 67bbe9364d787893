// What the `tmux` and `macos` launchers start: a planner, an implementer and optionally the dashboard,
// each with its command, directory and starting prompt. Pure, so both launchers start the same thing.

import { basename } from 'node:path';
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
    {
      title: 'implementer',
      cwd: repo,
      argv: interactiveArgv(input.implementer, prompts ? implementerPrompt({ type: agentType(input.implementer) }) : undefined),
      env: { LOCKSTEP_AGENT_ROLE: 'implementer' },
    },
  ];
  if (input.dashboard) programs.push({ title: 'dashboard', cwd: repo, argv: input.dashboard, env: {} });
  return programs;
}

/** The coordination_init type an agent should give: known CLIs by program name, anything else "other". */
function agentType(command: readonly string[]): string {
  const program = basename(command[0] ?? '');
  return program === 'claude' || program === 'codex' ? program : 'other';
}
