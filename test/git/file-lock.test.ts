// The lock file shared by the JSON store and the git manager's repository locks: it knows neither, so
// giving up is its own plain error that each user translates.

import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { acquireFileLock, LockTimeoutError } from '../../git/file-lock.js';

afterAll(removeTempDirs);

describe('acquireFileLock', () => {
  it('gives up with a LockTimeoutError that names the lock file and its live holder', async () => {
    const path = join(makeTempDir('lockstep-lock-'), 'thing.lock');
    writeFileSync(path, JSON.stringify({ pid: process.pid, host: hostname(), acquiredAt: Date.now(), nonce: 'other' }));

    const attempt = acquireFileLock(path, { timeoutMs: 100, staleAfterMs: 30_000 });

    await expect(attempt).rejects.toBeInstanceOf(LockTimeoutError);
    await expect(attempt).rejects.toMatchObject({
      lockFile: path,
      timeoutMs: 100,
      holder: { pid: process.pid, host: hostname() },
      message: expect.stringContaining(path),
    });
    await expect(attempt).rejects.not.toHaveProperty('code');
  });
});
