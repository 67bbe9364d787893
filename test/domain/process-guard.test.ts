// A gate or command outlives nothing: when the server that started it dies, even by SIGKILL, its
// process group ends with it (issue 7, item 12). The server here is a real process running the real runner.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { eventually, isRunning } from '../../fixtures/processes.js';

afterAll(removeTempDirs);

const WORKER = fileURLToPath(new URL('./gate-worker.ts', import.meta.url));
const REPO_ROOT = resolve(import.meta.dirname, '../..');

describe('a running gate', () => {
  it('ends when the server process that started it is killed with SIGKILL', async () => {
    const pidFile = join(makeTempDir(), 'gate.pid');
    const server = spawn(process.execPath, ['--import', 'tsx', WORKER, pidFile], { cwd: REPO_ROOT, stdio: 'ignore' });
    try {
      expect(await eventually(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '', 20_000)).toBe(true);
      const gate = Number(readFileSync(pidFile, 'utf8'));
      expect(isRunning(gate)).toBe(true);

      server.kill('SIGKILL');

      expect(await eventually(() => !isRunning(gate), 20_000)).toBe(true);
    } finally {
      server.kill('SIGKILL');
    }
  });
});
