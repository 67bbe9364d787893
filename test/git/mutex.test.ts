import { spawn } from 'node:child_process';
import { existsSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { git, makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { openGit } from '../../git/exec.js';
import { withRepositoryLock, withRepositoryMutex } from '../../git/mutex.js';

afterAll(removeTempDirs);

describe('withRepositoryMutex', () => {
  it('holds one lock file in the common git dir, shared by the main checkout and its worktrees', async () => {
    const repo = makeRepo();
    const linked = join(makeTempDir(), 'linked');
    git(repo, ['worktree', 'add', '-q', '-b', 'lockstep/ada', linked]);
    const lockFile = join(repo, '.git', 'lockstep-mutation.lock');

    const seen = await withRepositoryMutex(openGit(linked), async () => existsSync(lockFile));

    expect(seen).toBe(true);
    expect(existsSync(lockFile)).toBe(false);
  });

  it('runs concurrent holders one at a time and lets a holder re-enter without waiting on itself', async () => {
    const repoGit = openGit(makeRepo());
    const events: string[] = [];
    const holder = (name: string) =>
      withRepositoryMutex(repoGit, async () => {
        events.push(`${name} in`);
        await sleep(30);
        await withRepositoryMutex(repoGit, async () => events.push(`${name} nested`));
        events.push(`${name} out`);
      });

    await Promise.all([holder('a'), holder('b')]);

    const [first, second] = events[0]!.startsWith('a') ? ['a', 'b'] : ['b', 'a'];
    expect(events).toEqual([`${first} in`, `${first} nested`, `${first} out`, `${second} in`, `${second} nested`, `${second} out`]);
  });

  it('recovers within seconds the locks a killed process left: empty ones of an older version, one naming a dead pid', async () => {
    const repo = makeRepo();
    const aWhileAgo = new Date(Date.now() - 5_000);
    for (const kind of ['mutation', 'landing']) {
      const lockFile = join(repo, '.git', `lockstep-${kind}.lock`);
      writeFileSync(lockFile, ''); // what an older version left when killed between creating and writing it
      utimesSync(lockFile, aWhileAgo, aWhileAgo);
    }
    const otherRepo = makeRepo();
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.on('exit', resolve));
    writeFileSync(join(otherRepo, '.git', 'lockstep-landing.lock'), JSON.stringify({ pid: dead.pid, host: hostname(), acquiredAt: Date.now(), nonce: 'dead' }));
    const repoGit = openGit(repo);

    // Both locks' own patience (1 and 15 minutes) exceeds the test timeout: only recovery can pass.
    const ran = await withRepositoryLock(repoGit, 'landing', () => withRepositoryMutex(repoGit, async () => true));

    expect(ran).toBe(true);
    expect(await withRepositoryLock(openGit(otherRepo), 'landing', async () => true)).toBe(true);
  });
});
