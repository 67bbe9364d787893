// Starting one implementer agent: where (its worktree), with which access and environment, with our
// server passed explicitly, and the wait until it has really joined (called coordination_init) or
// visibly failed. A launch that never arrives is an error carrying the log tail and the likely cause.

import { join } from 'node:path';
import { openGit } from '../../git/exec.js';
import { isPidAlive } from '../../git/pid.js';
import type { Config } from '../config.js';
import { DomainError } from '../core/errors.js';
import { SERVER_NODE_FLAGS } from '../core/server-node-flags.js';
import { storeArguments } from '../core/store-arguments.js';
import { implementerArgv, type CommitPaths, type ServerEntry } from '../launch/agent-access.js';
import { agentEnvironment } from '../launch/agent-env.js';
import { implementerPrompt, type LaunchableAgent } from '../launch/agents.js';
import { startDetached } from '../launch/headless.js';
import { diagnoseLaunch, logTail } from '../launch/launch-failure.js';
import { Tmux } from '../launch/tmux.js';
import type { DomainContext } from './context.js';
import type { LaunchSettings } from './launch-settings.js';

/** Default bound on the wait for a launched agent's coordination_init. */
export const DEFAULT_ARRIVAL_TIMEOUT_MS = 30_000;
const POLL_MS = 100;

export interface Placement {
  name: string;
  type: LaunchableAgent;
  cwd: string;
  worktree?: { path: string; branch: string };
}

export interface Started {
  pid: number;
  /** tmux: a new window (its id); headless: a detached process writing to logFile. */
  startedIn: { tmuxWindow: string } | { logFile: string };
}

export interface LaunchEnvironment {
  env: NodeJS.ProcessEnv;
  logDir: string;
  server: ServerEntry;
}

/** The launching server's own command and every store setting, so the agent joins this very store. */
export function launchedServerEntry(cliFile: string, config: Config, node = process.execPath): ServerEntry {
  const args = [...SERVER_NODE_FLAGS, cliFile, 'server', ...storeArguments(config), '--data-dir', config.dataDir, '--log-dir', config.logDir];
  args.push('--mode', config.mode, '--command-mode', config.commandMode, '--lock-lease-ms', String(config.lockLeaseMs));
  if (config.roots.length > 0) args.push('--roots', config.roots.join(','));
  if (config.commandAllow.length > 0) args.push('--command-allow', config.commandAllow.join(','));
  return { command: node, args };
}

/** Where a commit in `cwd` writes; undefined outside git (where Codex refuses to run at all). */
export async function commitPaths(cwd: string, branch: string | undefined): Promise<CommitPaths | undefined> {
  try {
    const { stdout } = await openGit(cwd).run(['rev-parse', '--path-format=absolute', '--git-dir', '--git-common-dir', '--abbrev-ref', 'HEAD'], { readOnly: true });
    const [gitDir, commonDir, head] = stdout.trim().split('\n');
    return { gitDir: gitDir!, commonDir: commonDir!, branch: branch ?? head ?? 'HEAD' };
  } catch {
    return undefined;
  }
}

export async function startImplementer(placement: Placement, paths: CommitPaths | undefined, settings: LaunchSettings, launch: LaunchEnvironment): Promise<Started> {
  if (!paths && placement.type === 'codex') {
    throw new DomainError('LAUNCH_FAILED', `codex runs only inside a git repository, and ${placement.cwd} is not in one`, 'Launch codex in a git project, or launch claude.', { cause: 'untrusted_directory' });
  }
  const prompt = implementerPrompt({ name: placement.name, type: placement.type, worktree: placement.worktree });
  const env = agentEnvironment(placement.type, launch.env, placement, settings.env);
  const argv = (headless: boolean) =>
    implementerArgv({ type: placement.type, prompt, server: launch.server, paths: paths ?? { gitDir: placement.cwd, commonDir: placement.cwd, branch: 'HEAD' }, extensions: settings, headless });
  const tmux = new Tmux({ env: launch.env });
  if (launch.env.TMUX || (await tmux.reachable())) {
    const pane = await tmux.newWindow({ title: placement.name, cwd: placement.cwd, argv: argv(false), env });
    return { pid: pane.pid, startedIn: { tmuxWindow: pane.windowId } };
  }
  const logFile = join(launch.logDir, `${placement.name}.log`);
  const { pid } = await startDetached({ argv: argv(true), cwd: placement.cwd, logFile, env });
  return { pid, startedIn: { logFile } };
}

export interface ArrivalWatch {
  name: string;
  pid: number;
  /** The event sequence before the launch: a later agent_joined by this name is the arrival. */
  sinceSeq: number;
  timeoutMs: number;
  startedIn: Started['startedIn'];
}

/**
 * Waits until the agent's coordination_init is recorded, or its process ends, or the time is up (then
 * the agent is stopped: half-started, it would hold the name without doing the work).
 */
export async function awaitArrival(context: DomainContext, projectId: string, watch: ArrivalWatch): Promise<void> {
  const deadline = Date.now() + watch.timeoutMs;
  for (;;) {
    const joined = await context.store.read(projectId, (tx) =>
      tx.one('events', { kind: 'agent_joined', actor: watch.name, seq: { gt: watch.sinceSeq } }),
    );
    if (joined) return;
    const exited = !isPidAlive(watch.pid);
    if (exited || Date.now() > deadline) {
      if (!exited) stopProcess(watch.pid);
      throw launchFailed(watch, exited);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function launchFailed(watch: ArrivalWatch, exited: boolean): DomainError {
  const log = 'logFile' in watch.startedIn ? watch.startedIn.logFile : undefined;
  // The cause may be stated early (a server that failed at start), so more of the log is searched than shown.
  const tail = log ? logTail(log, 64_000) : '';
  const { cause, next } = diagnoseLaunch(tail, exited);
  const what = exited ? 'exited before calling coordination_init' : `did not call coordination_init within ${Math.round(watch.timeoutMs / 1000)} s`;
  // The tail goes in the message: clients show agents the text of an error, not its details.
  const ending = tail ? `; its log ${log} ends: ${JSON.stringify(tail.slice(-600))}` : '';
  return new DomainError('LAUNCH_FAILED', `implementer ${watch.name} (pid ${watch.pid}) ${what}; likely cause: ${cause.replaceAll('_', ' ')}${ending}`, next, {
    cause,
    ...(log && { logFile: log }),
  });
}

/** Its whole process group when it leads one (headless starts), else the process alone. */
function stopProcess(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGTERM');
      return;
    } catch {
      // not a group leader (tmux pane), or already gone
    }
  }
}
