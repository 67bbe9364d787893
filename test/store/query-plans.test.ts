// Every statement the hot calls send to SQLite is planned on an index: EXPLAIN QUERY PLAN over the
// exact SQL the store prepared while real domain calls ran (unread notes, tasks by status, locks by
// path, events after a seq, the heartbeat), never a full SCAN of a table.

import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../fixtures/app.js';
import { makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { loadConfig } from '../../src/config.js';
import { createApp } from '../../src/domain/app.js';
import type { Caller } from '../../src/domain/context.js';
import { openSqliteStore } from '../../src/store/sqlite.js';

afterAll(removeTempDirs);

describe('query plans of the hot calls', () => {
  const prepared: string[] = [];
  let dbPath = '';

  beforeAll(async () => {
    const repo = makeRepo({ 'src/a.ts': '' });
    const dataDir = makeTempDir('lockstep-plans-');
    dbPath = join(dataDir, 'store.db');
    const config = loadConfig({ storage: 'sqlite', dataDir, dbPath }, {}, repo);
    const store = openSqliteStore(dbPath, { onPrepare: (sql) => prepared.push(sql) });
    const app = await createApp(config, { store, clock: new ManualClock() });
    const caller = (name: string, role: 'planner' | 'implementer'): Caller => ({
      project: { id: repo, root: repo },
      agent: { name, role },
      session: { id: `session:${name}` },
    });
    const [plan, ann] = [caller('plan', 'planner'), caller('ann', 'implementer')];
    await app.agents.register(plan, { role: 'planner', name: 'plan' });
    await app.agents.register(ann, { role: 'implementer', name: 'ann' });
    const task = await app.tasks.create(plan, { title: 'one' });
    await app.tasks.list(ann, { status: 'todo' });
    await app.tasks.list(ann);
    await app.tasks.create(plan, { title: 'two' });
    await app.tasks.list(ann, { limit: 1 });
    await app.tasks.claim(ann, task.id);
    await app.locks.acquire(ann, { path: 'src/a.ts' });
    await app.locks.list(ann);
    await app.locks.release(ann, { path: 'src/a.ts' });
    await app.notes.append(plan, { text: 'hello', to: 'ann' });
    await app.notes.list(ann);
    await app.notes.list(ann);
    await app.agents.touch(ann);
    await app.agents.touch(ann);
    app.close();
  });

  const plans = () => {
    const db = new Database(dbPath, { readonly: true });
    const planOf = (sql: string) => {
      const params = Array.from(sql.match(/\?/g) ?? [], () => null);
      return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((row) => row.detail);
    };
    const result = prepared.filter((sql) => /^(SELECT|UPDATE|DELETE)/.test(sql)).map((sql) => ({ sql, plan: planOf(sql) }));
    db.close();
    return result;
  };
  const planFor = (pattern: RegExp) => {
    const found = plans().filter(({ sql }) => pattern.test(sql));
    expect(found.length, `a statement matching ${pattern}`).toBeGreaterThan(0);
    return found.flatMap(({ plan }) => plan).join('\n');
  };

  it('scans no table in full', () => {
    const scans = plans().filter(({ plan }) => plan.some((detail) => /^SCAN (?!json_each)/.test(detail)));
    expect(scans).toEqual([]);
  });

  it('pages task_list without a count(*)', () => {
    expect(prepared.filter((sql) => /count\(\*\) AS n FROM tasks/.test(sql))).toEqual([]);
  });

  it('binds LIMIT as an expression, so SQLite does not prepare a paged read again at every run', () => {
    const paged = prepared.filter((sql) => /\bLIMIT\b/.test(sql) && !/LIMIT 1$/.test(sql));
    expect(paged.length).toBeGreaterThan(0);
    expect(paged.filter((sql) => !/ LIMIT \+\? OFFSET \?$/.test(sql))).toEqual([]);
  });

  it('reads unread notes through the addressee index', () => {
    expect(planFor(/FROM notes WHERE project = \? AND "to" = \?/)).toMatch(/notes_by_addressee \(project=\? AND to=\? AND id>\?\)/);
    expect(planFor(/FROM notes WHERE project = \? AND "to" IS NULL/)).toMatch(/notes_by_addressee \(project=\? AND to=\? AND id>\?\)/);
  });

  it('finds tasks by status, locks by status and path, events after a seq in key order', () => {
    expect(planFor(/FROM tasks WHERE project = \? AND "status" = \?/)).toMatch(/tasks_by_status/);
    expect(planFor(/FROM locks WHERE project = \? AND "status" = \?/)).toMatch(/locks_by_status/);
    // Events are kept in (project, seq) order (schema v9): news after a cursor is a range of the key.
    expect(planFor(/FROM events WHERE project = \? AND "seq" > \? AND "target"/)).toMatch(/^SEARCH events USING PRIMARY KEY \(project=\? AND seq>\?\)$/m);
  });
});
