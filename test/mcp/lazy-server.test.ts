// The lazy server on real streams, with the real SDK server behind it: the handshake is answered
// byte for byte as the SDK answers it, without loading anything; the first other message loads the
// real server once, which then behaves as if it had heard the whole session.

import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../fixtures/app.js';
import { removeTempDirs } from '../../fixtures/git.js';
import { liveAnswers, sdkAnswers } from '../../fixtures/handshake.js';
import type { ShippedAnswers } from '../../src/mcp/handshake.js';
import { LazyServer } from '../../src/mcp/lazy-server.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { LineLimitedStdioTransport } from '../../src/mcp/stdio-transport.js';

afterAll(removeTempDirs);

const INITIALIZE = {
  jsonrpc: '2.0', id: 1, method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: { roots: { listChanged: true }, elicitation: {} }, clientInfo: { name: 'ada-client', version: '3' } },
} as const;
const INITIALIZED = { jsonrpc: '2.0', method: 'notifications/initialized' } as const;
const LIST = { jsonrpc: '2.0', id: 2, method: 'tools/list' } as const;
const call = (id: number, name = 'task_list') => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {} } }) as const;

let shared: { test: TestApp; answers: ShippedAnswers } | undefined;
async function fixture() {
  if (!shared) {
    const test = await makeTestApp();
    shared = { test, answers: await liveAnswers(() => createMcpServer(test.app, test.config, { version: 'test' })) };
  }
  return shared;
}

async function lazyPair(options: { shipped?: boolean; failLoad?: boolean } = {}) {
  const { test, answers } = await fixture();
  const input = new PassThrough();
  const output = new PassThrough();
  const servers: McpServer[] = [];
  const errors: string[] = [];
  const lazy = new LazyServer(new LineLimitedStdioTransport(input, output), options.shipped === false ? undefined : answers, async () => {
    if (options.failLoad) throw new Error('broken install');
    const server = createMcpServer(test.app, test.config, { version: 'test', catalog: JSON.parse(answers.toolsJson) });
    servers.push(server);
    return (transport) => server.connect(transport);
  });
  lazy.onerror = (error) => errors.push(error.message);
  const closed = new Promise<void>((resolve) => (lazy.onclose = resolve));
  await lazy.start();
  const lines = createInterface({ input: output })[Symbol.asyncIterator]();
  return {
    lazy, servers, errors, closed,
    send: (...messages: object[]) => input.write(messages.map((message) => `${JSON.stringify(message)}\n`).join('')),
    sendText: (text: string) => input.write(text),
    next: async () => (await lines.next()).value as string,
    end: () => input.end(),
  };
}

/** The server as the build runs it once loaded: tools/list answered from the shipped catalog. */
const freshSdkServer = async () => {
  const { test, answers } = await fixture();
  return createMcpServer(test.app, test.config, { version: 'test', catalog: JSON.parse(answers.toolsJson) });
};

describe('LazyServer', () => {
  it('answers initialize and tools/list exactly as the SDK does, without loading the real server', async () => {
    const pair = await lazyPair();
    const unknownVersion = { ...INITIALIZE, id: 'again', params: { ...INITIALIZE.params, protocolVersion: '1999-01-01' } };

    const codexList = { jsonrpc: '2.0', id: 'codex', method: 'tools/list', params: { _meta: { progressToken: 0 } } };

    pair.send(INITIALIZE, INITIALIZED, LIST, unknownVersion, codexList);
    const answers = [await pair.next(), await pair.next(), await pair.next(), await pair.next()];

    expect(answers).toEqual(await sdkAnswers(await freshSdkServer(), [INITIALIZE, INITIALIZED, LIST, unknownVersion, codexList] as JSONRPCMessage[]));
    expect(pair.servers).toHaveLength(0);
  });

  it('loads the real server once, on the first tool call, after telling it the handshake it missed', async () => {
    const pair = await lazyPair();
    pair.send(INITIALIZE, INITIALIZED, LIST);
    await pair.next();
    await pair.next();

    pair.send(call(3), call(4));
    const answers = [JSON.parse(await pair.next()), JSON.parse(await pair.next())];

    expect(answers.map((answer) => answer.id).sort()).toEqual([3, 4]);
    expect(answers[0].result.structuredContent).toMatchObject({ tasks: [] });
    expect(pair.servers).toHaveLength(1);
    expect(pair.servers[0]!.server.getClientVersion()).toEqual(INITIALIZE.params.clientInfo);
    expect(pair.servers[0]!.server.getClientCapabilities()).toMatchObject({ roots: { listChanged: true } });
    pair.send({ jsonrpc: '2.0', id: 5, method: 'ping' });
    expect(JSON.parse(await pair.next())).toEqual({ jsonrpc: '2.0', id: 5, result: {} }); // the replayed initialize was not answered twice
  });

  it('answers in order what arrives while the real server loads, and drops non-messages with a report before and after', async () => {
    const pair = await lazyPair();
    pair.send(call(1), { hello: 'world' }, LIST, { jsonrpc: '2.0', id: 3, method: 'ping' });
    const ids = [JSON.parse(await pair.next()).id, JSON.parse(await pair.next()).id, JSON.parse(await pair.next()).id];
    pair.send({ jsonrpc: '1.0', id: 4, method: 'ping' }, { jsonrpc: '2.0', id: 5, method: 'ping' });

    expect(JSON.parse(await pair.next()).id).toBe(5);
    expect(ids.sort()).toEqual([1, 2, 3]);
    expect(pair.errors).toEqual([expect.stringContaining('dropped an unreadable message'), expect.stringContaining('dropped an unreadable message')]);
  });

  it('leaves an initialize it cannot vouch for to the SDK, which refuses it as before', async () => {
    const pair = await lazyPair();
    const odd = { ...INITIALIZE, params: { ...INITIALIZE.params, capabilities: { sampling: { context: 'yes' } } } };

    pair.send(odd);

    expect(await pair.next()).toEqual((await sdkAnswers(await freshSdkServer(), [odd as JSONRPCMessage]))[0]);
    expect(pair.servers).toHaveLength(1);
  });

  it('hands everything to the real server when the build shipped no answers', async () => {
    const pair = await lazyPair({ shipped: false });
    pair.send(INITIALIZE);

    expect(JSON.parse(await pair.next())).toMatchObject({ id: 1, result: { serverInfo: { name: 'lockstep-mcp' } } });
    expect(pair.servers).toHaveLength(1);
  });

  it('ends the session, saying why, when the real server cannot be loaded', async () => {
    const pair = await lazyPair({ failLoad: true });
    pair.send(INITIALIZE);
    await pair.next();

    pair.send(call(2));
    await pair.closed;

    expect(pair.errors).toEqual([expect.stringContaining('broken install')]);
    expect(pair.lazy.failed).toBe(true);
  });
});
