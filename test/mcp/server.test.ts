import * as z from 'zod';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeTestApp, type TestAppOptions } from '../../fixtures/app.js';
import { git, makeRepo, removeTempDirs } from '../../fixtures/git.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { DomainError } from '../../src/core/errors.js';
import { defineTool, READ_ONLY } from '../../src/mcp/define.js';
import { createMcpServer } from '../../src/mcp/server.js';

afterAll(removeTempDirs);

const failing = [
  defineTool({
    name: 'explode',
    title: 'Throws an unexpected error',
    description: 'Test tool that throws a plain Error, as a bug would.',
    input: z.object({}).strict(),
    annotations: READ_ONLY,
    handler() {
      throw new Error('secret internal detail');
    },
  }),
  defineTool({
    name: 'refuse',
    title: 'Throws a domain error',
    description: 'Test tool that refuses with a stable code.',
    input: z.object({}).strict(),
    annotations: READ_ONLY,
    handler() {
      throw new DomainError('LOCK_HELD', 'src/a.ts is held by ada', 'Wait and retry.', { holder: 'ada' });
    },
  }),
];

async function clientFor(tools?: typeof failing, options?: TestAppOptions) {
  const test = await makeTestApp(options);
  const server = createMcpServer(test.app, test.config, { version: 'test', tools });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 't', version: '1' });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return client;
}

describe('the MCP server wrapper', () => {
  it('turns an unexpected exception into INTERNAL, logs the detail to stderr only, and keeps serving', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const client = await clientFor(failing);
    const result = await client.callTool({ name: 'explode', arguments: {} });
    expect(result.isError).toBe(true);
    const text = (result.content as { text: string }[])[0]!.text;
    expect(text).toMatch(/^INTERNAL: explode failed unexpectedly/);
    expect(text).not.toContain('secret internal detail');
    expect(stderr.mock.calls.map((call) => String(call[0])).join('')).toContain('secret internal detail');
    stderr.mockRestore();
    expect((await client.callTool({ name: 'refuse', arguments: {} })).isError).toBe(true);
  });

  it('reports a domain error with its code first, the next step last, and details as structured content', async () => {
    const client = await clientFor(failing);
    const result = await client.callTool({ name: 'refuse', arguments: {} });
    expect((result.content as { text: string }[])[0]!.text).toBe('LOCK_HELD: src/a.ts is held by ada. Next: Wait and retry.');
    expect(result.structuredContent).toEqual({
      error: { code: 'LOCK_HELD', message: 'src/a.ts is held by ada', next: 'Wait and retry.', details: { holder: 'ada' } },
    });
  });

  it('refuses a projectRoot that does not exist with PATH_NOT_FOUND', async () => {
    const client = await clientFor();
    const result = await client.callTool({ name: 'project_context_get', arguments: { projectRoot: '/nonexistent/place' } });
    expect((result.content as { text: string }[])[0]!.text).toMatch(/^PATH_NOT_FOUND/);
  });

  it('refuses, in strict mode, a projectRoot outside the allowed roots, also one whose main worktree lies outside', async () => {
    const repo = makeRepo({ 'src/a.ts': 'a' });
    const client = await clientFor(undefined, { repo, settings: { mode: 'strict' } });
    const textOf = async (projectRoot: string) =>
      ((await client.callTool({ name: 'project_context_get', arguments: { projectRoot } })).content as { text: string }[])[0]!.text;
    const elsewhere = makeRepo();
    expect(await textOf(elsewhere)).toMatch(new RegExp(`^PATH_OUTSIDE_ROOTS: .*${elsewhere}`));
    git(elsewhere, ['worktree', 'add', '-q', join(repo, 'linked')]);
    expect(await textOf(join(repo, 'linked'))).toMatch(/^PATH_OUTSIDE_ROOTS/);
    mkdirSync(join(repo, 'sub'));
    expect(await textOf(join(repo, 'sub'))).not.toMatch(/^PATH_OUTSIDE_ROOTS/);
  });
});
