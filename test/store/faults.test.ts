// Real disk faults on both backends: a full file system (a small tmpfs) and a read-only data directory
// (a read-only bind mount), each made inside a private mount namespace of a worker process. Where this
// machine cannot make mounts (not root, no unshare) those cases are skipped, not faked.

import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { storeFault } from '../../src/store/faults.js';
import { MAX_STORE_NAME_BYTES, openStore } from '../../src/store/open.js';
import type { FileBackend } from '../../src/store/store.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKER = fileURLToPath(new URL('./fault-worker.ts', import.meta.url));
// Disk faults concern the file backends; PostgreSQL's server owns its disk (its faults: postgres-recovery.test.ts).
const BACKENDS: FileBackend[] = ['sqlite', 'json'];

afterAll(removeTempDirs);

const canMount =
  spawnSync('unshare', ['--mount', '--propagation', 'private', 'mount', '-t', 'tmpfs', '-o', 'size=4k', 'probe', makeTempDir()]).status === 0;

function inMountNamespace(backend: FileBackend, scenario: 'full' | 'read-only'): Record<string, any> {
  const run = spawnSync(
    'unshare',
    ['--mount', '--propagation', 'private', process.execPath, '--import', 'tsx', WORKER, backend, makeTempDir('lockstep-fault-'), scenario],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`fault worker failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

describe.each(BACKENDS)('the %s store on a full disk', (backend) => {
  it.skipIf(!canMount)('refuses the write with DISK_FULL, keeps every earlier write, and works again once space is freed', () => {
    const seen = inMountNamespace(backend, 'full');
    expect(seen.refusal).toMatchObject({ code: 'DISK_FULL' });
    expect(seen.refusal.message).toContain('coordinator.');
    expect(seen.written).toBeGreaterThan(0);
    expect(seen.afterReopen).toBe(seen.written);
    expect(seen.leftovers).toEqual([]);
    expect(seen.afterFreeing).toBe(seen.written + 1);
  });
});

describe.each(BACKENDS)('the %s store in a read-only directory', (backend) => {
  it.skipIf(!canMount)('refuses writes with STORE_READ_ONLY, not STORE_CORRUPT', () => {
    const seen = inMountNamespace(backend, 'read-only');
    expect(seen.write).toMatchObject({ code: 'STORE_READ_ONLY' });
    expect(seen.write.message).toContain('EROFS');
    // JSON reads take no lock, so they still work; SQLite's WAL needs a writable directory even to read.
    if (backend === 'json') expect(seen.read).toEqual({ value: 1 });
    else expect(seen.read).toMatchObject({ code: 'STORE_READ_ONLY' });
  });
});

describe('the fault mapping', () => {
  it('turns a real SQLITE_FULL into DISK_FULL naming the file', () => {
    // max_page_count caps this connection's database: SQLite's own "database or disk is full".
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (x)');
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true })}`);
    let raised: unknown;
    try {
      db.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(100_000));
    } catch (error) {
      raised = error;
    }
    expect(storeFault(raised, '/data/coordinator.db')).toMatchObject({ code: 'DISK_FULL', details: { file: '/data/coordinator.db' } });
  });

  it('turns a real ENAMETOOLONG into NAME_TOO_LONG', () => {
    let raised: unknown;
    try {
      mkdirSync(join(makeTempDir(), 'd'.repeat(300)));
    } catch (error) {
      raised = error;
    }
    expect(storeFault(raised, 'f')).toMatchObject({ code: 'NAME_TOO_LONG' });
  });

  it('leaves errors that are not disk faults to the caller', () => {
    expect(storeFault(Object.assign(new Error('UNIQUE'), { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' }), 'f')).toBeUndefined();
    expect(storeFault(new TypeError('boom'), 'f')).toBeUndefined();
  });
});

describe.each(BACKENDS)('a %s store whose file name leaves no room for its companion files', (backend) => {
  it('is refused at open with NAME_TOO_LONG, before anything is created', async () => {
    const dir = makeTempDir('lockstep-long-');
    const file = join(dir, 's'.repeat(MAX_STORE_NAME_BYTES[backend] + 1));
    await expect(openStore(backend, file)).rejects.toMatchObject({ code: 'NAME_TOO_LONG', next: expect.stringContaining('--db-path') });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('opens with the longest name that leaves that room', async () => {
    const file = join(makeTempDir('lockstep-long-'), 's'.repeat(MAX_STORE_NAME_BYTES[backend]));
    const store = await openStore(backend, file);
    expect(await store.write('/p', (tx) => tx.nextId('n'))).toBe(1);
    store.close();
  });
});
