// The one way the git manager runs git: argv arrays through simple-git in a hermetic environment, with
// the real exit code reported and transient `.lock` contention retried instead of surfacing as failure.
// Every command runs with the repository's program settings disarmed (hardening.ts), and a linked
// worktree is used only after its gitdir pointer is checked (gitdir.ts).

import type { GitError } from 'simple-git';
import { verifyWorktreePointer } from './gitdir.js';
import { mayRunConfiguredPrograms, NEUTRAL_GLOBAL_ARGS, neutralEnvironment, overridesFor, PROGRAM_SETTINGS_QUERY, readFlagsFor, subcommandOf, type Setting } from './hardening.js';

export interface GitResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export class GitCommandError extends Error {
  constructor(
    readonly args: string[],
    readonly exitCode: number,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    const detail = stderr.trim().split('\n')[0] || stdout.trim().split('\n')[0] || 'no output';
    super(`git ${args.join(' ')} exited with ${exitCode}: ${detail}`);
    this.name = 'GitCommandError';
  }
}

export interface RunOptions {
  /** Exit codes that count as success; default [0]. Any other throws GitCommandError. */
  okExitCodes?: number[];
  /** Extra environment, e.g. GIT_INDEX_FILE for a temporary index. */
  env?: Record<string, string>;
  /** Adds GIT_OPTIONAL_LOCKS=0 so reads never take the index lock from under a writer. */
  readOnly?: boolean;
  /** Default false: -z output must keep its NULs and trailing bytes. */
  trim?: boolean;
}

export interface Git {
  /** Working directory of every command. */
  readonly dir: string;
  run(args: readonly string[], options?: RunOptions): Promise<GitResult>;
  /** Same settings, another working directory (a linked worktree). */
  at(dir: string): Git;
}

export function openGit(dir: string): Git {
  let commonDir: Promise<string> | undefined;
  // Asked once, when the first worktree is visited: the repository every worktree must belong to.
  const common = () =>
    (commonDir ??= runWithLockRetry(dir, ['rev-parse', '--path-format=absolute', '--git-common-dir'], { readOnly: true, trim: true }).then(
      (result) => result.stdout,
    ));
  return gitIn(dir, () => Promise.resolve(), common);
}

/** A Git for `dir`; `before` runs ahead of each command (for a worktree: its pointer check, once). */
function gitIn(dir: string, before: () => Promise<void>, common: () => Promise<string>): Git {
  return {
    dir,
    run: async (args, options = {}) => {
      await before();
      return runWithLockRetry(dir, args, options);
    },
    at: (other) => {
      let verified: Promise<void> | undefined;
      return gitIn(other, () => (verified ??= common().then((commonDir) => verifyWorktreePointer(other, commonDir))), common);
    },
  };
}

/** Exit code reported when simple-git refused the arguments and git never started. */
export const REFUSED_BEFORE_SPAWN = -1;

// Only another process holding a lock file; a ref whose compare-and-swap failed ("cannot lock ref …
// expected …") is a real answer and must not be retried.
const LOCK_CONTENTION = /\.lock'?: File exists|Unable to create '[^']*\.lock'|could not lock config file/i;
const LOCK_RETRY_BUDGET_MS = 2_000;
const FIRST_BACKOFF_MS = 25;

async function runWithLockRetry(dir: string, args: readonly string[], options: RunOptions): Promise<GitResult> {
  const okExitCodes = options.okExitCodes ?? [0];
  const deadline = Date.now() + LOCK_RETRY_BUDGET_MS;
  for (let backoff = FIRST_BACKOFF_MS; ; backoff = Math.min(backoff * 2, 400)) {
    const result = await runOnce(dir, args, options);
    if (okExitCodes.includes(result.exitCode)) return result;
    const contended = LOCK_CONTENTION.test(result.stderr);
    // Jitter keeps several servers that collided on the same lock from retrying in lockstep again.
    const wait = backoff / 2 + Math.random() * backoff;
    if (!contended || Date.now() + wait > deadline) {
      throw new GitCommandError([...args], result.exitCode, result.stdout, result.stderr);
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

type SimpleGitModule = typeof import('simple-git');
type ProcessOutcome = GitError & { result: GitResult };

interface SimpleGitBinding {
  simpleGit: SimpleGitModule['simpleGit'];
  GitPluginError: SimpleGitModule['GitPluginError'];
  ProcessOutcome: new (result: GitResult) => ProcessOutcome;
}

let binding: Promise<SimpleGitBinding> | undefined;

/** simple-git loads with the first git command, so a server that never touches git never pays for it. */
function loadSimpleGit(): Promise<SimpleGitBinding> {
  binding ??= import('simple-git').then(({ simpleGit, GitError, GitPluginError }) => {
    /**
     * Carries the finished process's outcome out of simple-git, whose raw() drops stderr and exit codes.
     * It extends simple-git's GitError because simple-git re-wraps any other error type and loses it.
     */
    class Outcome extends GitError {
      constructor(readonly result: GitResult) {
        super(undefined, 'git process outcome');
      }
    }
    return { simpleGit, GitPluginError, ProcessOutcome: Outcome };
  });
  return binding;
}

/**
 * Listings running per directory. Commands asked for while one runs (a forecast's parallel merge-trees)
 * share it: it began moments before them, so it leaves a planted setting no more time to slip in than
 * a listing of their own, which also runs before its command, would.
 */
const listingsInFlight = new Map<string, Promise<readonly Setting[]>>();

/** The repository's own program settings, disarmed; skipped for commands that can run none. */
function programOverrides(dir: string, args: readonly string[]): Promise<readonly Setting[]> {
  if (!mayRunConfiguredPrograms(args)) return Promise.resolve([]);
  let listing = listingsInFlight.get(dir);
  if (listing === undefined) {
    listing = runOnce(dir, PROGRAM_SETTINGS_QUERY, { readOnly: true })
      .then((result) => (result.exitCode === 0 ? overridesFor(result.stdout) : []))
      .finally(() => listingsInFlight.delete(dir));
    listingsInFlight.set(dir, listing);
  }
  return listing;
}

/** Exported for the agent's allow-listed git: the environment and argv our own git runs with. */
export async function hardenedInvocation(dir: string, args: readonly string[]): Promise<{ args: string[]; env: Record<string, string> }> {
  const env = neutralEnvironment(await programOverrides(dir, args));
  const subcommand = subcommandOf(args);
  const at = subcommand === undefined ? args.length : args.indexOf(subcommand) + 1;
  return { args: [...NEUTRAL_GLOBAL_ARGS, ...args.slice(0, at), ...readFlagsFor(subcommand ?? ''), ...args.slice(at)], env };
}

/** simple-git refuses these settings unless told: here they are ours, the values that disarm. */
const OUR_SETTINGS_ARE_SAFE = Object.fromEntries(
  ['ConfigEnvCount', 'HooksPath', 'FsMonitor', 'Pager', 'Editor', 'ProtocolOverride', 'GpgProgram', 'Filter', 'DiffTextConv',
    'DiffExternal', 'MergeDriver', 'CredentialHelper', 'SshCommand', 'AskPass', 'GitProxy'].map((name) => [`allowUnsafe${name}`, true]),
);

async function runOnce(dir: string, args: readonly string[], options: RunOptions): Promise<GitResult> {
  const { simpleGit, GitPluginError, ProcessOutcome } = await loadSimpleGit();
  const hardened = await hardenedInvocation(dir, args);
  const env = { ...commandEnvironment(options), ...hardened.env };
  const git = simpleGit({
    baseDir: dir,
    trimmed: false,
    unsafe: OUR_SETTINGS_ARE_SAFE,
    allowEnvironment: Object.keys(env).filter(isGuardedKey),
    // Every outcome, success included, leaves through this hook: it is the only place that sees the
    // exit code and stderr (a spawn failure arrives as a negative code with the error in stderr).
    errors: (_error, result) => {
      const stdout = Buffer.concat(result.stdOut).toString('utf8');
      const stderr = Buffer.concat(result.stdErr).toString('utf8');
      return new ProcessOutcome({ exitCode: result.exitCode, stdout, stderr });
    },
  })
    .env(env)
    .outputHandler((_command, stdout) => {
      // simple-git sleeps a fixed 50 ms after any command that printed nothing, in case output is
      // still on its way (a 10x slowdown of update-ref, worktree add and friends). Once stdout has
      // ended nothing more can arrive, so an empty chunk tells it so without changing the output.
      stdout.once('end', () => stdout.emit('data', Buffer.alloc(0)));
    });
  try {
    await git.raw(hardened.args);
  } catch (error) {
    // simple-git's own guard refused the argv (e.g. `--upload-pack`) before spawning: nothing ran.
    if (error instanceof GitPluginError) return { exitCode: REFUSED_BEFORE_SPAWN, stdout: '', stderr: error.message };
    if (!(error instanceof ProcessOutcome)) throw error;
    const { exitCode, stdout, stderr } = error.result;
    return options.trim ? { exitCode, stdout: stdout.trim(), stderr: stderr.trim() } : error.result;
  }
  throw new Error('simple-git resolved without reporting the git process outcome');
}

// Mirrors simple-git's environment guard: such keys are dropped from the inherited environment (a git
// hook's GIT_DIR must not redirect us) and allowed only when we set them ourselves.
const GUARDED_PLAIN_KEYS = new Set(['editor', 'pager', 'prefix', 'ssh_askpass', 'visual']);

function isGuardedKey(key: string): boolean {
  const lower = key.toLowerCase();
  return lower.startsWith('git_') || GUARDED_PLAIN_KEYS.has(lower);
}

/** The server's environment without the variables that would steer git (GIT_DIR, GIT_CONFIG_*, PAGER, ...). */
export function inheritedEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !isGuardedKey(key)) env[key] = value;
  }
  return env;
}

function commandEnvironment(options: RunOptions): Record<string, string> {
  return {
    ...inheritedEnvironment(),
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    ...(options.readOnly ? { GIT_OPTIONAL_LOCKS: '0' } : {}),
    ...options.env,
  };
}
