// Who the human at the dashboard is: the name git would sign their commits with, else the OS user.
// Every action taken from the page is recorded under it, so agents see who approved or commented.

import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';

export function humanName(cwd: string): string {
  try {
    const name = execFileSync('git', ['config', '--get', 'user.name'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (name) return name.slice(0, 64);
  } catch {
    // No git or no user.name: fall back to the OS account.
  }
  try {
    return userInfo().username || 'human';
  } catch {
    return 'human';
  }
}
