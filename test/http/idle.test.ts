// Idle HTTP sessions end: after a (here very short) time without requests the server closes the session
// and frees it; its id then gets 404 so the client initializes again, and the agent's identity and claims
// survive in the store. Waits in real time for the server to act, never asserting how long it took.

import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeTestApp, type TestApp } from '../../fixtures/app.js';
import { removeTempDirs } from '../../fixtures/git.js';
import { connectHttp, rawPost, type HttpToolClient, serveTestHttp } from '../../fixtures/mcp-http.js';
import type { HttpMcpServer } from '../../src/mcp/http-server.js';

const IDLE_MS = 150;

let test: TestApp;
let server: HttpMcpServer;
const clients: HttpToolClient[] = [];

beforeEach(async () => {
  test = await makeTestApp();
  server = await serveTestHttp(test, { addressNames: ['127.0.0.1'], sessionIdleMs: IDLE_MS });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close().catch(() => undefined)));
  await server.close();
  test.app.close();
});
afterAll(removeTempDirs);

async function connect(token: string): Promise<HttpToolClient> {
  const client = await connectHttp(server.url, token);
  clients.push(client);
  return client;
}

const sessionsGone = () => vi.waitFor(() => expect(server.sessionCount()).toBe(0), { timeout: 10_000, interval: 20 });

describe('idle HTTP sessions', () => {
  it('closes a session nobody uses; its id then gets 404, and the same token comes back with its name and claims', async () => {
    const { token } = await test.app.tokens.create({ name: 'ada', role: 'implementer' });
    const planner = test.caller('lead', 'planner');
    const ada = await connect(token);
    await ada.call('coordination_init', { role: 'implementer' });
    const task = await test.app.tasks.create(planner, { title: 'Parser' });
    await ada.call('task_claim', { id: task.id });
    await ada.call('lock_acquire', { path: 'src/parser.ts' });

    await sessionsGone();
    expect(test.app.context.openSessions.size).toBe(0);
    const stale = await rawPost(server.url, { Authorization: `Bearer ${token}`, 'mcp-session-id': ada.sessionId!, 'mcp-protocol-version': '2025-06-18' }, {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'task_list', arguments: {} },
    });
    expect(stale.status).toBe(404);
    await expect(ada.call('task_list', {})).rejects.toMatchObject({ code: 404 }); // the SDK client's cue to initialize again

    const again = await connect(token);
    expect((await again.call('coordination_init', { role: 'implementer' })).agent.name).toBe('ada');
    expect((await again.call('task_list', { owner: 'ada' })).tasks).toMatchObject([{ id: task.id, status: 'in_progress', owner: 'ada' }]);
    expect((await again.call('lock_list', { owner: 'ada' })).locks).toMatchObject([{ path: 'src/parser.ts' }]);
  });

  it('never closes a session while one of its requests is still running', async () => {
    const { token } = await test.app.tokens.create({ name: 'ada', role: 'implementer' });
    const ada = await connect(token);
    await ada.call('coordination_init', { role: 'implementer' });
    // task_wait outlasts the idle time several times over; had the session been closed under it, the call would fail.
    expect(await ada.call('task_wait', { timeoutMs: IDLE_MS * 4 })).toMatchObject({ reason: 'timeout' });
    await sessionsGone();
  });
});
