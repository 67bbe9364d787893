import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { removeTempDirs } from '../../fixtures/git.js';
import { useMcpAgents } from '../../fixtures/mcp-agents.js';
import type { ToolClient } from '../../fixtures/mcp.js';

afterAll(removeTempDirs);

const mcp = useMcpAgents({ settings: { commandMode: 'allowlist', commandAllow: ['echo', 'touch', 'npm'] } });
let client: ToolClient;

beforeEach(async () => {
  client = await mcp.agent('alice');
});

describe('command tools over MCP', () => {
  it('runs an allowlisted command and returns its output', async () => {
    expect(await client.call('command_run', { command: 'echo "hello world"' })).toMatchObject({
      exitCode: 0,
      stdout: 'hello world\n',
      stderr: '',
      durationMs: expect.any(Number),
    });
  });

  it('refuses shell syntax with a code and a next step, and runs nothing', async () => {
    const text = await client.callError('command_run', { command: 'echo a && touch marker' });
    expect(text).toMatch(/^COMMAND_FORBIDDEN: .*"&&".*without a shell.*Next: /);
    expect(existsSync(join(mcp.test.repo, 'marker'))).toBe(false);
  });

  it('refuses a protected env override', async () => {
    expect(await client.callError('command_run', { command: 'touch marker', env: { LD_PRELOAD: 'x.so' } })).toMatch(/^ENV_FORBIDDEN/);
  });

  it('refuses an unknown manager and a manager outside the allowlist in tool_install', async () => {
    expect(await client.callError('tool_install', { manager: 'gem', args: ['rails'] })).toMatch(/^INVALID_INPUT: .*npm, pnpm, yarn/);
    expect(await client.callError('tool_install', { manager: 'cargo', args: ['x'] })).toMatch(/^COMMAND_FORBIDDEN/);
  });

  it('runs tool_install with the manager\'s argv', async () => {
    const result = await client.call('tool_install', { manager: 'npm', args: ['--help'], env: { CI: '1' } });
    expect(result).toMatchObject({ argv: ['npm', 'install', '--help'], exitCode: 0 });
  });

  it('appends a log event under the session identity', async () => {
    const { seq } = await client.call('log_append', { event: 'build_done', payload: { ok: true } });
    expect(seq).toEqual(expect.any(Number));
    const line = JSON.parse(readFileSync(join(mcp.test.config.logDir, 'events.log'), 'utf8').trim());
    expect(line).toMatchObject({ seq, actor: 'alice', event: 'build_done', payload: { ok: true } });
  });

  it('refuses wrong types and extra properties in the schema', async () => {
    expect((await client.raw('command_run', { command: 'echo', env: { A: 1 } })).isError).toBe(true);
    expect((await client.raw('command_run', { command: 'echo', shell: true })).isError).toBe(true);
    expect((await client.raw('command_run', { command: 'echo', timeoutMs: 10 * 60 * 60_000 })).isError).toBe(true);
    expect((await client.raw('tool_install', { manager: 'npm', args: 'left-pad' })).isError).toBe(true);
    expect((await client.raw('log_append', {})).isError).toBe(true);
  });
});
