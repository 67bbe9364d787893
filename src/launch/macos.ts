// Opens macOS Terminal windows through osascript. Each window's shell command is quoted for sh, and that
// whole command is then quoted again as an AppleScript string, so no name or path is ever interpreted.

import { execFile } from 'node:child_process';
import { DomainError } from '../core/errors.js';
import { requireExecutable } from './agents.js';
import { appleScriptString, shellCommand, shellQuote } from './quoting.js';

export interface TerminalProgram {
  title: string;
  cwd: string;
  argv: string[];
}

/** The shell line a Terminal window runs: enter the directory, then become the program. */
export function terminalShellCommand(program: TerminalProgram): string {
  return `cd ${shellQuote(program.cwd)} && ${shellCommand(program.argv)}`;
}

/** The AppleScript that opens one titled Terminal window per program. Pure, so tests can read it. */
export function terminalAppleScript(programs: readonly TerminalProgram[]): string {
  const windows = programs.flatMap((program) => [
    `  set lockstepTab to do script ${appleScriptString(terminalShellCommand(program))}`,
    `  set custom title of lockstepTab to ${appleScriptString(program.title)}`,
  ]);
  return ['tell application "Terminal"', '  activate', ...windows, 'end tell', ''].join('\n');
}

export interface MacosLaunchOptions {
  /** The osascript to run; tests pass a recording fake. */
  osascript?: string;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
}

export async function openTerminalWindows(programs: readonly TerminalProgram[], options: MacosLaunchOptions = {}): Promise<void> {
  if ((options.platform ?? process.platform) !== 'darwin') {
    throw new DomainError('INVALID_INPUT', 'the Terminal launcher is macOS-only', 'On Linux use: lockstep-mcp tmux --repo DIR');
  }
  const osascript = requireExecutable(options.osascript ?? 'osascript', options.env);
  await new Promise<void>((resolve, reject) => {
    // The script goes through stdin: no argument length limit, and no argv quoting to get wrong.
    const child = execFile(osascript, [], { env: options.env }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      reject(new DomainError('COMMAND_FAILED', `osascript failed: ${stderr.trim() || error.message}`, 'Allow the terminal to control Terminal.app (System Settings > Privacy > Automation) and retry.'));
    });
    child.stdin?.end(terminalAppleScript(programs));
  });
}
