// The built server's start: the handshake it answers before loading the SDK is the SDK's own answer,
// byte for byte, for every protocol version; settings are still checked before anything is answered.

import { SUPPORTED_PROTOCOL_VERSIONS, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { makeTestApp } from '../../fixtures/app.js';
import { makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { sdkAnswers } from '../../fixtures/handshake.js';
import { BUILT_CLI } from '../../fixtures/mcp.js';
import { listToolsOf } from '../../src/mcp/catalog.js';
import { createMcpServer } from '../../src/mcp/server.js';

afterAll(removeTempDirs);

function builtServer(args: string[] = []) {
  const dataDir = makeTempDir();
  const child = spawn(process.execPath, [BUILT_CLI, 'server', ...args], { cwd: makeRepo(), env: { ...process.env, COORD_DATA_DIR: dataDir } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    child,
    stderr: () => stderr,
    exit: new Promise<number | null>((resolve) => child.on('exit', resolve)),
    send: (messages: object[]) => child.stdin.write(messages.map((message) => `${JSON.stringify(message)}\n`).join('')),
    next: async () => (await lines.next()).value as string | undefined,
  };
}

describe('the built server at start', () => {
  it('answers initialize for every protocol version, and tools/list, exactly as the SDK server from source', async () => {
    const messages = [...SUPPORTED_PROTOCOL_VERSIONS, '1999-01-01'].map((protocolVersion, id) => ({
      jsonrpc: '2.0', id, method: 'initialize',
      params: { protocolVersion, capabilities: { roots: { listChanged: true } }, clientInfo: { name: 'e2e', version: '1' } },
    }));
    const handshake = [...messages, { jsonrpc: '2.0', method: 'notifications/initialized' }, { jsonrpc: '2.0', id: 'list', method: 'tools/list' }];
    const live = await makeTestApp();
    const source = () => createMcpServer(live.app, live.config, { version: packageJson.version });
    const catalog = await listToolsOf(source());
    const expected = await sdkAnswers(createMcpServer(live.app, live.config, { version: packageJson.version, catalog }), handshake as JSONRPCMessage[]);

    const server = builtServer();
    server.send(handshake);
    const answers = [];
    for (const _ of expected) answers.push(await server.next());
    server.child.stdin.end();

    expect(answers).toEqual(expected);
    expect(await server.exit).toBe(0);
  });

  it('refuses a bad setting before answering anything', async () => {
    const server = builtServer(['--storage', 'mysql']);
    server.send([{ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'e2e', version: '1' } } }]);

    expect(await server.exit).toBe(1);
    expect(await server.next()).toBeUndefined();
    expect(server.stderr()).toContain('bad setting --storage / COORD_STORAGE');
  });
});
