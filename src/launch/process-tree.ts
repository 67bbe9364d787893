// The chain of processes that started this one. A launched agent's MCP server is its child (or grandchild,
// via a wrapper script), so finding the registered pid among our ancestors proves we serve that agent.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const MAX_DEPTH = 64;

/** Parent, grandparent, … of this process, up to (not including) init. */
export function ancestorPids(start = process.ppid): number[] {
  const chain: number[] = [];
  for (let pid = start; pid > 1 && chain.length < MAX_DEPTH && !chain.includes(pid); pid = parentOf(pid)) chain.push(pid);
  return chain;
}

let ownAncestors: readonly number[] | undefined;

/** This process's ancestors, looked up once: they are fixed from the moment it was started. */
export function ownAncestorPids(): readonly number[] {
  ownAncestors ??= ancestorPids();
  return ownAncestors;
}

function parentOf(pid: number): number {
  try {
    // Field 4 of /proc/<pid>/stat; the command name before it may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    try {
      return Number(execFileSync('ps', ['-o', 'ppid=', '-p', String(pid)], { encoding: 'utf8' }).trim()) || 0;
    } catch {
      return 0;
    }
  }
}
