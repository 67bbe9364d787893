// Tool round trips over stdio with a realistic store (1,000 tasks), beside the raw better-sqlite3
// transactions that do the same store work in-process: the floor no server can beat.

import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { ToolClient } from '../../fixtures/mcp.js';
import { timeAsync } from './stats.js';

export const SEEDED_TASKS = 1_000;

export async function seedTasks(planner: ToolClient): Promise<number[]> {
  const ids: number[] = [];
  for (let index = 0; index < SEEDED_TASKS; index++) {
    const { task } = await planner.call('task_create', { title: `seeded task ${index}`, tags: ['bench'] });
    ids.push(task.id);
  }
  return ids;
}

export async function lockRoundTrips(agent: ToolClient, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let index = 0; index < count; index++) {
    const path = `src/file-${index % 50}.ts`;
    samples.push(
      await timeAsync(async () => {
        await agent.call('lock_acquire', { path });
        await agent.call('lock_release', { path });
      }),
    );
  }
  return samples;
}

export async function claimRoundTrips(agent: ToolClient, ids: number[]): Promise<number[]> {
  const samples: number[] = [];
  for (const id of ids) samples.push(await timeAsync(() => agent.call('task_claim', { id })));
  return samples;
}

/** The same store work as lock_acquire + lock_release, as bare IMMEDIATE transactions. */
export function rawLockTransactions(dir: string, count: number): number[] {
  const db = new Database(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE locks (id INTEGER PRIMARY KEY, path TEXT, owner TEXT, status TEXT, expiresAt INTEGER)');
  db.exec('CREATE INDEX locks_active ON locks (status, path)');
  const active = db.prepare("SELECT * FROM locks WHERE status = 'active'");
  const insert = db.prepare("INSERT INTO locks (path, owner, status, expiresAt) VALUES (?, 'bench', 'active', ?)");
  const release = db.prepare("UPDATE locks SET status = 'resolved' WHERE path = ? AND status = 'active'");
  const acquire = db.transaction((path: string) => {
    active.all();
    insert.run(path, Date.now() + 300_000);
  });
  const free = db.transaction((path: string) => release.run(path));
  const samples: number[] = [];
  for (let index = 0; index < count; index++) {
    const path = `src/file-${index % 50}.ts`;
    const start = performance.now();
    acquire.immediate(path);
    free.immediate(path);
    samples.push(performance.now() - start);
  }
  db.close();
  return samples;
}

/** The same store work as task_claim: one compare-and-set UPDATE among 1,000 rows. */
export function rawClaimTransactions(dir: string, count: number): number[] {
  const db = new Database(join(dir, 'raw-claim.db'));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE tasks (id INTEGER PRIMARY KEY, status TEXT, owner TEXT)');
  const insert = db.prepare("INSERT INTO tasks (status) VALUES ('todo')");
  for (let index = 0; index < SEEDED_TASKS; index++) insert.run();
  const claim = db.prepare("UPDATE tasks SET status = 'in_progress', owner = 'bench' WHERE id = ? AND status = 'todo' AND owner IS NULL");
  const transaction = db.transaction((id: number) => claim.run(id));
  const samples: number[] = [];
  for (let id = 1; id <= count; id++) {
    const start = performance.now();
    transaction.immediate(id);
    samples.push(performance.now() - start);
  }
  db.close();
  return samples;
}
