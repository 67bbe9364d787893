// The MCP server over Streamable HTTP, in process on a loopback port: real SDK clients, real tokens in a
// real store, several sessions at once. Every refusal is checked to have done nothing.

import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../fixtures/app.js';
import { removeTempDirs } from '../../fixtures/git.js';
import { connectInMemory, type ToolClient } from '../../fixtures/mcp.js';
import { connectHttp, rawPost, type HttpToolClient, serveTestHttp } from '../../fixtures/mcp-http.js';
import type { AgentRole } from '../../src/core/vocabulary.js';
import type { HttpMcpServer } from '../../src/mcp/http-server.js';

let test: TestApp;
let server: HttpMcpServer;
const clients: ToolClient[] = [];

beforeEach(async () => {
  test = await makeTestApp();
  server = await serveTestHttp(test);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close().catch(() => undefined)));
  await server.close();
  test.app.close();
});
afterAll(removeTempDirs);

async function tokenFor(name: string, role: AgentRole = 'implementer'): Promise<string> {
  return (await test.app.tokens.create({ name, role })).token;
}

async function agent(token: string): Promise<HttpToolClient> {
  const client = await connectHttp(server.url, token);
  clients.push(client);
  return client;
}

const host = () => new URL(server.url).host;
const taskCount = () => test.app.context.store.read(test.repo, (tx) => tx.count('tasks'));

describe('access to the HTTP server', () => {
  it('answers a request without a token, or with a wrong one, with 401 and opens no session', async () => {
    await tokenFor('ada');
    for (const headers of [{} as Record<string, string>, { Authorization: 'Bearer lsk_not-a-real-token' }, { Authorization: 'Basic YWRhOmFkYQ==' }]) {
      const answer = await rawPost(server.url, headers);
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(answer.body).toMatch(/TOKEN_INVALID/);
    }
    expect(server.sessionCount()).toBe(0);
    await expect(connectHttp(server.url)).rejects.toThrow(/TOKEN_INVALID/);
  });

  it('refuses a revoked token from its next request, and the refused call changes nothing', async () => {
    const planner = await agent(await tokenFor('lead', 'planner'));
    await planner.call('coordination_init', { role: 'planner' });
    await test.app.tokens.revoke('lead');
    await expect(planner.raw('task_create', { title: 'never stored' })).rejects.toThrow(/TOKEN_INVALID: the bearer token is unknown, revoked/);
    expect(await taskCount()).toBe(0);
  });

  it('refuses an expired token', async () => {
    const token = (await test.app.tokens.create({ name: 'brief', role: 'implementer' }, 60_000)).token;
    expect((await rawPost(server.url, { Authorization: `Bearer ${token}` })).status).toBe(200);
    test.clock.advance(60_000);
    expect((await rawPost(server.url, { Authorization: `Bearer ${token}` })).status).toBe(401);
  });

  it('refuses a foreign Host as such before looking at any token', async () => {
    const token = await tokenFor('ada');
    for (const headers of [{ Host: 'evil.example.com' } as Record<string, string>, { Host: `evil.example.com:${new URL(server.url).port}`, Authorization: `Bearer ${token}` }]) {
      const answer = await rawPost(server.url, headers);
      expect(answer.status).toBe(403);
      expect(answer.body).toMatch(/HOST_FORBIDDEN: Host/);
    }
    expect(server.sessionCount()).toBe(0);
  });

  it('refuses a browser Origin of another site, and accepts our own origin and none', async () => {
    const auth = { Authorization: `Bearer ${await tokenFor('ada')}` };
    const foreign = await rawPost(server.url, { ...auth, Origin: 'http://evil.example.com' });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatch(/ORIGIN_FORBIDDEN: Origin/);
    expect(server.sessionCount()).toBe(0);
    expect((await rawPost(server.url, { ...auth, Origin: `http://${host()}` })).status).toBe(200);
    expect((await rawPost(server.url, { ...auth, Host: `localhost:${new URL(server.url).port}` })).status).toBe(200);
    expect(server.sessionCount()).toBe(2);
  });

  it('keeps a session to the token that opened it', async () => {
    const ada = await agent(await tokenFor('ada'));
    await ada.call('coordination_init', { role: 'implementer' });
    const other = await tokenFor('bob');
    const body = { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'task_list', arguments: {} } };
    const answer = await rawPost(server.url, { Authorization: `Bearer ${other}`, 'mcp-session-id': ada.sessionId!, 'mcp-protocol-version': '2025-06-18' }, body);
    expect(answer.status).toBe(403);
    expect(answer.body).toMatch(/another token/);
  });
});

describe('identity over HTTP', () => {
  it("binds a session to its token's name and role: an implementer token cannot register as planner or another name", async () => {
    const ada = await agent(await tokenFor('ada'));
    expect(await ada.callError('coordination_init', { role: 'planner' })).toMatch(/^ROLE_FORBIDDEN: your access token "ada" is for an implementer/);
    expect(await ada.callError('coordination_init', { role: 'implementer', name: 'lead' })).toMatch(/^IDENTITY_MISMATCH: /);
    expect((await ada.call('coordination_init', { role: 'implementer', type: 'codex' })).agent).toEqual({ name: 'ada', role: 'implementer', type: 'codex' });
  });

  it('admits a planner token even when the project already has a planner; an implementer token under a planner name is not', async () => {
    const local = await connectInMemory(test);
    await local.call('coordination_init', { role: 'planner', name: 'lead' });
    const remote = await agent(await tokenFor('remote-lead', 'planner'));
    expect((await remote.call('coordination_init', { role: 'planner' })).agent.name).toBe('remote-lead');
    await remote.call('planner_admit', { name: 'third' }); // acts as an admitted planner
    const impostor = await agent(await tokenFor('lead'));
    expect(await impostor.callError('coordination_init', { role: 'implementer' })).toMatch(/^(NAME_TAKEN|ADMISSION_REQUIRED): /);
    await local.close();
  });

  it("serves several agents at once: a waiting implementer wakes when the planner creates a task, and sees the planner's news", async () => {
    const planner = await agent(await tokenFor('lead', 'planner'));
    const implementerToken = await tokenFor('ada');
    const ada = await agent(implementerToken);
    await planner.call('coordination_init', { role: 'planner' });
    await ada.call('coordination_init', { role: 'implementer' });
    expect(server.sessionCount()).toBe(2);
    const waiting = ada.call('task_wait', { timeoutMs: 60_000 });
    await planner.call('task_create', { title: 'Parser' });
    expect(await waiting).toMatchObject({ reason: 'task', task: { id: 1, title: 'Parser' } });
    await planner.call('note_append', { text: 'use the new lexer', to: 'ada' });
    const { pending } = await ada.call('task_list', {});
    expect(JSON.stringify(pending)).toMatch(/use the new lexer|notes/);

    // The same token in a new session (a restarted client) takes its name back while the old session is open.
    const again = await agent(implementerToken);
    expect((await again.call('coordination_init', { role: 'implementer' })).agent.name).toBe('ada');
  });

  it('forgets a session the client ends', async () => {
    const ada = await agent(await tokenFor('ada'));
    expect(server.sessionCount()).toBe(1);
    await ada.transport.terminateSession();
    expect(server.sessionCount()).toBe(0);
    expect(test.app.context.openSessions.size).toBe(0);
  });
});
