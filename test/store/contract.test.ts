// The one storage contract: every case runs against every backend on real files and a real
// PostgreSQL server, so domain code can rely on identical semantics whichever backend a user picks.

import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { createDatabase, postgresServer } from '../../fixtures/postgres.js';
import { taskRow } from '../../fixtures/rows.js';
import { JSON_STORE_VERSION, emptyDocument } from '../../src/store/json-file.js';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import { openStore } from '../../src/store/open.js';
import type { NewRow, Store, StorageBackend, WriteTx } from '../../src/store/store.js';

const A = '/projects/alpha';
const B = '/projects/beta';
const server = await postgresServer();

/** Writes a store file that this code must refuse: garbage bytes, or a format from the future. */
const unreadable: Record<'sqlite' | 'json', { garbage(file: string): void; newer(file: string): void }> = {
  sqlite: {
    garbage: (file) => writeFileSync(file, 'this is not a database at all\n'.repeat(40)),
    newer: (file) => {
      const db = new Database(file);
      db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
      db.close();
    },
  },
  json: {
    garbage: (file) => writeFileSync(file, '{"version": 1, "tables": {'),
    newer: (file) => writeFileSync(file, JSON.stringify({ ...emptyDocument(), version: JSON_STORE_VERSION + 1 })),
  },
};

afterAll(removeTempDirs);

const BACKENDS: StorageBackend[] = ['sqlite', 'json', ...(server.url ? (['postgres'] as const) : [])];
if (server.skip) it.skip(server.skip, () => undefined);

describe.each(BACKENDS)('the %s store', (backend) => {
  const opened: Store[] = [];
  /** A place no store has used yet: a file in a new directory, or a new database. */
  const fresh = async () =>
    backend === 'postgres' ? createDatabase(server.url!) : join(makeTempDir(), 'data', backend === 'json' ? 'store.json' : 'store.db');

  async function open(location?: string): Promise<Store> {
    const store = await openStore(backend, location ?? (await fresh()));
    opened.push(store);
    return store;
  }

  async function seeded(rows: NewRow<'tasks'>[], project = A): Promise<Store> {
    const store = await open();
    await store.write(project, function* (tx) {
      for (const row of rows) yield* tx.insert('tasks', row);
    });
    return store;
  }

  const ids = (store: Store, where: object, project = A) =>
    store.read(project, function* (tx) {
      return (yield* tx.find('tasks', { where, orderBy: 'id' })).map((row) => row.id);
    });

  afterEach(() => opened.splice(0).forEach((store) => store.close()));

  it('treats a missing file or an empty database as an empty store, creating what it needs', async () => {
    const location = await fresh();
    const store = await open(location);
    expect(await store.read(A, (tx) => tx.find('tasks'))).toEqual([]);
    await store.write(A, (tx) => tx.insert('tasks', taskRow(1)));
    if (backend !== 'postgres') expect(existsSync(location)).toBe(true);
    expect(store.backend).toBe(backend);
    expect(store.location).toBe(location);
  });

  it('selects by equality, IS NULL, IN and several conditions at once', async () => {
    const store = await seeded([
      taskRow(1, { owner: 'ann', status: 'in_progress' }),
      taskRow(2),
      taskRow(3, { owner: 'bob', status: 'review' }),
      taskRow(4, { owner: 'ann', status: 'review' }),
    ]);
    expect(await ids(store, { owner: 'ann' })).toEqual([1, 4]);
    expect(await ids(store, { owner: null })).toEqual([2]);
    expect(await ids(store, { status: { in: ['review', 'todo'] } })).toEqual([2, 3, 4]);
    expect(await ids(store, { owner: { in: [] } })).toEqual([]);
    expect(await ids(store, { owner: 'ann', status: 'review' })).toEqual([4]);
  });

  it('treats ne as IS NOT: NULL differs from every value, and ne null means IS NOT NULL', async () => {
    const store = await seeded([taskRow(1, { owner: 'ann' }), taskRow(2), taskRow(3, { owner: 'bob' })]);
    expect(await ids(store, { owner: { ne: 'ann' } })).toEqual([2, 3]);
    expect(await ids(store, { owner: { ne: null } })).toEqual([1, 3]);
  });

  it('compares with gt, gte, lt and lte on numbers and text, never matching NULL', async () => {
    const store = await seeded([taskRow(1, { owner: 'ann' }), taskRow(2), taskRow(3, { owner: 'cat' }), taskRow(4)]);
    expect(await ids(store, { id: { gt: 2 } })).toEqual([3, 4]);
    expect(await ids(store, { id: { gte: 2 } })).toEqual([2, 3, 4]);
    expect(await ids(store, { id: { lt: 2 } })).toEqual([1]);
    expect(await ids(store, { id: { lte: 2 } })).toEqual([1, 2]);
    expect(await ids(store, { owner: { gt: 'bob' } })).toEqual([3]);
    expect(await ids(store, { owner: { lte: 'bob' } })).toEqual([1]);
    expect(await ids(store, { id: { gt: 1 }, createdAt: { lt: 1004 } })).toEqual([2, 3]);
  });

  it('finds a value inside a JSON array column with has', async () => {
    const store = await seeded([
      taskRow(1, { tags: ['ui', 'bug'], dependsOn: [] }),
      taskRow(2, { tags: ['bug'], dependsOn: [1] }),
      taskRow(3, { tags: [], dependsOn: [1, 2] }),
    ]);
    expect(await ids(store, { tags: { has: 'bug' } })).toEqual([1, 2]);
    expect(await ids(store, { tags: { has: 'ui' } })).toEqual([1]);
    expect(await ids(store, { dependsOn: { has: 2 } })).toEqual([3]);
    expect(await ids(store, { dependsOn: { has: 1 } })).toEqual([2, 3]);
    expect(await ids(store, { tags: { has: 'missing' } })).toEqual([]);
  });

  it('orders ascending with NULLs first, reverses with desc, and pages with limit and offset', async () => {
    const store = await seeded([taskRow(1, { owner: 'cat' }), taskRow(2), taskRow(3, { owner: 'ann' }), taskRow(4, { owner: 'bob' })]);
    const find = (query: object) =>
      store.read(A, function* (tx) {
        return (yield* tx.find('tasks', query)).map((row) => row.id);
      });
    expect(await find({ orderBy: 'owner' })).toEqual([2, 3, 4, 1]);
    expect(await find({ orderBy: 'owner', desc: true })).toEqual([1, 4, 3, 2]);
    expect(await find({ orderBy: 'id', limit: 2 })).toEqual([1, 2]);
    expect(await find({ orderBy: 'id', limit: 2, offset: 2 })).toEqual([3, 4]);
    expect(await find({ orderBy: 'id', offset: 3 })).toEqual([4]);
    expect(await find({ orderBy: 'id', desc: true, limit: 1, where: { owner: { ne: null } } })).toEqual([4]);
  });

  it('round-trips arrays and nested objects in JSON columns', async () => {
    const metadata = { priority: 2, labels: ['a', 'b'], nested: { ok: true, none: null } };
    const store = await seeded([taskRow(1, { tags: ['x', 'y'], dependsOn: [3, 2], metadata })]);
    const event = { seq: 1, at: 5, actor: 'ann', kind: 'task_created', target: null, subject: '1', data: { ids: [1, 2] } };
    await store.write(A, (tx) => tx.insert('events', event));
    await store.write(A, (tx) => tx.update('tasks', { id: 1 }, { tags: ['z'] }));
    const row = await store.read(A, (tx) => tx.one('tasks', { id: 1 }));
    expect(row).toMatchObject({ project: A, tags: ['z'], dependsOn: [3, 2], metadata, description: null });
    expect(await store.read(A, (tx) => tx.one('events', { seq: 1 }))).toEqual({ ...event, project: A });
  });

  it('makes update a compare-and-set: an identical second update changes no rows', async () => {
    const store = await seeded([taskRow(1)]);
    const claim = (owner: string) =>
      store.write(A, (tx) => tx.update('tasks', { id: 1, status: 'todo', owner: null }, { status: 'in_progress', owner }));
    expect(await claim('ann')).toBe(1);
    expect(await claim('bob')).toBe(0);
    expect(await store.read(A, (tx) => tx.one('tasks', { id: 1 }))).toMatchObject({ owner: 'ann', status: 'in_progress' });
  });

  it('counts every matching row as changed by update and changes nothing for an empty patch', async () => {
    const store = await seeded([taskRow(1), taskRow(2), taskRow(3, { status: 'done' })]);
    expect(await store.write(A, (tx) => tx.update('tasks', { status: 'todo' }, { feedback: 'same' }))).toBe(2);
    expect(await store.write(A, (tx) => tx.update('tasks', { status: 'todo' }, { feedback: 'same' }))).toBe(2);
    expect(await store.write(A, (tx) => tx.update('tasks', { status: 'todo' }, { feedback: undefined }))).toBe(0);
    expect(await ids(store, { feedback: 'same' })).toEqual([1, 2]);
  });

  it('removes only matching rows, reports how many, and removes all of the project without a where', async () => {
    const store = await seeded([taskRow(1), taskRow(2, { status: 'done' }), taskRow(3, { status: 'done' })]);
    expect(await store.write(A, (tx) => tx.remove('tasks', { status: 'done' }))).toBe(2);
    expect(await store.write(A, (tx) => tx.remove('tasks', { status: 'done' }))).toBe(0);
    expect(await ids(store, {})).toEqual([1]);
    expect(await store.write(A, (tx) => tx.remove('tasks'))).toBe(1);
    expect(await store.read(A, (tx) => tx.count('tasks'))).toBe(0);
  });

  it('counts matching rows and returns the largest value of a column, or 0 when none match', async () => {
    const store = await seeded([taskRow(1), taskRow(5, { status: 'done' }), taskRow(3)]);
    expect(await store.read(A, (tx) => tx.count('tasks', { status: 'todo' }))).toBe(2);
    expect(await store.read(A, (tx) => tx.max('tasks', 'id'))).toBe(5);
    expect(await store.read(A, (tx) => tx.max('tasks', 'id', { status: 'todo' }))).toBe(3);
    expect(await store.read(A, (tx) => tx.max('tasks', 'id', { status: 'blocked' }))).toBe(0);
  });

  it('counts nextId from 1 per counter and per project, never reusing a value', async () => {
    const location = await fresh();
    const store = await open(location);
    const next = (project: string, counter: string) => store.write(project, (tx) => tx.nextId(counter));
    expect([await next(A, 'task'), await next(A, 'task'), await next(A, 'lock')]).toEqual([1, 2, 1]);
    expect(await next(B, 'task')).toBe(1);
    await store.write(A, function* (tx) {
      return yield* tx.insert('tasks', taskRow(yield* tx.nextId('task')));
    });
    await store.write(A, (tx) => tx.remove('tasks'));
    const reopened = await open(location);
    expect(await reopened.write(A, (tx) => tx.nextId('task'))).toBe(4);
  });

  it('keeps the rows of one project invisible to another in every method', async () => {
    const store = await seeded([taskRow(1, { tags: ['t'] }), taskRow(2)], A);
    await store.write(B, (tx) => tx.insert('tasks', taskRow(1, { title: 'same id, other project' })));
    const seenFromB = await store.read(B, function* (tx) {
      return {
        all: (yield* tx.find('tasks')).map((row) => row.title),
        one: yield* tx.one('tasks', { id: 2 }),
        count: yield* tx.count('tasks'),
        max: yield* tx.max('tasks', 'id'),
        tagged: yield* tx.count('tasks', { tags: { has: 't' } }),
      };
    });
    expect(seenFromB).toEqual({ all: ['same id, other project'], one: undefined, count: 1, max: 1, tagged: 0 });
    expect(await store.write(B, (tx) => tx.update('tasks', { id: 2 }, { owner: 'bob' }))).toBe(0);
    expect(await store.write(B, (tx) => tx.remove('tasks', { id: 2 }))).toBe(0);
    expect(await store.write(B, (tx) => tx.remove('tasks'))).toBe(1);
    const rowsOfA = await store.read(A, function* (tx) {
      return (yield* tx.find('tasks', { orderBy: 'id' })).map((row) => [row.id, row.owner, row.project]);
    });
    expect(rowsOfA).toEqual([
      [1, null, A],
      [2, null, A],
    ]);
  });

  it('rolls back rows and counters when the function throws, and rethrows its error', async () => {
    const store = await seeded([taskRow(1)]);
    const failure = new Error('changed my mind');
    const attempt = store.write(A, function* (tx) {
      yield* tx.insert('tasks', taskRow((yield* tx.nextId('task')) + 10));
      yield* tx.update('tasks', { id: 1 }, { owner: 'ann' });
      yield* tx.remove('tasks', { id: 1 });
      throw failure;
    });
    await expect(attempt).rejects.toBe(failure);
    const left = await store.read(A, function* (tx) {
      return (yield* tx.find('tasks')).map((row) => [row.id, row.owner]);
    });
    expect(left).toEqual([[1, null]]);
    expect(await store.write(A, (tx) => tx.nextId('task'))).toBe(1);
  });

  it('refuses an async transaction body and keeps nothing of it', async () => {
    const store = await open();
    const asyncFunction = store.write(A, (async (tx: WriteTx) => {
      await Promise.resolve();
      return tx.insert('tasks', taskRow(1));
    }) as never);
    const asyncGenerator = store.write(A, (async function* (tx: WriteTx) {
      yield* tx.insert('tasks', taskRow(2));
    }) as never);
    await expect(asyncFunction).rejects.toThrow(/cannot return a promise/);
    await expect(asyncGenerator).rejects.toThrow(/cannot return a promise/);
    expect(await store.read(A, (tx) => tx.count('tasks'))).toBe(0);
  });

  it('rejects a duplicate primary key within a project and rolls the transaction back', async () => {
    const store = await seeded([taskRow(1)]);
    const attempt = store.write(A, function* (tx) {
      yield* tx.insert('tasks', taskRow(2));
      yield* tx.insert('tasks', taskRow(1));
    });
    await expect(attempt).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect(await ids(store, {})).toEqual([1]);
  });

  it('lets a body that catches a duplicate-key error go on, keeping its other writes', async () => {
    const store = await seeded([taskRow(1)]);
    const outcome = await store.write(A, function* (tx) {
      try {
        yield* tx.insert('tasks', taskRow(1, { title: 'again' }));
        return 'inserted';
      } catch (error) {
        yield* tx.insert('tasks', taskRow(2));
        return (error as { code?: string }).code;
      }
    });
    expect(outcome).toBe('SQLITE_CONSTRAINT_PRIMARYKEY');
    expect(await ids(store, {})).toEqual([1, 2]);
    expect((await store.read(A, (tx) => tx.one('tasks', { id: 1 })))?.title).toBe('task 1');
  });

  it('hands out copies, so changing a returned or inserted row never changes stored state', async () => {
    const store = await open();
    await store.write(A, function* (tx) {
      const input = taskRow(1, { tags: ['kept'] });
      const inserted = yield* tx.insert('tasks', input);
      input.tags.push('input');
      inserted.tags.push('returned');
      (yield* tx.find('tasks'))[0]!.tags.push('found');
    });
    const found = await store.read(A, (tx) => tx.one('tasks', { id: 1 }));
    found!.tags.push('after');
    expect((await store.read(A, (tx) => tx.one('tasks', { id: 1 })))!.tags).toEqual(['kept']);
  });

  it('lets a second store on the same file or database see every committed write', async () => {
    const location = await fresh();
    const first = await open(location);
    const second = await open(location);
    await first.write(A, (tx) => tx.insert('tasks', taskRow(1)));
    expect(await second.write(A, (tx) => tx.update('tasks', { id: 1, owner: null }, { owner: 'bob' }))).toBe(1);
    expect((await first.read(A, (tx) => tx.one('tasks', { id: 1 })))?.owner).toBe('bob');
  });

  it('keeps access tokens one per name and finds them by hash', async () => {
    const store = await open();
    const token = { name: 'ada', role: 'implementer' as const, hash: 'ab12', createdAt: 1, expiresAt: null, revokedAt: null, projects: ['/srv/app'] };
    await store.write(A, (tx) => tx.insert('tokens', token));
    await expect(store.write(A, (tx) => tx.insert('tokens', { ...token, hash: 'cd34' }))).rejects.toThrow();
    expect(await store.read(A, (tx) => tx.one('tokens', { hash: 'ab12' }))).toEqual({ ...token, project: A });
    expect(await store.read(B, (tx) => tx.one('tokens', { hash: 'ab12' }))).toBeUndefined();
  });

  it('finds text inside a column with contains, ignoring ASCII case and treating % and _ literally', async () => {
    const store = await seeded([taskRow(1, { title: 'Fix the Login page' }), taskRow(2, { title: '100% done_now' }), taskRow(3, { title: 'other' })]);
    const ids = (text: string) =>
      store.read(A, function* (tx) {
        return (yield* tx.find('tasks', { where: { title: { contains: text } }, orderBy: 'id' })).map((row) => row.id);
      });
    expect(await ids('login')).toEqual([1]);
    expect(await ids('0% d')).toEqual([2]);
    expect(await ids('_')).toEqual([2]);
    expect(await ids('%')).toEqual([2]);
  });

  it('stores line comments with their place, replies and resolution, and lists them per task', async () => {
    const store = await open();
    const comment = { taskId: 7, parentId: null, file: 'src/a.ts', side: 'new' as const, line: 3, quote: 'const a = 1;', reviewedCommit: 'abc1234', author: 'hanna', body: 'why?', resolvedAt: null, resolvedBy: null, createdAt: 1 };
    await store.write(A, function* (tx) {
      yield* tx.insert('comments', { id: 1, ...comment });
      yield* tx.insert('comments', { id: 2, ...comment, parentId: 1, author: 'ada', body: 'because' });
      yield* tx.insert('comments', { id: 3, ...comment, taskId: 8 });
    });
    expect(await store.write(A, (tx) => tx.update('comments', { id: 1, resolvedAt: null }, { resolvedAt: 5, resolvedBy: 'ada' }))).toBe(1);
    const rows = await store.read(A, (tx) => tx.find('comments', { where: { taskId: 7 }, orderBy: 'id' }));
    expect(rows).toEqual([
      { project: A, id: 1, ...comment, resolvedAt: 5, resolvedBy: 'ada' },
      { project: A, id: 2, ...comment, parentId: 1, author: 'ada', body: 'because' },
    ]);
  });

  it('lists every project that wrote anything', async () => {
    const store = await open();
    expect(await store.projects()).toEqual([]);
    await store.write(B, (tx) => tx.nextId('event'));
    await store.write(A, (tx) => tx.nextId('task'));
    expect(await store.projects()).toEqual([A, B]);
  });

  it("changes its change version after a commit by this store or another one, and not after a read", async () => {
    const location = await fresh();
    const watcher = await open(location);
    const writer = await open(location);
    await watcher.write(A, (tx) => tx.nextId('event'));
    const start = await watcher.changeVersion();
    await watcher.read(A, (tx) => tx.count('tasks'));
    expect(await watcher.changeVersion()).toBe(start);
    await writer.write(A, (tx) => tx.insert('tasks', taskRow(1)));
    const afterOther = await watcher.changeVersion();
    expect(afterOther).not.toBe(start);
    await watcher.write(A, (tx) => tx.update('tasks', { id: 1 }, { owner: 'me' }));
    expect(await watcher.changeVersion()).not.toBe(afterOther);
  });

  it('moves its foreign version after another store commits, never after its own writes', async () => {
    const location = await fresh();
    const watcher = await open(location);
    const writer = await open(location);
    await watcher.changeVersion(); // pushed backends count what arrived by the time it answers
    const start = watcher.foreignVersion();
    await watcher.write(A, (tx) => tx.insert('tasks', taskRow(1)));
    await watcher.changeVersion();
    expect(watcher.foreignVersion()).toBe(start);
    await writer.write(A, (tx) => tx.insert('tasks', taskRow(2)));
    await watcher.changeVersion();
    expect(watcher.foreignVersion()).not.toBe(start);
  });

  // Only the file backends have a file to damage; test/store/postgres.test.ts refuses a newer schema.
  if (backend !== 'postgres') {
    it('refuses a corrupt file with STORE_CORRUPT naming it, and leaves its bytes untouched', async () => {
      const file = await fresh();
      await (await open(file)).write(A, (tx) => tx.nextId('task'));
      opened.splice(0).forEach((store) => store.close());
      unreadable[backend as 'sqlite'].garbage(file);
      const before = readFileSync(file);
      const attempt = openStore(backend, file);
      await expect(attempt).rejects.toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringContaining(file) });
      expect(readFileSync(file)).toEqual(before);
    });

    it('refuses a store written by a newer version of the format and leaves it untouched', async () => {
      const file = await fresh();
      await (await open(file)).write(A, (tx) => tx.nextId('task'));
      opened.splice(0).forEach((store) => store.close());
      unreadable[backend as 'sqlite'].newer(file);
      const before = readFileSync(file);
      await expect(openStore(backend, file)).rejects.toMatchObject({ code: 'STORE_CORRUPT', message: /newer/ });
      expect(readFileSync(file)).toEqual(before);
    });
  }
});
