// Small shared pieces of what the human-facing commands print.

import { homedir } from 'node:os';
import { mainWorktreeRoot } from '../../git/project-root.js';
import { locationsFor, type Locations } from '../integration/targets.js';

export const OK = '✓';
export const FAILED = '✗';

export function homeDirectory(): string {
  return process.env.HOME || homedir();
}

/** The locations a command acts on: this user's home, and the project the shell is in. */
export async function currentLocations(): Promise<Locations> {
  return locationsFor(homeDirectory(), await mainWorktreeRoot(process.cwd()), process.env);
}

/** `~/.claude.json` reads better than the full path, and is still exact. */
export function shortPath(path: string, home = homeDirectory()): string {
  return path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}

export function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}
