// What only the PostgreSQL store has to show (the shared contract and races are in contract.test.ts and
// race.test.ts): writers serialized per project by the advisory lock, a bounded pool, commits of another
// process pushed through LISTEN/NOTIFY, and a database that goes away and comes back.

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase, postgresServer, startCluster, type Cluster } from '../../fixtures/postgres.js';
import { eventually } from '../../fixtures/processes.js';
import { taskRow } from '../../fixtures/rows.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/migrations.js';
import { postgresDdl } from '../../src/store/postgres-schema.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import type { Store } from '../../src/store/store.js';

const P = '/projects/alpha';
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WRITER = fileURLToPath(new URL('./postgres-writer.ts', import.meta.url));
const server = await postgresServer();
if (server.skip) it.skip(server.skip, () => undefined);

async function withAdmin<R>(url: string, work: (client: pg.Client) => Promise<R>): Promise<R> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The next time `store` pushes a change to its subscribers. */
function nextPush(store: Store): Promise<void> {
  return new Promise((resolve) => {
    const unsubscribe = store.onCommit!(() => {
      unsubscribe();
      resolve();
    });
  });
}

describe.skipIf(!server.url)('the postgres store', () => {
  it('makes a write wait for the project lock another connection holds, then runs its body once', async () => {
    const url = await createDatabase(server.url!);
    const store = await openPostgresStore(url);
    await store.write(P, (tx) => tx.nextId('n'));
    await withAdmin(url, async (holder) => {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [P]);
      await holder.query("UPDATE counters SET value = 41 WHERE name = 'n'");
      let runs = 0;
      const waiting = store.write(P, (tx) => {
        runs++;
        return tx.nextId('n');
      });
      // Another project is not held up by this one's lock.
      expect(await store.write('/projects/beta', (tx) => tx.nextId('n'))).toBe(1);
      expect(runs).toBe(0); // the body runs only once the lock is its own
      await holder.query('COMMIT');
      expect(await waiting).toBe(42);
      expect(runs).toBe(1);
    });
    store.close();
  });

  it('gives up on a lock held too long with STORE_BUSY, writing nothing', async () => {
    const url = await createDatabase(server.url!);
    const store = await openPostgresStore(url, { lockTimeoutMs: 50 });
    await withAdmin(url, async (holder) => {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [P]);
      await expect(store.write(P, (tx) => tx.nextId('n'))).rejects.toMatchObject({ code: 'STORE_BUSY' });
      await holder.query('ROLLBACK');
    });
    expect(await store.write(P, (tx) => tx.nextId('n'))).toBe(1);
    store.close();
  });

  it('holds no more connections than its pool allows, however many writes run at once', async () => {
    const url = await createDatabase(server.url!);
    const store = await openPostgresStore(url, { maxConnections: 2 });
    const ids = await Promise.all(Array.from({ length: 30 }, (_, i) => store.write(`/projects/p${i % 5}`, (tx) => tx.nextId('n'))));
    expect(ids.sort((a, b) => a - b)).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6]);
    const connections = await withAdmin(url, async (admin) => {
      const { rows } = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'lockstep-mcp'");
      return rows[0].n as number;
    });
    expect(connections).toBeLessThanOrEqual(2 + 1); // the pool, and the change listener
    store.close();
  });

  it("pushes another process's commit to subscribers and moves foreignVersion and changeVersion", async () => {
    const url = await createDatabase(server.url!);
    const store = await openPostgresStore(url);
    try {
      const before = { foreign: store.foreignVersion(), change: await store.changeVersion() };
      const pushed = nextPush(store);
      const output = execFileSync(process.execPath, ['--import', 'tsx', WRITER, url, P], { cwd: REPO_ROOT, encoding: 'utf8' });
      expect(output).toBe('done\n');
      await pushed; // no poll: this resolves only through the notification
      expect(store.foreignVersion()).not.toBe(before.foreign);
      expect(await store.changeVersion()).not.toBe(before.change);
      expect((await store.read(P, (tx) => tx.one('tasks', { id: 7 })))?.title).toBe('from another process');
    } finally {
      store.close();
    }
  });
});

describe.skipIf(!server.url)('a postgres store whose database goes away', () => {
  let cluster: Cluster | undefined;
  afterAll(() => cluster?.stop());

  it('answers STORE_UNAVAILABLE while the server is down and works again, pushing again, once it is back', async () => {
    cluster = await startCluster(); // its own server: stopping the shared one would fail other files
    const url = await createDatabase(cluster.url);
    const store = await openPostgresStore(url);
    const other = await openPostgresStore(url);
    await store.write(P, (tx) => tx.insert('tasks', taskRow(1)));

    cluster.stop();
    await expect(store.write(P, (tx) => tx.insert('tasks', taskRow(2)))).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', next: expect.stringContaining('Retry') });
    await expect(store.read(P, (tx) => tx.count('tasks'))).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(await eventually(() => Number.isNaN(store.foreignVersion()))).toBe(true); // unknown, so callers read
    await expect(store.changeVersion()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });

    const reconnected = nextPush(store);
    cluster.start();
    await reconnected; // the listener is back and says "maybe changed" once
    expect(Number.isNaN(store.foreignVersion())).toBe(false);
    expect(await store.read(P, (tx) => tx.count('tasks'))).toBe(1);
    const pushed = nextPush(store);
    await other.write(P, (tx) => tx.insert('tasks', taskRow(2)));
    await pushed;
    expect(await store.read(P, (tx) => tx.count('tasks'))).toBe(2);
    store.close();
    other.close();
  });

  it('refuses to open with STORE_UNAVAILABLE when nothing listens, naming the database without its password', async () => {
    const attempt = openPostgresStore('postgres://ada:s3cret@127.0.0.1:1/none');
    await expect(attempt).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining('postgres://ada:***@127.0.0.1:1/none') });
    await expect(attempt).rejects.not.toMatchObject({ message: expect.stringContaining('s3cret') });
  });
});

describe.skipIf(!server.url)('a postgres database', () => {
  it('refuses a database whose schema is newer than this code, and leaves it untouched', async () => {
    const url = await createDatabase(server.url!);
    (await openPostgresStore(url)).close();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query('UPDATE lockstep_schema SET version = $1', [SCHEMA_VERSION + 1]);
      await expect(openPostgresStore(url)).rejects.toMatchObject({ code: 'STORE_CORRUPT', message: /newer/ });
      expect((await admin.query('SELECT version FROM lockstep_schema')).rows).toEqual([{ version: SCHEMA_VERSION + 1 }]);
    } finally {
      await admin.end();
    }
  });

  it('upgrades a database at schema v8 keeping its locks and events, and hands out no old token or seq again', async () => {
    const url = await createDatabase(server.url!);
    await withAdmin(url, async (admin) => {
      await admin.query('CREATE TABLE lockstep_schema (version INTEGER NOT NULL)');
      for (const migration of MIGRATIONS.slice(0, 8)) await admin.query(postgresDdl(migration));
      await admin.query('INSERT INTO lockstep_schema (version) VALUES (8)');
      await admin.query(`INSERT INTO locks (project, id, path, kind, owner, status, "acquiredAt", "expiresAt") VALUES ($1, 7, 'src/a.ts', 'file', 'ann', 'active', 1, 99)`, [P]);
      await admin.query(`INSERT INTO events (project, seq, at, actor, kind, target, subject, data) VALUES ($1, 42, 2, 'plan', 'note_added', 'ann', '3', '{}')`, [P]);
      await admin.query(`INSERT INTO counters (project, name, value) VALUES ($1, 'lock', 7), ($1, 'event', 42)`, [P]);
    });
    const store = await openPostgresStore(url);
    try {
      expect(await store.read(P, (tx) => tx.find('locks', { where: { status: 'active' } }))).toMatchObject([{ id: 7, owner: 'ann' }]);
      expect(await store.read(P, (tx) => tx.find('events', { where: { seq: { gt: 41 }, target: 'ann' } }))).toMatchObject([{ seq: 42, kind: 'note_added' }]);
      expect(await store.write(P, function* (tx) {
        return [yield* tx.nextId('lock'), yield* tx.nextId('event')];
      })).toEqual([8, 43]);
    } finally {
      store.close();
    }
    expect(await withAdmin(url, async (admin) => (await admin.query('SELECT version FROM lockstep_schema')).rows)).toEqual([{ version: SCHEMA_VERSION }]);
  });

  it('pushes every commit of another store to its subscribers, and only commits that changed something', async () => {
    const url = await createDatabase(server.url!);
    const [watcher, writer] = [await openPostgresStore(url), await openPostgresStore(url)];
    try {
      let pushed = 0;
      let woken: () => void = () => undefined;
      watcher.onCommit!(() => {
        pushed++;
        woken();
      });
      const next = () => new Promise<void>((resolve) => (woken = resolve));
      const first = next();
      await writer.write(P, (tx) => tx.insert('tasks', taskRow(1)));
      await first;
      await writer.write(P, (tx) => tx.update('tasks', { id: 99 }, { owner: 'nobody' }));
      await writer.write(P, (tx) => tx.count('tasks'));
      await watcher.changeVersion();
      expect(pushed).toBe(1);
    } finally {
      watcher.close();
      writer.close();
    }
  });

  it('names the database without its password', async () => {
    const url = new URL(await createDatabase(server.url!));
    url.password = 'secret-word'; // trust authentication ignores it
    const store = await openPostgresStore(url.toString());
    expect(store.location).not.toContain('secret-word');
    expect(store.location).toContain(url.pathname);
    store.close();
  });
});
