// Waiting for another process's SQLite write lock (busy-retry.ts): a writer retries until the holder
// commits, and a transaction whose body already ran is never run twice.

import Database from 'better-sqlite3';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { openSqliteStore } from '../../src/store/sqlite.js';

afterAll(removeTempDirs);

const P = '/projects/alpha';

describe('a SQLite write while another connection holds the write lock', () => {
  it('waits for the holder to commit, then runs its body once and sees the holder’s write', async () => {
    const file = join(makeTempDir('lockstep-busy-'), 'store.db');
    const store = openSqliteStore(file);
    await store.write(P, (tx) => tx.nextId('n'));
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    other.prepare("UPDATE counters SET value = 41 WHERE name = 'n'").run();
    let runs = 0;
    const waiting = store.write(P, (tx) => {
      runs++;
      return tx.nextId('n');
    });
    await sleep(30); // let it find the lock taken (ordering only; nothing here asserts on time)
    expect(runs).toBe(0);
    other.exec('COMMIT');
    expect(await waiting).toBe(42);
    expect(runs).toBe(1);
    other.close();
    store.close();
  });

  it('does not run a body again once it ran, even when it failed busy', async () => {
    const store = openSqliteStore(join(makeTempDir('lockstep-busy-'), 'store.db'));
    let runs = 0;
    const failing = store.write(P, () => {
      runs++;
      throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    });
    await expect(failing).rejects.toMatchObject({ code: 'STORE_BUSY' });
    expect(runs).toBe(1);
    store.close();
  });

  it('queues the writes of one process instead of letting them collide', async () => {
    const store = openSqliteStore(join(makeTempDir('lockstep-busy-'), 'store.db'));
    const ids = await Promise.all(Array.from({ length: 50 }, () => store.write(P, (tx) => tx.nextId('q'))));
    expect(ids.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    store.close();
  });
});
