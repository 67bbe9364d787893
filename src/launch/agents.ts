// How the agent CLIs are started: which program, how it receives its starting prompt (as the CLI's
// prompt argument, so no keystrokes are typed into a terminal), and what that prompt says.

import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { DomainError } from '../core/errors.js';
import { tokenize } from '../policy/argv.js';

export const LAUNCHABLE_AGENTS = ['claude', 'codex'] as const;
export type LaunchableAgent = (typeof LAUNCHABLE_AGENTS)[number];

/** An interactive agent in a terminal: both CLIs take the first message as their last argument. */
export function interactiveArgv(command: readonly string[], prompt?: string): string[] {
  return prompt === undefined ? [...command] : [...command, prompt];
}

/** The absolute path `program` runs as under this PATH, or undefined: the check a shell would make. */
export function findExecutable(program: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = program.includes('/') ? [program] : (env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, program));
  return candidates.find(isExecutableFile);
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Fails with PROGRAM_NOT_FOUND unless argv[0] can be started; checked before anything is created. */
export function requireExecutable(program: string, env: NodeJS.ProcessEnv = process.env): string {
  const found = findExecutable(program, env);
  if (!found) {
    throw new DomainError(
      'PROGRAM_NOT_FOUND',
      `"${program}" is not installed or not on PATH`,
      'Install it, or put it on the PATH of the process that runs lockstep-mcp.',
      { program },
    );
  }
  return found;
}

/** A command given as one string (`--planner-command "claude --model opus"`), split like sh would. */
export function parseCommand(text: string, flag: string): string[] {
  const { argv, operators } = tokenize(text);
  if (argv.length === 0 || operators.length > 0) {
    throw new DomainError(
      'INVALID_INPUT',
      `${flag} must be a program and its arguments${operators.length > 0 ? `, without shell operators (${operators.join(' ')})` : ''}`,
      `Give ${flag} a plain command such as "claude --model opus".`,
    );
  }
  return argv;
}

export interface ImplementerPromptInput {
  name?: string;
  type: string;
  worktree?: { path: string; branch: string };
}

const LOOP =
  'Then follow the loop its guidance gives: take a task (task_wait, task_claim), lock shared files before editing them, ' +
  'submit finished work for review, act on every "pending" block, and continue until the project is stopped or complete.';

export function plannerPrompt(type: string): string {
  return (
    'You are the planner of this project, coordinated through the lockstep MCP server. Start by calling the tool ' +
    `coordination_init with role "planner" and type "${type}", then follow the guidance it returns.`
  );
}

export function implementerPrompt({ name, type, worktree }: ImplementerPromptInput): string {
  const who = name ? `an implementer named "${name}"` : 'an implementer';
  const init = `coordination_init with role "implementer"${name ? `, name "${name}"` : ''} and type "${type}"`;
  const where = worktree
    ? ` Work only inside your worktree ${worktree.path} (branch ${worktree.branch}), your working directory: edit there and commit with plain git (git add, git commit) before task_submit_for_review.`
    : ' Commit finished work with plain git (git add, git commit) before task_submit_for_review.';
  return `You are ${who} in this project, coordinated through the lockstep MCP server. Start by calling the tool ${init}.${where} ${LOOP}`;
}
