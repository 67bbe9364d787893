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
