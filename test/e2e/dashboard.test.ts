// `lockstep-mcp dashboard` and `dashboard_open` as users and agents run them: the built binary, real
// processes, one store. Events written by another MCP server process reach a page's WebSocket, and a
// reconnect resumes from the page's last seq.

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { httpRequest } from '../../fixtures/dashboard.js';
import { makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { BUILT_CLI, spawnServer, type ToolClient } from '../../fixtures/mcp.js';
import { recordFile } from '../../src/launch/dashboard-instance.js';

afterAll(removeTempDirs);

const children: ChildProcess[] = [];
const clients: ToolClient[] = [];
const pids: number[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  for (const child of children.splice(0)) child.kill('SIGTERM');
  for (const pid of pids.splice(0)) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
});

interface Started {
  out: string;
  err: string;
  url?: URL;
  child: ChildProcess;
}

/** Runs `lockstep-mcp dashboard` and resolves once it printed an address (or exited). */
function runDashboard(cwd: string, dataDir: string, ...args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [BUILT_CLI, 'dashboard', '--no-open', '--data-dir', dataDir, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const done = () => {
      const match = /(http:\/\/\S+token=\S+)/.exec(out);
      resolve({ out, err, child, url: match ? new URL(match[1]!) : undefined });
    };
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (/Ctrl-C|already serves/.test(out)) done();
    });
    child.on('exit', done);
  });
}

/** Logs in with the token as a browser would and returns the session cookie. */
async function login(url: URL): Promise<string> {
  const answer = await httpRequest(Number(url.port), `${url.pathname}${url.search}`);
  expect(answer.status).toBe(303);
  return String(answer.headers['set-cookie']).split(';')[0]!;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Collects what a live feed sends; `next(n)` waits for n more events. */
function openFeed(url: URL, cookie: string, after: number, origin = url.origin) {
  const socket = new WebSocket(`ws://${url.host}/api/live?after=${after}`, { headers: { cookie, origin } });
  const events: { seq: number; kind: string; actor?: string }[] = [];
  const waiters: (() => void)[] = [];
  socket.on('message', (data) => {
    events.push(...(JSON.parse(String(data)) as typeof events));
    for (const wake of waiters.splice(0)) wake();
  });
  return {
    socket,
    events,
    opened: new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
      socket.once('error', reject);
    }),
    async until(count: number) {
      while (events.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
      return events;
    },
  };
}

describe('lockstep-mcp dashboard', () => {
  it('prints a token URL; a second plain start prints the same one; an explicit --port starts another', async () => {
    const repo = makeRepo();
    const dataDir = makeTempDir('lockstep-data-');
    const first = await runDashboard(repo, dataDir);
    expect(first.url?.searchParams.get('project')).toBe(repo);
    const cookie = await login(first.url!);
    const projects = await httpRequest(Number(first.url!.port), '/api/projects', { headers: { cookie } });
    expect(projects.status).toBe(200);

    const second = await runDashboard(repo, dataDir);
    expect(second.out).toContain(`already serves this store (pid ${first.child.pid})`);
    expect(second.url?.href).toBe(first.url?.href);

    const port = await freePort();
    const third = await runDashboard(repo, dataDir, '--port', String(port));
    expect(third.url?.port).toBe(String(port));
    expect(third.url?.searchParams.get('token')).not.toBe(first.url?.searchParams.get('token'));
  });

  it('warns when told to listen beyond loopback, and then answers to this machine\'s name', async () => {
    const started = await runDashboard(makeRepo(), makeTempDir('lockstep-data-'), '--host', '0.0.0.0');
    expect(started.err).toContain('warning: --host 0.0.0.0 exposes the dashboard');
    expect(started.url?.hostname).toBe('127.0.0.1');
    const cookie = await login(started.url!);
    const answer = await httpRequest(Number(started.url!.port), '/api/projects', { headers: { cookie, host: `${hostname()}:${started.url!.port}` } });
    expect(answer.status).toBe(200);
  });

  it("ignores a record left by a dead process and starts its own", async () => {
    const repo = makeRepo();
    const dataDir = makeTempDir('lockstep-data-');
    const file = recordFile({ dataDir, store: join(dataDir, 'coordinator.db') });
    mkdirSync(join(dataDir, 'dashboard'), { recursive: true });
    writeFileSync(file, JSON.stringify({ pid: 2 ** 22 + 12345, url: 'http://127.0.0.1:1', token: 'old', store: join(dataDir, 'coordinator.db'), startedAt: 0 }));
    const started = await runDashboard(repo, dataDir);
    expect(started.out).toContain('Open: http://127.0.0.1:');
    expect(JSON.parse(readFileSync(file, 'utf8')).pid).toBe(started.child.pid);
  });

  it('pushes events written by another MCP server process, resumes from a seq, and refuses a foreign Origin upgrade', async () => {
    const repo = makeRepo();
    const dataDir = makeTempDir('lockstep-data-');
    const { url } = await runDashboard(repo, dataDir);
    const cookie = await login(url!);

    const refused = openFeed(url!, cookie, 0, 'http://evil.example');
    await expect(refused.opened).rejects.toThrow('403');
    const anonymous = openFeed(url!, 'lockstep_session=wrong', 0);
    await expect(anonymous.opened).rejects.toThrow('401');

    const feed = openFeed(url!, cookie, 0);
    await feed.opened;
    const planner = await spawnServer({ cwd: repo, args: ['--data-dir', dataDir] });
    clients.push(planner);
    await planner.call('coordination_init', { role: 'planner', name: 'plan' });
    await planner.call('task_create', { title: 'from another process' });
    const events = await feed.until(2);
    expect(events.map((event) => event.kind)).toEqual(['agent_joined', 'task_created']);
    feed.socket.close();

    await planner.call('task_create', { title: 'while the page was away' });
    const resumed = openFeed(url!, cookie, events[1]!.seq);
    await resumed.opened;
    const after = await resumed.until(1);
    expect(after).toEqual([expect.objectContaining({ seq: events[1]!.seq + 1, kind: 'task_created', actor: 'plan' })]);
    resumed.socket.close();
  });
});

describe('several writers and readers on one store', () => {
  it('two MCP servers writing; two feeds on one dashboard and one on a second instance see the same events in the same order', async () => {
    const repo = makeRepo();
    const dataDir = makeTempDir('lockstep-data-');
    const first = await runDashboard(repo, dataDir);
    const second = await runDashboard(repo, dataDir, '--port', String(await freePort()));
    const feeds = await Promise.all(
      [first.url!, first.url!, second.url!].map(async (url) => {
        const feed = openFeed(url, await login(url), 0);
        await feed.opened;
        return feed;
      }),
    );
    const [planner, implementer] = await Promise.all([spawnServer({ cwd: repo, args: ['--data-dir', dataDir] }), spawnServer({ cwd: repo, args: ['--data-dir', dataDir] })]);
    clients.push(planner, implementer);
    await planner.call('coordination_init', { role: 'planner', name: 'plan' });
    await implementer.call('coordination_init', { role: 'implementer', name: 'ada' });
    await Promise.all([
      ...Array.from({ length: 5 }, (_, i) => planner.call('task_create', { title: `t${i}` })),
      ...Array.from({ length: 5 }, (_, i) => implementer.call('note_append', { text: `n${i}` })),
    ]);
    const seen = await Promise.all(feeds.map((feed) => feed.until(12)));
    const order = (events: { seq: number; kind: string }[]) => events.map((event) => `${event.seq}:${event.kind}`);
    expect(order(seen[0]!)).toHaveLength(12);
    expect(order(seen[1]!)).toEqual(order(seen[0]!));
    expect(order(seen[2]!)).toEqual(order(seen[0]!));
    expect(seen[0]!.map((event) => event.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    for (const feed of feeds) feed.socket.close();
  });
});

describe('dashboard_open', () => {
  it('starts one detached dashboard for the store and returns its address without the token', async () => {
    const repo = makeRepo();
    const dataDir = makeTempDir('lockstep-data-');
    const agent = await spawnServer({ cwd: repo, args: ['--data-dir', dataDir], env: { DISPLAY: '', WAYLAND_DISPLAY: '' } });
    clients.push(agent);
    const first = await agent.raw('dashboard_open', {});
    const opened = first.structuredContent as { url: string; started: boolean; browser: boolean };
    expect(opened).toMatchObject({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), started: true, browser: false });
    const [recordName] = readdirSync(join(dataDir, 'dashboard')).filter((name) => name.endsWith('.json'));
    const record = JSON.parse(readFileSync(join(dataDir, 'dashboard', recordName!), 'utf8')) as { pid: number; token: string; url: string };
    pids.push(record.pid);
    expect(record.url).toBe(opened.url);
    expect(JSON.stringify(first)).not.toContain(record.token);

    const again = await agent.call('dashboard_open', {});
    expect(again).toMatchObject({ url: opened.url, started: false });
    const refused = await httpRequest(Number(new URL(opened.url).port), '/api/projects');
    expect(refused.status).toBe(401);
  });
});
