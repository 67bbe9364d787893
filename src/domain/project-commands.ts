// Runs the commands a project's config names (verify, gate) in a directory the server chose itself:
// same command policy and runner as command_run, no shell, with a generous timeout and a short log tail.

import type { Config } from '../config.js';
import { tokenize } from '../policy/argv.js';
import { checkExecutable, checkNoShellSyntax } from '../policy/commands.js';
import { MAX_TIMEOUT_MS, runProcess, utf8Tail } from './commands.js';
import { DomainError } from '../core/errors.js';

export interface ProjectCommandResult {
  /** null when the process was ended by a signal (or its timeout). */
  exitCode: number | null;
  durationMs: number;
  /** The end of stdout and stderr: where a build or test run says what failed. */
  logTail: string;
}

const LOG_TAIL_BYTES = 4 * 1024;
/** Output kept while it runs; only its tail is reported. */
const OUTPUT_BYTES = 64 * 1024;

/** `cwd` must come from the server (a worktree or a landing checkout), never from an agent. */
export async function runProjectCommand(
  config: Pick<Config, 'commandMode' | 'commandAllow'>,
  command: string,
  cwd: string,
): Promise<ProjectCommandResult> {
  const parsed = tokenize(command);
  if (parsed.argv.length === 0) {
    throw new DomainError('INVALID_INPUT', 'the configured command is empty', 'Fix the command in .lockstep/config.json.');
  }
  checkNoShellSyntax(parsed, config);
  checkExecutable(parsed.argv[0]!, config);
  const result = await runProcess(parsed.argv, { cwd, env: process.env, timeoutMs: MAX_TIMEOUT_MS, maxOutputBytes: OUTPUT_BYTES });
  const log = [result.stdout, result.stderr].filter((text) => text.length > 0).join('\n');
  const timedOut = result.timedOut ? `\n[timed out after ${MAX_TIMEOUT_MS} ms]` : '';
  return { exitCode: result.exitCode, durationMs: result.durationMs, logTail: utf8Tail(Buffer.from(log, 'utf8'), LOG_TAIL_BYTES) + timedOut };
}
