// The lock file shared by the JSON store and the git manager's repository locks: it knows neither, so
// giving up is its own plain error that each user translates.

import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { killWorkersAtRandomInstants } from '../../fixtures/processes.js';
import { makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { acquireFileLock, LockTimeoutError } from '../../git/file-lock.js';

const WORKER_SCRIPT = fileURLToPath(new URL('./lock-worker.ts', import.meta.url));
/** The repository mutex's patience: longer than the test's timeout, so a lock kept too long fails the test. */
const PATIENT = { timeoutMs: 60_000, staleAfterMs: 10 * 60_000 };

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

describe('acquireFileLock after its holder was killed', () => {
  it('breaks at once a lock whose owner record names a dead process of this host', async () => {
    const path = join(makeTempDir('lockstep-lock-'), 'thing.lock');
    writeFileSync(path, JSON.stringify({ pid: await deadPid(), host: hostname(), acquiredAt: Date.now(), nonce: 'dead' }));

    const lock = await acquireFileLock(path, PATIENT);

    expect(await lock.stillHeld()).toBe(true);
    await lock.release();
  });

  it('breaks an empty lock file (left by an older version killed between create and write) after a few seconds, not after staleAfterMs', async () => {
    const path = join(makeTempDir('lockstep-lock-'), 'thing.lock');
    writeFileSync(path, '');
    const aWhileAgo = new Date(Date.now() - 5_000);
    utimesSync(path, aWhileAgo, aWhileAgo);

    const lock = await acquireFileLock(path, PATIENT);

    expect(await lock.stillHeld()).toBe(true);
    await lock.release();
  });

  it('never leaves a lock file without its owner record, and removes temp files of dead writers', async () => {
    const directory = makeTempDir('lockstep-lock-');
    const path = join(directory, 'thing.lock');
    const deadWriter = `${path}.${await deadPid()}-0badc0de.tmp`;
    writeFileSync(deadWriter, '{"pid":1}');
    writeFileSync(`${path}.${process.pid}-1234abcd.tmp`, 'a live writer is still working on this');

    const lock = await acquireFileLock(path, PATIENT);

    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    expect(existsSync(deadWriter)).toBe(false);
    expect(existsSync(`${path}.${process.pid}-1234abcd.tmp`)).toBe(true);
    await lock.release();
  });

  it('is taken by a fresh process whatever instant the previous holder was SIGKILLed at', async () => {
    const directory = makeTempDir('lockstep-lock-');
    const path = join(directory, 'thing.lock');
    await killWorkersAtRandomInstants(WORKER_SCRIPT, path);

    // Patient as the repository mutex is: a wrongly kept lock would make this time out, not pass late.
    const lock = await acquireFileLock(path, PATIENT);

    expect(await lock.stillHeld()).toBe(true);
    await lock.release();
    expect(readdirSync(directory).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}
