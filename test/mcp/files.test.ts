import { readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { useMcpAgents } from '../../fixtures/mcp-agents.js';

afterAll(removeTempDirs);

const mcp = useMcpAgents({ files: { 'src/a.ts': 'one\n' }, settings: { mode: 'strict' } });
const { agent } = mcp;

describe('file tools over MCP', () => {
  it('writes then reads a project file', async () => {
    const alice = await agent('alice');
    expect(await alice.call('file_write', { path: 'src/b.ts', content: 'two\n' })).toEqual({ path: 'src/b.ts', bytes: 4 });
    expect(await alice.call('file_read', { path: 'src/b.ts' })).toEqual({ path: 'src/b.ts', bytes: 4, content: 'two\n' });
    expect(readFileSync(join(mcp.test.repo, 'src/b.ts'), 'utf8')).toBe('two\n');
  });

  it('refuses a write under another agent\'s lock, naming the holder', async () => {
    const alice = await agent('alice');
    const bob = await agent('bob');
    await alice.call('lock_acquire', { path: 'src' });
    const text = await bob.callError('file_write', { path: 'src/a.ts', content: 'bob was here' });
    expect(text).toMatch(/^LOCK_HELD: src\/a\.ts is held by alice .* Next: /);
    expect(readFileSync(join(mcp.test.repo, 'src/a.ts'), 'utf8')).toBe('one\n');
  });

  it('refuses a strict-mode escape with the code and the allowed roots', async () => {
    const alice = await agent('alice');
    const outside = makeTempDir('lockstep-outside-');
    symlinkSync(outside, join(mcp.test.repo, 'escape'));
    expect(await alice.callError('file_read', { path: 'escape/x' })).toMatch(new RegExp(`^PATH_OUTSIDE_ROOTS: .*${mcp.test.repo}`));
    expect(await alice.callError('file_write', { path: '../x', content: 'x' })).toMatch(/^PATH_OUTSIDE_ROOTS/);
  });

  it('cannot widen its own roots by writing a worktreeRoot into the project config', async () => {
    const alice = await agent('alice');
    const outside = makeTempDir('lockstep-outside-');
    const widen = { path: '.lockstep/config.json', content: '{"worktreeRoot":"/"}', createDirs: true };
    expect(await alice.callError('file_write', widen)).toMatch(/^CONFIG_PROTECTED: .*\.lockstep/);
    expect(await alice.callError('file_write', { path: join(outside, 'x.txt'), content: 'x' })).toMatch(/^PATH_OUTSIDE_ROOTS/);
    expect(await alice.callError('command_run', { command: 'touch marker', cwd: outside })).toMatch(/^PATH_OUTSIDE_ROOTS/);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('refuses to write git internals, saying PATH_PROTECTED and what to do instead', async () => {
    const alice = await agent('alice');
    const config = readFileSync(join(mcp.test.repo, '.git/config'), 'utf8');
    const text = await alice.callError('file_write', { path: '.git/config', content: '[core]\n\tfsmonitor = "touch M; false"\n' });
    expect(text).toMatch(/^PATH_PROTECTED: .*inside a git directory.* Next: .*git/);
    expect(readFileSync(join(mcp.test.repo, '.git/config'), 'utf8')).toBe(config);
  });

  it('writes and reads an artifact', async () => {
    const alice = await agent('alice');
    expect(await alice.call('artifact_write', { path: 'notes/plan.md', content: 'plan', createDirs: true })).toEqual({
      path: 'notes/plan.md',
      bytes: 4,
    });
    expect(await alice.call('artifact_read', { path: 'notes/plan.md', binary: true })).toEqual({
      path: 'notes/plan.md',
      bytes: 4,
      content: Buffer.from('plan').toString('base64'),
      encoding: 'base64',
    });
    expect(await alice.callError('artifact_read', { path: '../../x' })).toMatch(/^PATH_OUTSIDE_ROOTS/);
  });

  it('refuses wrong types, unknown enums and extra properties in the schema', async () => {
    const alice = await agent('alice');
    expect((await alice.raw('file_read', { path: 'src/a.ts', maxBytes: 'ten' })).isError).toBe(true);
    expect((await alice.raw('file_read', { path: 'src/a.ts', maxBytes: 1e9 })).isError).toBe(true);
    expect((await alice.raw('file_write', { path: 'src/a.ts', content: 'x', mode: 'truncate' })).isError).toBe(true);
    expect((await alice.raw('artifact_write', { path: 'a', content: 'x', force: true })).isError).toBe(true);
    expect((await alice.raw('artifact_read', {})).isError).toBe(true);
    expect(readFileSync(join(mcp.test.repo, 'src/a.ts'), 'utf8')).toBe('one\n');
  });
});
