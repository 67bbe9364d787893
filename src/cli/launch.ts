// `lockstep-mcp tmux` and `lockstep-mcp macos`: start a planner, an implementer and (optionally) the
// dashboard for one repository, each already told by its starting prompt how to join.

import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { mainWorktreeRoot } from '../../git/project-root.js';
import { DomainError } from '../core/errors.js';
import { parseCommand, requireExecutable } from '../launch/agents.js';
import { openTerminalWindows } from '../launch/macos.js';
import { shellQuote } from '../launch/quoting.js';
import { sessionPrograms, type LaunchProgram } from '../launch/session-plan.js';
import { startTmuxSession, Tmux, type TmuxLayout } from '../launch/tmux.js';
import { implementerPlace } from './implementer-place.js';
import { say } from './output.js';

export interface LaunchFlags {
  repo?: string;
  dashboard?: boolean;
  prompts?: boolean;
  plannerCommand?: string;
  implementerCommand?: string;
  dashboardCommand?: string;
  /** The implementer's name (its branch lockstep/<name>); default "implementer". */
  implementerName?: string;
  /** False (--no-worktree): the implementer starts in the repository itself. */
  worktree?: boolean;
}

export interface TmuxFlags extends LaunchFlags {
  session?: string;
  layout?: string;
  socket?: string;
}

export interface LaunchBuild {
  /** Our built entry: the default dashboard runs it with `dashboard`. */
  cliFile: string;
}

const LAYOUTS: readonly TmuxLayout[] = ['windows', 'panes'];

export async function runTmux(flags: TmuxFlags, build: LaunchBuild): Promise<void> {
  const layout = (flags.layout ?? 'windows') as TmuxLayout;
  if (!LAYOUTS.includes(layout)) {
    throw new DomainError('INVALID_INPUT', `--layout must be windows or panes, not "${flags.layout}"`, 'Pass --layout windows or --layout panes.');
  }
  const session = flags.session ?? 'lockstep';
  const programs = await launchPrograms(flags, build);
  const tmux = new Tmux({ socketName: flags.socket });
  const { sessionId, panes } = await startTmuxSession(tmux, { session, layout, programs });
  say(`Started tmux session "${session}" (${layout}): ${panes.map((pane) => pane.title).join(', ')}`);
  const attach = ['tmux', ...tmux.serverArgs, 'attach', '-t', session].map(displayWord).join(' ');
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    say(`No terminal here, so it runs detached. Attach with: ${attach}`);
    return;
  }
  // Inside tmux already: switch this client over rather than nesting a second tmux in a pane.
  const switchHere = process.env.TMUX && !flags.socket;
  const args = switchHere ? ['switch-client', '-t', sessionId] : [...tmux.serverArgs, 'attach-session', '-t', sessionId];
  if (spawnSync('tmux', args, { stdio: 'inherit' }).status !== 0) say(`Attach with: ${attach}`);
}

export async function runMacos(flags: LaunchFlags, build: LaunchBuild): Promise<void> {
  if (process.platform !== 'darwin') {
    throw new DomainError('INVALID_INPUT', 'lockstep-mcp macos opens macOS Terminal windows and is macOS-only', 'On Linux use lockstep-mcp tmux --repo DIR.');
  }
  const programs = await launchPrograms(flags, build);
  await openTerminalWindows(programs);
  say(`Opened Terminal windows: ${programs.map((program) => program.title).join(', ')}`);
}

/** The programs both launchers start, each checked to exist before anything is opened. */
async function launchPrograms(flags: LaunchFlags, build: LaunchBuild): Promise<LaunchProgram[]> {
  const repo = await mainWorktreeRoot(resolve(flags.repo ?? '.')).catch(() => {
    throw new DomainError('PATH_NOT_FOUND', `--repo ${flags.repo} does not exist`, 'Pass the directory of your repository.');
  });
  const planner = parseCommand(flags.plannerCommand ?? 'claude', '--planner-command');
  const implementer = parseCommand(flags.implementerCommand ?? 'codex', '--implementer-command');
  for (const command of [planner, implementer]) requireExecutable(command[0]!);
  const place = flags.worktree === false ? undefined : await implementerPlace(repo, flags.implementerName ?? 'implementer', build.cliFile);
  const programs = sessionPrograms({
    repo,
    planner,
    implementer,
    dashboard: dashboardCommand(flags, build),
    prompts: flags.prompts !== false,
    ...(place && { implementerPlace: place }),
  });
  for (const program of programs) requireExecutable(program.argv[0]!);
  return programs;
}

function dashboardCommand(flags: LaunchFlags, build: LaunchBuild): string[] | undefined {
  if (flags.dashboard === false) return undefined;
  if (flags.dashboardCommand) return parseCommand(flags.dashboardCommand, '--dashboard-command');
  return [process.execPath, build.cliFile, 'dashboard'];
}

/** A word as a human would type it: bare when nothing in it is special to a shell. */
function displayWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : shellQuote(word);
}
