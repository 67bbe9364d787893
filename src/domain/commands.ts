// Running programs for agents without a shell (command_run, tool_install) and the agent's own log
// (log_append). Policy decides what may run and where; this file runs it and bounds time and output.

import { appendFile, mkdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { tokenize } from '../policy/argv.js';
import { checkEnv, checkExecutable, checkNoShellSyntax, installArgv } from '../policy/commands.js';
import { isGit } from '../policy/git-argv.js';
import { resolvePath } from '../policy/paths.js';
import type { Json } from '../core/vocabulary.js';
import type { Caller, DomainContext } from './context.js';
import { DomainError } from '../core/errors.js';
import { agentGitInvocation } from './agent-git.js';
import { recordEvent } from './events.js';
import { spawnGuarded } from './process-guard.js';
import { pathPolicyFor } from './worktree-settings.js';

export const DEFAULT_TIMEOUT_MS = 60_000;
export const MAX_TIMEOUT_MS = 30 * 60_000;
export const DEFAULT_OUTPUT_BYTES = 64 * 1024;
export const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;
const MAX_LOG_PAYLOAD_BYTES = 16 * 1024;

interface RunLimits {
  cwd?: string;
  timeoutMs?: number;
  env?: Record<string, string>;
}

export interface RunRequest extends RunLimits {
  command: string;
  maxOutputBytes?: number;
}

export interface InstallRequest extends RunLimits {
  manager: string;
  args?: string[];
}

export interface RunResult {
  /** null when the process was ended by a signal. */
  exitCode: number | null;
  signal?: string;
  timedOut?: true;
  durationMs: number;
  stdout: string;
  stderr: string;
  /** Output was longer than maxOutputBytes: stdout and stderr hold its tail. */
  truncated?: true;
}

export class CommandService {
  constructor(
    private readonly context: DomainContext,
    private readonly config: Config,
  ) {}

  /** Splits `command` into argv (never a shell) and runs it, killing its whole process group on timeout. */
  async run(caller: Caller, request: RunRequest): Promise<RunResult> {
    const parsed = tokenize(request.command);
    if (parsed.argv.length === 0) throw new DomainError('INVALID_INPUT', 'the command is empty', 'Pass a program and its arguments.');
    checkNoShellSyntax(parsed, this.config);
    return this.execute(caller, parsed.argv, request, request.maxOutputBytes);
  }

  /** Installs packages with a known manager; every arg stays one argv item. */
  async install(caller: Caller, request: InstallRequest): Promise<RunResult & { argv: string[] }> {
    const argv = installArgv(request.manager, request.args ?? []);
    return { argv, ...(await this.execute(caller, argv, request)) };
  }

  /** Records an agent's own event in the event log and in <logDir>/events.log. */
  async log(caller: Caller, event: string, payload: Record<string, Json> = {}): Promise<{ seq: number }> {
    if (Buffer.byteLength(JSON.stringify(payload)) > MAX_LOG_PAYLOAD_BYTES) {
      throw new DomainError('INVALID_INPUT', `payload is larger than ${MAX_LOG_PAYLOAD_BYTES} bytes`, 'Log a summary; put large data in an artifact (artifact_write).');
    }
    const actor = caller.agent?.name ?? null;
    const at = this.context.clock.now();
    const seq = await this.context.store.write(caller.project.id, (tx) =>
      recordEvent(tx, at, { kind: 'agent_log', actor, data: { event, payload } }),
    );
    const line = { at: new Date(at).toISOString(), project: caller.project.id, seq, actor, event, payload };
    await mkdir(this.config.logDir, { recursive: true });
    await appendFile(join(this.config.logDir, 'events.log'), `${JSON.stringify(line)}\n`);
    return { seq };
  }

  private async execute(caller: Caller, argv: string[], limits: RunLimits, maxOutputBytes?: number): Promise<RunResult> {
    checkExecutable(argv[0]!, this.config);
    const env = checkEnv(limits.env ?? {}, this.config);
    const cwd = await this.resolveCwd(caller, limits.cwd);
    const run =
      this.config.commandMode === 'allowlist' && isGit(argv[0]!) ? await agentGitInvocation(argv, cwd, env) : { argv, env: { ...process.env, ...env } };
    return runProcess(run.argv, {
      cwd,
      env: run.env,
      timeoutMs: Math.min(limits.timeoutMs ?? DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS),
      maxOutputBytes: Math.min(maxOutputBytes ?? DEFAULT_OUTPUT_BYTES, MAX_OUTPUT_BYTES),
    });
  }

  private async resolveCwd(caller: Caller, given: string | undefined): Promise<string> {
    const root = await realpath(caller.project.root);
    const cwd = await resolvePath(given ?? '.', root, await pathPolicyFor(this.config, caller.project));
    // Checked here because spawn reports a missing cwd as a missing executable.
    const info = await stat(cwd).catch(() => undefined);
    if (!info?.isDirectory()) {
      throw new DomainError('PATH_NOT_FOUND', `cwd ${given} is not an existing directory`, 'Pass an existing directory (relative paths start at the project root), or omit cwd.');
    }
    return cwd;
  }
}

interface ProcessOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  maxOutputBytes: number;
}

export function runProcess(argv: string[], options: ProcessOptions): Promise<RunResult> {
  const started = performance.now();
  const { child, finished } = spawnGuarded(argv, options);
  const stdout = new OutputTail(options.maxOutputBytes);
  const stderr = new OutputTail(options.maxOutputBytes);
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid);
  }, options.timeoutMs);
  return finished.finally(() => clearTimeout(timer)).then(({ report, exitCode, signal }) => {
    if (report && 'error' in report) throw spawnError(report.error, argv[0]!);
    // Without a report the guard was killed with its group (the timeout): its own end is the answer.
    const ended = report ?? { exitCode, signal };
    return {
      exitCode: ended.exitCode,
      ...(ended.signal && { signal: ended.signal }),
      ...(timedOut && { timedOut: true as const }),
      durationMs: Math.round(performance.now() - started),
      ...shareOutput(stdout, stderr, options.maxOutputBytes),
    };
  });
}

function killGroup(pid: number | undefined): void {
  try {
    if (pid !== undefined) process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone.
  }
}

function spawnError(error: { code?: string; message: string }, executable: string): DomainError {
  if (error.code === 'ENOENT') {
    return new DomainError('COMMAND_FAILED', `the program "${executable}" was not found`, 'Check the name (it is looked up on PATH), or install it with tool_install.', { executable });
  }
  if (error.code === 'EACCES') {
    return new DomainError('COMMAND_FAILED', `"${executable}" is not executable`, 'Run a program file that has execute permission.', { executable });
  }
  return new DomainError('COMMAND_FAILED', `"${executable}" could not be started: ${error.message}`, 'Check the command and try again.', { executable });
}

/** Keeps the last `cap` bytes of a stream: the end of a build log says what went wrong. */
class OutputTail {
  private chunks: Buffer[] = [];
  size = 0;
  dropped = false;

  constructor(private readonly cap: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.chunks.length > 1 && this.size - this.chunks[0]!.length >= this.cap) {
      this.size -= this.chunks.shift()!.length;
      this.dropped = true;
    }
  }

  tail(keep: number): string {
    return utf8Tail(Buffer.concat(this.chunks), keep);
  }
}

/** The last `keep` bytes as text, starting on a whole UTF-8 character. */
export function utf8Tail(bytes: Buffer, keep: number): string {
  let start = Math.max(0, bytes.length - keep);
  while (start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start++;
  return bytes.subarray(start).toString('utf8');
}

/** Splits the byte budget between stdout and stderr: each gets at least half if it needs it. */
function shareOutput(stdout: OutputTail, stderr: OutputTail, cap: number): Pick<RunResult, 'stdout' | 'stderr' | 'truncated'> {
  const errKeep = Math.min(stderr.size, cap - Math.min(stdout.size, Math.floor(cap / 2)));
  const outKeep = Math.min(stdout.size, cap - errKeep);
  const truncated = stdout.dropped || stderr.dropped || outKeep < stdout.size || errKeep < stderr.size;
  return { stdout: stdout.tail(outKeep), stderr: stderr.tail(errKeep), ...(truncated && { truncated: true as const }) };
}
