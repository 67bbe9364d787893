// The built server over stdio facing messages larger than any it accepts, floods of blank lines and a
// broken pipe: it answers what it can, says why on stderr, and never goes silent while it lives.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { BUILT_CLI, spawnServer, type ToolClient } from '../../fixtures/mcp.js';
import { MAX_WRITE_BYTES } from '../../src/domain/files.js';
import { MAX_MESSAGE_BYTES } from '../../src/mcp/stdio-transport.js';

const clients: ToolClient[] = [];
const children: ChildProcessWithoutNullStreams[] = [];
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  for (const child of children) if (child.exitCode === null) child.kill();
  removeTempDirs();
});

async function agent(): Promise<ToolClient> {
  const dbPath = join(makeTempDir(), 'store.db');
  const client = await spawnServer({ cwd: makeRepo(), args: ['--db-path', dbPath], env: { COORD_DATA_DIR: join(dbPath, '..') } });
  clients.push(client);
  await client.call('coordination_init', { role: 'implementer', name: 'ada' });
  return client;
}

/** The built server driven by raw lines on its stdin, for what no well-behaved client would send. */
function rawServer() {
  const dbPath = join(makeTempDir(), 'store.db');
  const child = spawn(process.execPath, [BUILT_CLI, 'server', '--db-path', dbPath], {
    cwd: makeRepo(),
    env: { ...process.env, COORD_DATA_DIR: join(dbPath, '..') },
  });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exit,
    stderr: () => stderr,
    send: (text: string) => child.stdin.write(text),
    async reply(): Promise<Record<string, any>> {
      const { value, done } = await lines.next();
      if (done) throw new Error(`the server closed stdout: ${stderr}`);
      return JSON.parse(value);
    },
  };
}

const request = (id: number, method: string, params: object = {}) => `${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`;
const INITIALIZE = { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } };

describe('lockstep-mcp server limits on stdio', () => {
  it('keeps a base64 file_write of the largest allowed file within one message', () => {
    expect(Math.ceil(MAX_WRITE_BYTES / 3) * 4 + 64 * 1024).toBeLessThan(MAX_MESSAGE_BYTES);
  });

  it('answers an 11 MB file_write with MESSAGE_TOO_LARGE naming the next step, then answers the next call', async () => {
    const client = await agent();
    const content = Buffer.alloc(8 * 1024 * 1024, 7).toString('base64'); // about 11 MB on the wire

    const error = await client.callError('file_write', { path: 'big.bin', content, encoding: 'base64' });

    expect(error).toMatch(/^MESSAGE_TOO_LARGE/);
    expect(error).toContain('mode "append"');
    expect((await client.call('task_list', {})).total).toBe(0);
  });

  it('answers a file_write of 6 MB of newlines (12 MB escaped) with MESSAGE_TOO_LARGE and stays up', async () => {
    const client = await agent();

    const error = await client.callError('file_write', { path: 'blank.txt', content: '\n'.repeat(6_000_000) });

    expect(error).toMatch(/^MESSAGE_TOO_LARGE/);
    expect((await client.call('task_list', {})).total).toBe(0);
  });

  it('skips 6 MB of bare newlines and an oversized line without an id, and answers the next request', async () => {
    const server = rawServer();
    server.send(request(1, 'initialize', INITIALIZE));
    expect((await server.reply()).id).toBe(1);
    server.send(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);

    server.send('\n'.repeat(6_000_000));
    server.send(`${'x'.repeat(11_000_000)}\n`);
    server.send(request(2, 'ping'));

    expect(await server.reply()).toEqual({ jsonrpc: '2.0', id: 2, result: {} });
    expect(server.stderr()).toContain('dropped it (no id found)');
  });

  it('answers an oversized non-tool request with a JSON-RPC error carrying the code', async () => {
    const server = rawServer();
    server.send(request(1, 'initialize', INITIALIZE));
    await server.reply();

    server.send(request(7, 'ping', { padding: 'y'.repeat(9 * 1024 * 1024) }));

    const answer = await server.reply();
    expect(answer).toMatchObject({ id: 7, error: { code: -32600, message: expect.stringMatching(/^MESSAGE_TOO_LARGE/) } });
  });

  it('exits with status 0 when its client closes stdin', async () => {
    const server = rawServer();
    server.send(request(1, 'initialize', INITIALIZE));
    await server.reply();

    server.child.stdin.end();

    expect(await server.exit).toBe(0);
  });

  it('logs a broken stdout and exits non-zero instead of lingering', async () => {
    const server = rawServer();
    server.send(request(1, 'initialize', INITIALIZE));
    await server.reply();

    server.child.stdout.destroy(); // the client is gone: the server's next write fails with EPIPE
    server.send(request(2, 'ping'));

    expect(await server.exit).toBe(1);
    expect(server.stderr()).toContain('stdio transport failed');
  });
});
