// Why a launched agent never arrived, read from the end of its log: the CLIs' own words for the usual
// causes, turned into one likely cause and what the human should do about it.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export type LaunchFailureCause = 'not_logged_in' | 'untrusted_directory' | 'lockstep_tools_missing' | 'timed_out' | 'exited';

interface CauseRule {
  cause: LaunchFailureCause;
  pattern: RegExp;
  next: string;
}

const RULES: readonly CauseRule[] = [
  {
    cause: 'not_logged_in',
    pattern: /not logged in|\/login|invalid api key|authentication_error|unauthorized|\b401\b|missing environment variable|api key/i,
    next: 'Log that CLI in (run it once by hand in a terminal), or pass its key through launch.env in .lockstep/config.json.',
  },
  {
    cause: 'untrusted_directory',
    pattern: /not inside a trusted directory|skip-git-repo-check|do you trust/i,
    next: 'Codex runs only in a git repository: launch inside the project repository.',
  },
  {
    cause: 'lockstep_tools_missing',
    // Claude's init event ("name":"lockstep","status":"failed"), Codex's startup error, either's refusal of the call.
    pattern: /"name":"lockstep","status":"(failed|needs-auth)"|mcp client for `?lockstep`? failed|no such tool available|unsupported call/i,
    next: 'The agent could not reach the lockstep tools: run `lockstep-mcp status` to check the server starts from this directory.',
  },
];

export interface LaunchFailure {
  cause: LaunchFailureCause;
  next: string;
}

/** The likely cause; an agent that ended quietly without joining most often had no lockstep tools. */
export function diagnoseLaunch(logTail: string, exited: boolean): LaunchFailure {
  const rule = RULES.find((candidate) => candidate.pattern.test(logTail));
  if (rule) return { cause: rule.cause, next: rule.next };
  if (!exited) return { cause: 'timed_out', next: 'It was stopped. Read its log; retry with a larger arrivalTimeoutSeconds if it is only slow.' };
  return { cause: 'exited', next: 'Read the log tail: the agent ended before calling coordination_init.' };
}

/** The last `bytes` of a file as text ('' when it is missing): enough to see a CLI's final error. */
export function logTail(file: string, bytes = 2_000): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return '';
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8').trim();
  } finally {
    closeSync(fd);
  }
}
