// Team mode's costs, each sampled in turn with what it is compared to, so machine noise falls on both
// alike: a tool round trip over Streamable HTTP beside the same call over stdio (real server processes
// on one store), and how soon task_wait in one server wakes for a task created through another, on
// PostgreSQL (pushed by LISTEN/NOTIFY) beside SQLite (polled).

import { join } from 'node:path';
import { makeTempDir } from '../../fixtures/git.js';
import { spawnHttpServer } from '../../fixtures/http-server-process.js';
import { connectHttp } from '../../fixtures/mcp-http.js';
import { spawnServer, type ToolClient } from '../../fixtures/mcp.js';
import { createDatabase, postgresBinaries, startCluster } from '../../fixtures/postgres.js';
import { format, median, percentile, row, timeAsync } from './stats.js';

async function lockPair(agent: ToolClient, path: string): Promise<number> {
  return timeAsync(async () => {
    await agent.call('lock_acquire', { path });
    await agent.call('lock_release', { path });
  });
}

export async function benchHttpRoundTrips(repo: string, count: number): Promise<string[]> {
  const dataDir = makeTempDir('lockstep-bench-http-');
  const settings = ['--data-dir', dataDir, '--db-path', join(dataDir, 'team.db')];
  const http = await spawnHttpServer({ cwd: repo, args: ['--no-auth', ...settings] });
  const overHttp = await connectHttp(http.url);
  const overStdio = await spawnServer({ cwd: repo, args: settings });
  await overHttp.call('coordination_init', { role: 'implementer', name: 'bench-http' });
  await overStdio.call('coordination_init', { role: 'implementer', name: 'bench-stdio' });
  const samples = { http: [] as number[], stdio: [] as number[] };
  for (let index = 0; index < count; index++) {
    samples.http.push(await lockPair(overHttp, `src/http-${index % 50}.ts`));
    samples.stdio.push(await lockPair(overStdio, `src/stdio-${index % 50}.ts`));
  }
  await overHttp.close();
  await overStdio.close();
  await http.close();
  const label = 'lock_acquire + lock_release over Streamable HTTP (loopback)';
  return [
    row(`${label}, p50`, format(median(samples.http), 'ms'), `${format(median(samples.stdio), 'ms')} (stdio)`, median(samples.http) / median(samples.stdio)),
    row(`${label}, p99`, format(percentile(samples.http, 99), 'ms'), `${format(percentile(samples.stdio, 99), 'ms')} (stdio)`, percentile(samples.http, 99) / percentile(samples.stdio, 99)),
  ];
}

interface WakePair {
  planner: ToolClient;
  waiter: ToolClient;
}

async function wakePair(repo: string, args: string[]): Promise<WakePair> {
  const [planner, waiter] = await Promise.all([spawnServer({ cwd: repo, args }), spawnServer({ cwd: repo, args })]);
  await planner.call('coordination_init', { role: 'planner', name: 'wake-planner' });
  await waiter.call('coordination_init', { role: 'implementer', name: 'wake-waiter' });
  return { planner, waiter };
}

/** From sending task_create to one server until task_wait in the other answers with that task. */
async function wakeUp({ planner, waiter }: WakePair): Promise<number> {
  const waiting = waiter.call('task_wait', { timeoutMs: 10_000 });
  // Let the wait start, read the empty board and settle into waiting before the task exists.
  await new Promise((resolve) => setTimeout(resolve, 30));
  const start = performance.now();
  const { task } = await planner.call('task_create', { title: 'wake up' });
  const woken = await waiting;
  const elapsed = performance.now() - start;
  if (woken.reason !== 'task') throw new Error(`task_wait answered ${JSON.stringify(woken)}`);
  await waiter.call('task_claim', { id: task.id });
  return elapsed;
}

export async function benchWakeUp(repo: string, rounds: number): Promise<string[]> {
  if (!postgresBinaries()) return ['| task_wait wake-up across servers | (no PostgreSQL server binaries here) | | |'];
  const cluster = await startCluster();
  try {
    const onPostgres = await wakePair(repo, ['--storage', 'postgres', '--database-url', await createDatabase(cluster.url)]);
    const dataDir = makeTempDir('lockstep-bench-wake-');
    const onSqlite = await wakePair(repo, ['--data-dir', dataDir, '--db-path', join(dataDir, 'wake.db')]);
    const samples = { postgres: [] as number[], sqlite: [] as number[] };
    for (let index = 0; index < rounds; index++) {
      samples.postgres.push(await wakeUp(onPostgres));
      samples.sqlite.push(await wakeUp(onSqlite));
    }
    await Promise.all([onPostgres, onSqlite].flatMap(({ planner, waiter }) => [planner.close(), waiter.close()]));
    const [pushed, polled] = [median(samples.postgres), median(samples.sqlite)];
    return [
      row(
        'task_create in one server → task_wait answers in another, p50 (PostgreSQL, LISTEN/NOTIFY)',
        format(pushed, 'ms'),
        `${format(polled, 'ms')} (SQLite, polled every 250 ms)`,
        pushed / polled,
      ),
    ];
  } finally {
    cluster.stop();
  }
}
