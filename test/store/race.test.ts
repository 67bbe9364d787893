// Atomicity across real OS processes: 16 workers (each its own simulated host) race on one store per
// backend: a file, or one PostgreSQL database. A claim must have exactly one winner, a lock taken by
// read-decide-write exactly one holder, and concurrent nextId calls must hand out every id exactly once.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { createDatabase, postgresServer } from '../../fixtures/postgres.js';
import { taskRow } from '../../fixtures/rows.js';
import { openStore } from '../../src/store/open.js';
import type { StorageBackend } from '../../src/store/store.js';

const WORKERS = 16;
const ROUNDS = 5;
const IDS_PER_WORKER = 25;
const PROJECT = '/projects/race';
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKER_SCRIPT = fileURLToPath(new URL('./race-worker.ts', import.meta.url));
const server = await postgresServer();
const BACKENDS: StorageBackend[] = ['sqlite', 'json', ...(server.url ? (['postgres'] as const) : [])];
if (server.skip) it.skip(server.skip, () => undefined);

interface Worker {
  name: string;
  send(line: string): void;
  nextLine(): Promise<string>;
  stop(): Promise<void>;
}

function startWorker(name: string, host: string, locations: Partial<Record<StorageBackend, string>>): Worker {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['--import', 'tsx', WORKER_SCRIPT, locations.sqlite!, locations.json!, locations.postgres ?? '-', PROJECT, name, host],
    { cwd: REPO_ROOT },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    name,
    send: (line) => child.stdin.write(`${line}\n`),
    async nextLine() {
      const { value, done } = await lines.next();
      if (done) throw new Error(`worker ${name} ended early: ${stderr}`);
      return value;
    },
    async stop() {
      child.stdin.end();
      await exited;
    },
  };
}

/** Sends one command to every worker back to back, then collects each worker's answer. */
async function everyone(workers: Worker[], command: string): Promise<string[]> {
  workers.forEach((worker) => worker.send(command));
  return Promise.all(workers.map((worker) => worker.nextLine()));
}

describe('stores shared by 16 processes', () => {
  const locations: Partial<Record<StorageBackend, string>> = {};
  let workers: Worker[] = [];

  beforeAll(async () => {
    const dir = makeTempDir('lockstep-race-');
    locations.sqlite = join(dir, 'store.db');
    locations.json = join(dir, 'store.json');
    if (server.url) locations.postgres = await createDatabase(server.url);
    for (const backend of BACKENDS) {
      const store = await openStore(backend, locations[backend]!);
      await store.write(PROJECT, function* (tx) {
        for (let id = 1; id <= ROUNDS; id++) {
          yield* tx.insert('tasks', taskRow(id, { title: `contested ${id}`, createdAt: 0, updatedAt: 0 }));
        }
      });
      store.close();
    }
    workers = Array.from({ length: WORKERS }, (_, i) => startWorker(`worker-${i}`, `host-${i}`, locations));
    expect(await Promise.all(workers.map((worker) => worker.nextLine()))).toEqual(Array(WORKERS).fill('ready'));
  }, 20_000);

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    removeTempDirs();
  });

  describe.each(BACKENDS)('on %s', (backend) => {
    it('lets exactly one process win a compare-and-set claim of the same task, every round', async () => {
      for (let round = 1; round <= ROUNDS; round++) {
        const answers = await everyone(workers, `claim ${backend} ${round}`);
        const winners = workers.filter((_, i) => answers[i] === `claim ${round} 1`).map((worker) => worker.name);
        expect(winners).toHaveLength(1);
        expect(answers.filter((answer) => answer === `claim ${round} 0`)).toHaveLength(WORKERS - 1);
        const store = await openStore(backend, locations[backend]!);
        expect((await store.read(PROJECT, (tx) => tx.one('tasks', { id: round })))?.owner).toBe(winners[0]);
        store.close();
      }
    });

    it('lets exactly one process take a free lock when all read, decide and write at once, every round', async () => {
      for (let round = 1; round <= ROUNDS; round++) {
        const answers = await everyone(workers, `lock ${backend} ${round}`);
        const holders = workers.filter((_, i) => answers[i] === `lock ${round} 1`).map((worker) => worker.name);
        expect(holders).toHaveLength(1);
        const store = await openStore(backend, locations[backend]!);
        const active = await store.read(PROJECT, (tx) => tx.find('locks', { where: { path: `src/contested-${round}.ts`, status: 'active' } }));
        expect(active.map((lock) => [lock.owner, lock.ownerHost])).toEqual([[holders[0], `host-${holders[0]!.slice('worker-'.length)}`]]);
        store.close();
      }
    });

    it('hands out distinct, gap-free ids to processes calling nextId at once', async () => {
      const answers = await everyone(workers, `ids ${backend} ${IDS_PER_WORKER}`);
      const ids = answers.flatMap((answer) => JSON.parse(answer.replace(/^ids /, '')) as number[]);
      const total = WORKERS * IDS_PER_WORKER;
      expect(ids.sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    });
  });
});
