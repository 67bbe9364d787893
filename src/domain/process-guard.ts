// Starts an agent's program (or a gate) under a tiny node guard that leads its own process group and
// ends the whole group when our server goes away, even by SIGKILL: the guard holds an IPC channel to
// the server, and the kernel closes that channel when the server dies, whatever killed it.

import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

/**
 * Runs in the guard (`node -e`): receives {argv, cwd, env}, starts the program in the guard's group
 * with stdout/stderr going straight to us, reports its end, then kills the group: background children
 * the program left die with it. A lost channel (the server died) kills the group at once.
 */
const GUARD_SOURCE = `
const { spawn } = require('node:child_process');
const endGroup = () => { try { process.kill(-process.pid, 'SIGKILL'); } catch { process.exit(1); } };
process.on('disconnect', endGroup);
process.once('message', ({ argv, cwd, env }) => {
  const child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
  const report = (outcome) => process.send(outcome, endGroup);
  child.on('error', (error) => report({ error: { code: error.code, message: error.message } }));
  child.on('exit', (exitCode, signal) => report({ exitCode, signal }));
});
`;

/** How the program ended, as the guard saw it; absent when the guard itself was killed (timeout). */
export type GuardReport = { exitCode: number | null; signal: NodeJS.Signals | null } | { error: { code?: string; message: string } };

export interface GuardedProcess {
  /** Leads the process group: kill -pid ends the program and everything it started. */
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** Settles when the guard has exited, its pipes are closed and its report (if any) is read. */
  finished: Promise<{ report?: GuardReport; exitCode: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnGuarded(argv: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): GuardedProcess {
  // The guard runs with the server's environment, so an agent's NODE_OPTIONS reaches only its program.
  const child = spawn(process.execPath, ['-e', GUARD_SOURCE], {
    cwd: options.cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  }) as unknown as ChildProcessByStdio<null, Readable, Readable>;
  let report: GuardReport | undefined;
  child.on('message', (message) => {
    report ??= message as GuardReport;
  });
  const closed = new Promise<{ exitCode: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (exitCode, signal) => resolve({ exitCode, signal })),
  );
  // Messages are read before the channel reports its end, so after both the report is final.
  const disconnected = new Promise<void>((resolve, reject) => {
    child.on('disconnect', resolve);
    child.on('error', reject);
  });
  child.send({ argv, cwd: options.cwd, env: options.env });
  const finished = Promise.all([closed, disconnected]).then(([ended]) => ({ ...ended, ...(report && { report }) }));
  return { child, finished };
}
