// One fact about processes shared by the repository and store lock files and the domain's liveness rules.

import { readFileSync } from 'node:fs';

/**
 * Whether a process of this host still runs (EPERM: it exists but belongs to another user). A zombie
 * has ended: an agent orphaned by the server that launched it stays one where PID 1 reaps nothing (a
 * container), and counting it as alive would list a finished implementer as live forever.
 */
export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/** Linux only (/proc/<pid>/stat, state after the parenthesised command name); elsewhere never. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}
