// Drives tmux for the launchers. Windows and panes are addressed only by the ids tmux returns (@1, %3),
// never by index, so a user's base-index does not matter; no global option is ever set. Each program
// runs as `exec 'argv0' 'arg'…` through the pane's shell, every word quoted for sh.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DomainError } from '../core/errors.js';
import { requireExecutable } from './agents.js';
import { shellCommand } from './quoting.js';

const run = promisify(execFile);

export interface TmuxOptions {
  /** `-L`: a separately named server, as a user's `tmux -L name` (and every test) uses. */
  socketName?: string;
  /** `-f`: the configuration file read when this call starts the server. */
  configFile?: string;
  env?: NodeJS.ProcessEnv;
}

/** One program to place in a window or pane. */
export interface TmuxProgram {
  /** Window title in the windows layout. */
  title: string;
  cwd: string;
  argv: string[];
  env?: Record<string, string>;
}

export interface PlacedPane {
  title: string;
  windowId: string;
  paneId: string;
  /** The program's own pid: the pane's shell exec'd it. */
  pid: number;
}

const PANE_FORMAT = '#{window_id} #{pane_id} #{pane_pid}';

export class Tmux {
  constructor(private readonly options: TmuxOptions = {}) {}

  /** The words before every tmux subcommand; also what a human needs to attach to the same server. */
  get serverArgs(): string[] {
    const { socketName, configFile } = this.options;
    return [...(socketName ? ['-L', socketName] : []), ...(configFile ? ['-f', configFile] : [])];
  }

  async run(args: readonly string[]): Promise<string> {
    const program = requireExecutable('tmux', this.options.env);
    try {
      const { stdout } = await run(program, [...this.serverArgs, ...args], { env: this.options.env, encoding: 'utf8' });
      return stdout.trim();
    } catch (error) {
      const stderr = String((error as { stderr?: string }).stderr ?? '').trim();
      throw new DomainError('COMMAND_FAILED', `tmux ${args[0]} failed: ${stderr || (error as Error).message}`, 'Check that tmux works in this shell.');
    }
  }

  /** A server answers (inside tmux, TMUX names it); false when tmux is missing or no server runs. */
  async reachable(): Promise<boolean> {
    return this.succeeds(['has-session']);
  }

  /** `=` asks for the exact name: tmux would otherwise also match a session whose name starts with it. */
  async hasSession(name: string): Promise<boolean> {
    return this.succeeds(['has-session', '-t', `=${name}`]);
  }

  /** A detached session whose first window runs `program`; returns the session id ($n) and the pane. */
  async newSession(name: string, program: TmuxProgram): Promise<{ sessionId: string; pane: PlacedPane }> {
    const out = await this.run(['new-session', '-d', '-s', name, '-P', '-F', `#{session_id} ${PANE_FORMAT}`, ...placement(program)]);
    const [sessionId, ...pane] = out.split(' ');
    return { sessionId: sessionId!, pane: parsePane(program.title, pane.join(' ')) };
  }

  /** A new window in `session` (an id or name), or tmux's current session when omitted. */
  async newWindow(program: TmuxProgram, session?: string): Promise<PlacedPane> {
    const target = session ? ['-t', `${session}:`] : [];
    return parsePane(program.title, await this.run(['new-window', '-d', ...target, '-P', '-F', PANE_FORMAT, ...placement(program)]));
  }

  /** Splits the pane `paneId` and re-tiles its window so every pane keeps room. */
  async splitPane(paneId: string, program: TmuxProgram): Promise<PlacedPane> {
    const out = await this.run(['split-window', '-d', '-t', paneId, '-P', '-F', PANE_FORMAT, ...placement(program, false)]);
    const pane = parsePane(program.title, out);
    await this.run(['select-layout', '-t', pane.windowId, 'tiled']);
    return pane;
  }

  private async succeeds(args: string[]): Promise<boolean> {
    try {
      await this.run(args);
      return true;
    } catch {
      return false;
    }
  }
}

/** The words that put one program in place: title, directory, environment, then its command line. */
function placement(program: TmuxProgram, titled = true): string[] {
  const env = Object.entries(program.env ?? {}).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
  return [...(titled ? ['-n', program.title] : []), '-c', program.cwd, ...env, shellCommand(program.argv)];
}

function parsePane(title: string, line: string): PlacedPane {
  const [windowId, paneId, pid] = line.split(' ');
  if (!windowId?.startsWith('@') || !paneId?.startsWith('%')) throw new Error(`unexpected tmux answer: ${line}`);
  return { title, windowId, paneId, pid: Number(pid) };
}

export type TmuxLayout = 'windows' | 'panes';

export interface TmuxSessionPlan {
  session: string;
  layout: TmuxLayout;
  programs: TmuxProgram[];
}

/** Creates the whole session detached: one window per program, or one tiled window of panes. */
export async function startTmuxSession(tmux: Tmux, plan: TmuxSessionPlan): Promise<{ sessionId: string; panes: PlacedPane[] }> {
  const [first, ...rest] = plan.programs;
  if (!first) throw new Error('a tmux session needs at least one program');
  if (await tmux.hasSession(plan.session)) {
    throw new DomainError(
      'NAME_TAKEN',
      `a tmux session named "${plan.session}" already exists`,
      `Attach to it with: tmux ${[...tmux.serverArgs, 'attach', '-t', plan.session].join(' ')} — or pass --session with another name.`,
    );
  }
  const firstProgram = plan.layout === 'panes' ? { ...first, title: plan.session } : first;
  const { sessionId, pane } = await tmux.newSession(plan.session, firstProgram);
  const panes = [{ ...pane, title: first.title }];
  for (const program of rest) {
    panes.push(plan.layout === 'panes' ? await tmux.splitPane(pane.paneId, program) : await tmux.newWindow(program, sessionId));
  }
  return { sessionId, panes };
}
