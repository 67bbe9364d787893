// The dashboard's "live and cheap" figures: commit → page latency of the live feed with 1,000 tasks (a
// writer process commits, a WebSocket client here times the arrival), bytes per event, the idle CPU
// of the dashboard process with a page connected, and the first load of the page in headless Chromium.

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface, type Interface } from 'node:readline';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { launchChromium } from '../../fixtures/browser.js';
import { startDashboard, type DashboardProcess } from '../../fixtures/dashboard-process.js';
import { makeRepo, makeTempDir } from '../../fixtures/git.js';
import { format, median, percentile, row } from './stats.js';

const LIVE_EVENTS = Number(process.env.BENCH_LIVE_EVENTS ?? 200);
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 5_000);
const TASKS = 1_000;
/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

const now = () => performance.timeOrigin + performance.now();

export async function benchDashboard(): Promise<string[]> {
  const repo = makeRepo({ 'src/index.ts': 'export {};\n' });
  const dataDir = makeTempDir('lockstep-bench-dashboard-');
  const dbPath = join(dataDir, 'store.db');
  const writer = startWriter(repo, dataDir, dbPath);
  await writer.ask(`seed ${TASKS}`);
  const dashboard = await startDashboard({ cwd: repo, dbPath, dataDir });
  try {
    const feed = await openFeed(dashboard);
    // The backlog (the seeding) first; the figures count live events only.
    await feed.arrival((await writer.ask('create')).split(' ')[0]!);
    feed.bytes = feed.events = 0;
    const delays: number[] = [];
    for (let n = 0; n < LIVE_EVENTS; n++) {
      // A pause between changes, as between agents' tool calls: each change finds the feed idle.
      await new Promise((resolve) => setTimeout(resolve, 20 + (n % 5) * 10));
      const [id, committedAt] = (await writer.ask('create')).split(' ');
      delays.push((await feed.arrival(id!)) - Number(committedAt));
    }
    const idle = await idleCpu(dashboard.child.pid!, IDLE_MS);
    feed.socket.close();
    const load = await firstLoad(dashboard);
    return [
      row(`dashboard: commit → page, p50 (${TASKS.toLocaleString('en')} tasks, writer in another process)`, format(median(delays), 'ms'), '≤ 50 ms (target)', null),
      row('dashboard: commit → page, p99', format(percentile(delays, 99), 'ms'), '—', null),
      row('dashboard: bytes per live event on the wire', `${(feed.bytes / feed.events).toFixed(0)} B`, '≤ 2,048 B (target)', null),
      row(`dashboard: idle CPU with a page connected (${IDLE_MS / 1000} s)`, `${idle.toFixed(2)} %`, '< 1 % (target)', null),
      row('dashboard: first load in Chromium, bytes (1,000 tasks, 10 implementers)', load ? `${(load.bytes / 1024).toFixed(1)} KB` : 'no browser', '≤ 300 KB (target)', null),
      row('dashboard: first load in Chromium, until the board shows', load ? format(load.ms, 'ms') : 'no browser', '≤ 1,000 ms (target)', null),
    ];
  } finally {
    await dashboard.stop();
    writer.close();
  }
}

interface Writer {
  ask(command: string): Promise<string>;
  close(): void;
}

function startWriter(repo: string, dataDir: string, dbPath: string): Writer {
  const script = fileURLToPath(new URL('./dashboard-writer.ts', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, repo, dataDir, dbPath], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: Interface = createInterface({ input: child.stdout! });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  return {
    ask: (command) =>
      new Promise((resolve) => {
        waiting.push(resolve);
        child.stdin!.write(`${command}\n`);
      }),
    close: () => child.stdin!.end(),
  };
}

interface Feed {
  socket: WebSocket;
  /** When the task_created event of this task arrived (wall clock, ms). */
  arrival(taskId: string): Promise<number>;
  bytes: number;
  events: number;
}

async function openFeed(dashboard: DashboardProcess): Promise<Feed> {
  const token = new URL(dashboard.url).searchParams.get('token')!;
  const socket = new WebSocket(`${dashboard.origin.replace('http', 'ws')}/api/live?after=0`, {
    headers: { cookie: `lockstep_session=${token}`, origin: dashboard.origin },
  });
  const arrived = new Map<string, number>();
  const waiting = new Map<string, (at: number) => void>();
  const feed: Feed = {
    socket,
    bytes: 0,
    events: 0,
    arrival: (taskId) => (arrived.has(taskId) ? Promise.resolve(arrived.get(taskId)!) : new Promise((resolve) => waiting.set(taskId, resolve))),
  };
  socket.on('message', (data: Buffer) => {
    const at = now();
    const events = JSON.parse(String(data)) as { kind: string; subject?: string }[];
    feed.bytes += data.byteLength;
    feed.events += events.length;
    for (const event of events) {
      if (event.kind !== 'task_created' || event.subject === undefined) continue;
      arrived.set(event.subject, at);
      waiting.get(event.subject)?.(at);
    }
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return feed;
}

/** The share of one core the process used over `ms`, from its user + system time in /proc. */
async function idleCpu(pid: number, ms: number): Promise<number> {
  const cpuTicks = () => {
    // Fields after the command name (which may hold spaces) start at the state, field 3: utime is 14, stime 15.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  };
  const before = cpuTicks();
  const start = performance.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const used = (cpuTicks() - before) / TICKS_PER_SECOND;
  return (used / ((performance.now() - start) / 1000)) * 100;
}

async function firstLoad(dashboard: DashboardProcess): Promise<{ bytes: number; ms: number } | undefined> {
  const { browser } = await launchChromium();
  if (!browser) return undefined;
  try {
    const page = await browser.newPage();
    const sizes: Promise<number>[] = [];
    page.on('requestfinished', (request) => sizes.push(request.sizes().then((size) => size.responseBodySize + size.responseHeadersSize)));
    const start = performance.now();
    await page.goto(dashboard.url);
    // Interactive: the board's first page of cards is drawn and the live feed is connected.
    await page.locator('.card').nth(99).waitFor();
    await page.waitForSelector('[data-testid=live]:has-text("live")');
    const ms = performance.now() - start;
    const bytes = (await Promise.all(sizes)).reduce((sum, size) => sum + size, 0);
    return { bytes, ms };
  } finally {
    await browser.close();
  }
}
