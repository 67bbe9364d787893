// Stores written before schema v3 (agent sessions, task participants, planner admissions) open
// without losing a row, on both backends.

import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { taskRow } from '../../fixtures/rows.js';
import { emptyDocument } from '../../src/store/json-file.js';
import { openJsonStore } from '../../src/store/json.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite.js';

const P = '/projects/alpha';

afterAll(removeTempDirs);

describe('a store written before planner admissions', () => {
  it('upgrades a SQLite file at schema v2: old tasks have no participants, admissions start empty', async () => {
    const file = join(makeTempDir('lockstep-upgrade-'), 'store.db');
    const db = new Database(file);
    for (const migration of MIGRATIONS.slice(0, 2)) db.exec(migration);
    db.pragma('user_version = 2');
    db.prepare(`INSERT INTO tasks (project, id, title, status, complexity, isolation, createdAt, updatedAt) VALUES (?, 1, 'old', 'todo', 'simple', 'shared', 1, 1)`).run(P);
    db.close();
    const store = openSqliteStore(file);
    try {
      expect((await store.read(P, (tx) => tx.one('tasks', { id: 1 })))?.participants).toEqual([]);
      await store.write(P, (tx) => tx.insert('admissions', { name: 'plan', admittedBy: null, admittedAt: 1, usedBy: 's', usedAt: 1 }));
      expect(await store.read(P, (tx) => tx.count('admissions'))).toBe(1);
    } finally {
      store.close();
    }
  });

  it('opens a JSON document that has no admissions table yet and keeps its rows', async () => {
    const file = join(makeTempDir('lockstep-upgrade-'), 'store.json');
    const { admissions: _none, ...tables } = emptyDocument().tables;
    writeFileSync(file, JSON.stringify({ ...emptyDocument(), tables: { ...tables, tasks: [{ project: P, ...taskRow(1) }] } }));
    const store = openJsonStore(file);
    expect(await store.read(P, (tx) => tx.count('tasks'))).toBe(1);
    expect(await store.read(P, (tx) => tx.count('admissions'))).toBe(0);
    await store.write(P, (tx) => tx.insert('admissions', { name: 'plan', admittedBy: null, admittedAt: 1, usedBy: 's', usedAt: 1 }));
    expect(await store.read(P, (tx) => tx.count('admissions'))).toBe(1);
  });
});

describe('a store written before line comments', () => {
  it('upgrades a SQLite file at schema v3 and a JSON document without a comments table, keeping their rows', async () => {
    const file = join(makeTempDir('lockstep-upgrade-'), 'store.db');
    const db = new Database(file);
    for (const migration of MIGRATIONS.slice(0, 3)) db.exec(migration);
    db.pragma('user_version = 3');
    db.prepare(`INSERT INTO tasks (project, id, title, status, complexity, isolation, createdAt, updatedAt) VALUES (?, 1, 'old', 'todo', 'simple', 'shared', 1, 1)`).run(P);
    db.close();
    const jsonFile = join(makeTempDir('lockstep-upgrade-'), 'store.json');
    const { comments: _none, ...tables } = emptyDocument().tables;
    writeFileSync(jsonFile, JSON.stringify({ ...emptyDocument(), tables: { ...tables, tasks: [{ project: P, ...taskRow(1) }] } }));
    const comment = { id: 1, taskId: 1, parentId: null, file: 'a', side: 'new' as const, line: 1, quote: 'x', reviewedCommit: 'abc1234', author: 'h', body: 'b', resolvedAt: null, resolvedBy: null, createdAt: 1 };
    for (const store of [openSqliteStore(file), openJsonStore(jsonFile)]) {
      try {
        expect(await store.read(P, (tx) => tx.count('tasks'))).toBe(1);
        expect(await store.read(P, (tx) => tx.count('comments'))).toBe(0);
        await store.write(P, (tx) => tx.insert('comments', comment));
        expect(await store.read(P, (tx) => tx.count('comments'))).toBe(1);
      } finally {
        store.close();
      }
    }
  });
});

describe('a store written before events kept in their key order (schema v9)', () => {
  it('upgrades a SQLite file at schema v8 keeping its locks and events, and never hands out an old token or seq again', async () => {
    const file = join(makeTempDir('lockstep-upgrade-'), 'store.db');
    const db = new Database(file);
    for (const migration of MIGRATIONS.slice(0, 8)) db.exec(migration);
    db.pragma('user_version = 8');
    db.prepare(`INSERT INTO locks (project, id, path, kind, owner, status, acquiredAt, expiresAt) VALUES (?, 7, 'src/a.ts', 'file', 'ann', 'active', 1, 99)`).run(P);
    db.prepare(`INSERT INTO events (project, seq, at, actor, kind, target, subject, data) VALUES (?, 41, 1, 'ann', 'lock_acquired', NULL, 'src/a.ts', '{"token":7}')`).run(P);
    db.prepare(`INSERT INTO events (project, seq, at, actor, kind, target, subject, data) VALUES (?, 42, 2, 'plan', 'note_added', 'ann', '3', '{}')`).run(P);
    db.prepare(`INSERT INTO counters (project, name, value) VALUES (?, 'lock', 7), (?, 'event', 42)`).run(P, P);
    db.close();
    const store = openSqliteStore(file);
    try {
      expect(await store.read(P, (tx) => tx.find('locks', { where: { status: 'active' } }))).toMatchObject([{ id: 7, path: 'src/a.ts', owner: 'ann' }]);
      expect(await store.read(P, (tx) => tx.find('events', { where: { seq: { gt: 41 }, target: 'ann' }, orderBy: 'seq' }))).toMatchObject([{ seq: 42, kind: 'note_added', data: {} }]);
      expect(await store.read(P, (tx) => tx.find('events', { where: { seq: { gt: 0 } }, orderBy: 'seq' }))).toMatchObject([{ seq: 41, data: { token: 7 } }, { seq: 42 }]);
      expect(await store.write(P, function* (tx) {
        return [yield* tx.nextId('lock'), yield* tx.nextId('event')];
      })).toEqual([8, 43]);
    } finally {
      store.close();
    }
    const upgraded = new Database(file, { readonly: true });
    const sqlOf = (name: string) => (upgraded.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').get(name) as { sql: string } | undefined)?.sql;
    expect(sqlOf('events')).toMatch(/WITHOUT ROWID/);
    expect(sqlOf('locks_by_owner')).toBeUndefined();
    expect(sqlOf('locks_by_status')).toBeDefined();
    upgraded.close();
  });
});
