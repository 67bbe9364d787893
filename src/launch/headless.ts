// Starts an agent without any terminal: a detached process (its own process group, so it outlives the
// server that started it) whose stdout and stderr append to a log file.

import { spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import { DomainError } from '../core/errors.js';

export interface DetachedProgram {
  argv: string[];
  cwd: string;
  logFile: string;
  env?: NodeJS.ProcessEnv;
}

export async function startDetached(program: DetachedProgram): Promise<{ pid: number }> {
  const [command, ...args] = program.argv;
  if (!command) throw new Error('startDetached needs a program');
  mkdirSync(dirname(program.logFile), { recursive: true });
  const log = openSync(program.logFile, 'a');
  try {
    const child = spawn(command, args, { cwd: program.cwd, env: program.env, detached: true, stdio: ['ignore', log, log] });
    // 'spawn' or 'error' always comes first: a missing program or directory is reported here, never as a crash.
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    }).catch((error: NodeJS.ErrnoException) => {
      throw new DomainError(
        error.code === 'ENOENT' ? 'PROGRAM_NOT_FOUND' : 'COMMAND_FAILED',
        `could not start ${command} in ${program.cwd}: ${error.message}`,
        'Check that the program is installed and the directory exists.',
      );
    });
    child.unref();
    return { pid: child.pid! };
  } finally {
    closeSync(log);
  }
}
