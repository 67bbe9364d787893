// isPidAlive: a running process is alive, an ended one is not, and neither is a zombie nobody reaps.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { isPidAlive } from '../../git/pid.js';
import { eventually } from '../../fixtures/processes.js';

describe('isPidAlive', () => {
  it('is true for this process and false for a pid that ended', async () => {
    expect(isPidAlive(process.pid)).toBe(true);
    const child = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => child.once('exit', resolve));
    expect(isPidAlive(child.pid!)).toBe(false);
  });

  it.skipIf(!existsSync('/proc'))('is false for a zombie whose parent never reaps it', async () => {
    // sh starts a short sleep in the background, prints its pid and becomes a long `sleep`, which never waits for it.
    const parent = spawn('sh', ['-c', 'sleep 0.3 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const pid = Number(await new Promise<string>((resolve) => createInterface({ input: parent.stdout! }).once('line', resolve)));
      const zombie = () => /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      expect(await eventually(zombie, 10_000)).toBe(true);
      expect(isPidAlive(pid)).toBe(false);
    } finally {
      parent.kill('SIGKILL');
    }
  });
});
