// The store and call path under load (issue 10): the lock pair and 8-process contention beside SDK echo
// calls (the protocol floor), JSON note_append writes/s at 1 and 4 processes, and the unread note_list
// after 50,000 notes. Floors and ours run interleaved so machine load hits both alike.

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { spawnServer, type ToolClient } from '../../fixtures/mcp.js';
import { openStore } from '../../src/store/open.js';
import { postgresContention } from './postgres.js';
import { format, percentile, row, timeAsync } from './stats.js';

/** Another build measured the same way (BENCH_CLI=…/dist/cli.js): how README's before/after rows are taken. */
const cli = process.env.BENCH_CLI;

export interface Echo {
  echo(): Promise<unknown>;
  close(): Promise<void>;
  pid?: number;
}

/** A client of the one-tool SDK server (startup.ts builds it): one echo call is one protocol round trip. */
export async function spawnEcho(bundle: string): Promise<Echo> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [bundle], stderr: 'ignore' });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  return { echo: () => client.callTool({ name: 'echo', arguments: { text: 'x' } }), close: () => client.close(), pid: transport.pid ?? undefined };
}

/** Samples of one lock_acquire + lock_release, and of two echo calls, alternating run by run. */
export async function lockPairs(agent: ToolClient, floor: Echo, count: number): Promise<{ ours: number[]; floor: number[] }> {
  const ours: number[] = [];
  const echoes: number[] = [];
  for (let index = 0; index < count; index++) {
    const path = `src/pair-${index % 50}.ts`;
    ours.push(await timeAsync(async () => {
      await agent.call('lock_acquire', { path });
      await agent.call('lock_release', { path });
    }));
    echoes.push(await timeAsync(async () => {
      await floor.echo();
      await floor.echo();
    }));
  }
  return { ours, floor: echoes };
}

export interface Throughput {
  perSecond: number;
  p50: number;
  p99: number;
  refusals: number;
  errors: string[];
}

/** Runs `step` in a loop on every worker for `ms`; a step returns false when it was refused. */
async function loadTest<W>(workers: W[], ms: number, step: (worker: W) => Promise<boolean | string>): Promise<Throughput> {
  const deadline = Date.now() + ms;
  const samples: number[] = [];
  const errors: string[] = [];
  let refusals = 0;
  const started = performance.now();
  await Promise.all(
    workers.map(async (worker) => {
      while (Date.now() < deadline) {
        const start = performance.now();
        const outcome = await step(worker);
        if (outcome === true) samples.push(performance.now() - start);
        else if (outcome === false) refusals++;
        else errors.push(outcome);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: samples.length / seconds, p50: percentile(samples, 50), p99: percentile(samples, 99), refusals, errors };
}

const text = (result: { content: unknown }) => ((result.content as { text: string }[])[0]?.text ?? '');

/** Grants per second: every agent acquires and releases random paths among `paths`. */
export function lockContention(agents: ToolClient[], paths: number, ms: number): Promise<Throughput> {
  return loadTest(agents, ms, async (agent) => {
    const path = `shared/p${Math.floor(Math.random() * paths)}.ts`;
    const acquired = await agent.raw('lock_acquire', { path });
    if (acquired.isError) return text(acquired).startsWith('LOCK_HELD') ? false : text(acquired);
    const released = await agent.raw('lock_release', { path });
    return released.isError ? text(released) : true;
  });
}

/** The floor of a grant under the same concurrency: two echo calls per client, each its own server. */
export function echoContention(echoes: Echo[], ms: number): Promise<Throughput> {
  return loadTest(echoes, ms, async (echo) => {
    await echo.echo();
    await echo.echo();
    return true;
  });
}

export function noteWrites(agents: ToolClient[], ms: number): Promise<Throughput> {
  return loadTest(agents, ms, async (agent) => {
    const result = await agent.raw('note_append', { text: 'bench note' });
    return result.isError ? text(result) : true;
  });
}

/** Fresh JSON stores written by 1 and 4 processes: note_append writes per second each. */
export async function jsonWriteRates(repo: string, dir: string, ms: number): Promise<Record<1 | 4, Throughput>> {
  const rates = {} as Record<1 | 4, Throughput>;
  for (const processes of [1, 4] as const) {
    const args = ['--storage', 'json', '--db-path', join(dir, `notes-${processes}.json`)];
    const agents = await Promise.all(Array.from({ length: processes }, () => spawnServer({ cwd: repo, args, cli })));
    await Promise.all(agents.map((agent, index) => agent.call('coordination_init', { role: 'implementer', name: `w${index}` })));
    rates[processes] = await noteWrites(agents, ms);
    await Promise.all(agents.map((agent) => agent.close()));
  }
  return rates;
}

export const NOTE_BACKLOG = 50_000;

/**
 * A reader whose cursor is at note 0 while 50,000 notes went to another agent: its unread note_list
 * finds nothing, which without an index on the addressee means walking every later note.
 */
export async function unreadNotesAfterBacklog(repo: string, dir: string, count: number): Promise<number[]> {
  const dbPath = join(dir, 'backlog.db');
  const reader = await spawnServer({ cwd: repo, args: ['--db-path', dbPath], cli });
  await reader.call('coordination_init', { role: 'implementer', name: 'reader' });
  const store = await openStore('sqlite', dbPath);
  await store.write(realpathSync(repo), function* (tx) {
    for (let index = 0; index < NOTE_BACKLOG; index++) {
      yield* tx.insert('notes', { id: (yield* tx.nextId('note')), author: 'writer', to: 'someone-else', text: `note ${index}`, createdAt: index });
    }
  });
  store.close();
  const samples: number[] = [];
  for (let index = 0; index < count; index++) samples.push(await timeAsync(() => reader.call('note_list', {})));
  await reader.close();
  return samples;
}

/** The reference figures, measured on this machine with the reference implementation; quoted as they are. */
const REFERENCE = {
  lockPairMs: 0.83,
  contention: '2/s (thousands of errors)',
  jsonWrites: { 1: 345, 4: 290 },
  unreadMs: 75,
};

/** The rows of `npm run bench` for the store and call path. */
export async function benchStore(repo: string, dir: string, echoBundle: string, roundTrips: number): Promise<string[]> {
  const lines: string[] = [];
  const dbPath = join(dir, 'pairs.db');
  const agent = await spawnServer({ cwd: repo, args: ['--db-path', dbPath], cli });
  await agent.call('coordination_init', { role: 'implementer', name: 'pair' });
  const floor = await spawnEcho(echoBundle);
  const pairs = await lockPairs(agent, floor, roundTrips);
  await Promise.all([agent.close(), floor.close()]);
  const [ours, echoes] = [percentile(pairs.ours, 50), percentile(pairs.floor, 50)];
  lines.push(row(`lock_acquire + lock_release over stdio, p50 (reference ${REFERENCE.lockPairMs} ms)`, format(ours, 'ms'), `${format(echoes, 'ms')} (two SDK echo calls)`, ours / echoes));

  const contenders = await Promise.all(Array.from({ length: 8 }, () => spawnServer({ cwd: repo, args: ['--db-path', join(dir, 'contention.db')], cli })));
  await Promise.all(contenders.map((contender, index) => contender.call('coordination_init', { role: 'implementer', name: `c${index}` })));
  const echoClients = await Promise.all(Array.from({ length: 8 }, () => spawnEcho(echoBundle)));
  const seconds = Number(process.env.BENCH_LOAD_MS ?? 3_000);
  const [contended, echoed] = [await lockContention(contenders, 10, seconds), await echoContention(echoClients, seconds)];
  await Promise.all([...contenders, ...echoClients].map((client) => client.close()));
  lines.push(
    row(
      `8 processes, 10 shared paths: grants/s (reference ${REFERENCE.contention})`,
      `${contended.perSecond.toFixed(0)}/s, p50 ${format(contended.p50, 'ms')}, p99 ${format(contended.p99, 'ms')} (${contended.refusals} LOCK_HELD, ${contended.errors.length} errors)`,
      `${echoed.perSecond.toFixed(0)}/s, p99 ${format(echoed.p99, 'ms')} (8 SDK echo servers, 2 calls per grant)`,
      contended.perSecond / echoed.perSecond,
    ),
  );
  if (contended.errors.length > 0) lines.push(`errors: ${contended.errors.slice(0, 3).join(' / ')}`);
  const onPostgres = await postgresContention(repo, seconds);
  if (onPostgres) {
    lines.push(
      row(
        '8 processes, 10 shared paths on PostgreSQL: grants/s',
        `${onPostgres.perSecond.toFixed(0)}/s, p50 ${format(onPostgres.p50, 'ms')}, p99 ${format(onPostgres.p99, 'ms')} (${onPostgres.errors.length} errors)`,
        `${contended.perSecond.toFixed(0)}/s on SQLite (row above)`,
        onPostgres.perSecond / contended.perSecond,
      ),
    );
    if (onPostgres.errors.length > 0) lines.push(`errors: ${onPostgres.errors.slice(0, 3).join(' / ')}`);
  }

  const rates = await jsonWriteRates(repo, dir, seconds);
  for (const processes of [1, 4] as const) {
    const rate = rates[processes];
    lines.push(row(`JSON backend, note_append writes/s, ${processes} process${processes > 1 ? 'es' : ''}`, `${rate.perSecond.toFixed(0)}/s (${rate.errors.length} errors)`, `${REFERENCE.jsonWrites[processes]}/s (reference)`, rate.perSecond / REFERENCE.jsonWrites[processes]));
  }

  const unread = percentile(await unreadNotesAfterBacklog(repo, dir, roundTrips), 50);
  lines.push(row(`unread note_list after ${NOTE_BACKLOG.toLocaleString('en')} notes, p50`, format(unread, 'ms'), `${REFERENCE.unreadMs} ms (reference); target 1 ms`, unread / REFERENCE.unreadMs));
  return lines;
}
