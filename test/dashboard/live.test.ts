// The live feed on both backends: a write through another App on the same store file (another
// process's view) reaches an open WebSocket as incremental events, and a foreign Host cannot upgrade.

import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { makeTestApp, type TestApp } from '../../fixtures/app.js';
import { makeTestDashboard, type TestDashboard } from '../../fixtures/dashboard.js';
import { everyBackend } from '../../fixtures/backends.js';
import { removeTempDirs } from '../../fixtures/git.js';

afterAll(removeTempDirs);

const opened: { d: TestDashboard; other: TestApp }[] = [];
afterEach(async () => {
  for (const { d, other } of opened.splice(0)) {
    other.app.close();
    await d.close();
  }
});

function connect(d: TestDashboard, after: number, headers: Record<string, string> = {}) {
  const socket = new WebSocket(`ws://127.0.0.1:${d.dashboard.port}/api/live?after=${after}`, { headers: { cookie: d.cookie, origin: d.origin, ...headers } });
  const messages: string[] = [];
  socket.on('message', (data) => messages.push(String(data)));
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
  });
  return { socket, messages, opened };
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe.each(await everyBackend())('the live feed on %s', (storage) => {
  it('sends the backlog after the given seq, then each new event from another writer, small and without nulls', async () => {
    const d = await makeTestDashboard({ storage });
    const other = await makeTestApp({ storage, repo: d.t.repo, dbPath: d.t.config.dbPath });
    opened.push({ d, other });
    const planner = other.caller('plan', 'planner');
    await other.app.tasks.create(planner, { title: 'before' });
    await other.app.tasks.create(planner, { title: 'seen already' });

    const feed = connect(d, 1);
    await feed.opened;
    await until(() => feed.messages.length === 1);
    expect(JSON.parse(feed.messages[0]!)).toEqual([{ seq: 2, at: expect.any(Number), actor: 'plan', kind: 'task_created', subject: '2', data: expect.any(Object) }]);

    await other.app.tasks.create(planner, { title: 'live' });
    await until(() => feed.messages.length === 2);
    const pushed = JSON.parse(feed.messages[1]!) as { seq: number; kind: string }[];
    expect(pushed).toMatchObject([{ seq: 3, kind: 'task_created' }]);
    expect(Buffer.byteLength(feed.messages[1]!)).toBeLessThan(2048);
    expect(feed.messages[1]).not.toContain('null');
    feed.socket.close();
  });

  it('refuses an upgrade with a foreign Host', async () => {
    const d = await makeTestDashboard({ storage });
    opened.push({ d, other: await makeTestApp({ storage }) });
    const feed = connect(d, 0, { host: 'evil.example' });
    await expect(feed.opened).rejects.toThrow('403');
  });
});
