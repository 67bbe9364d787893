import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../fixtures/app.js';
import { makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { eventually, isRunning } from '../../fixtures/processes.js';
import type { Settings } from '../../src/config.js';
import { utf8Tail } from '../../src/domain/commands.js';
import { PROJECT_CONFIG_FILE } from '../../src/domain/project-config.js';

const apps: TestApp[] = [];
async function app(settings: Partial<Record<keyof Settings, unknown>> = {}): Promise<TestApp> {
  const made = await makeTestApp({ files: { 'src/a.ts': 'a' }, settings: { logDir: makeTempDir('lockstep-logs-'), ...settings } });
  apps.push(made);
  return made;
}

afterEach(() => {
  for (const made of apps.splice(0)) made.app.close();
});
afterAll(() => removeTempDirs());

const node = `'${process.execPath}'`;

describe('command_run', () => {
  it('runs a program and returns its exit code and both outputs', async () => {
    const t = await app();
    const result = await t.app.commands.run(t.caller(), {
      command: `${node} -e "process.stdout.write('out'); process.stderr.write('err'); process.exit(3)"`,
    });
    expect(result).toMatchObject({ exitCode: 3, stdout: 'out', stderr: 'err' });
    expect(result.truncated).toBeUndefined();
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('runs in the project root by default and in cwd when given', async () => {
    const t = await app();
    expect((await t.app.commands.run(t.caller(), { command: 'pwd' })).stdout.trim()).toBe(t.repo);
    expect((await t.app.commands.run(t.caller(), { command: 'pwd', cwd: 'src' })).stdout.trim()).toBe(join(t.repo, 'src'));
    await expect(t.app.commands.run(t.caller(), { command: 'pwd', cwd: 'missing' })).rejects.toMatchObject({ code: 'PATH_NOT_FOUND' });
  });

  it('never interprets shell syntax in open mode: operators are literal arguments', async () => {
    const t = await app();
    expect((await t.app.commands.run(t.caller(), { command: 'echo a && touch x' })).stdout).toBe('a && touch x\n');
    expect((await t.app.commands.run(t.caller(), { command: 'echo $(touch y)' })).stdout).toBe('$(touch y)\n');
    expect((await t.app.commands.run(t.caller(), { command: 'echo `touch z` ; touch w | cat > v' })).exitCode).toBe(0);
    expect((await t.app.commands.run(t.caller(), { command: 'echo $HOME' })).stdout).toBe('$HOME\n');
    for (const file of ['x', 'y', 'z', 'w', 'v']) expect(existsSync(join(t.repo, file))).toBe(false);
  });

  it('passes env to the program', async () => {
    const t = await app();
    const result = await t.app.commands.run(t.caller(), { command: `${node} -p process.env.GREETING`, env: { GREETING: 'hello' } });
    expect(result.stdout).toBe('hello\n');
  });

  it('reports a missing program as COMMAND_FAILED', async () => {
    const t = await app();
    await expect(t.app.commands.run(t.caller(), { command: 'no-such-program-lockstep --x' })).rejects.toMatchObject({
      code: 'COMMAND_FAILED',
      message: expect.stringContaining('not found'),
    });
  });

  it('keeps the tail of output beyond maxOutputBytes and says it was truncated', async () => {
    const t = await app();
    const result = await t.app.commands.run(t.caller(), {
      command: `${node} -e "process.stdout.write('x'.repeat(200000) + 'END')"`,
      maxOutputBytes: 1000,
    });
    expect(result.truncated).toBe(true);
    expect(result.stdout.length).toBe(1000);
    expect(result.stdout.endsWith('xEND')).toBe(true);
  });

  it('shares the output budget so a flood on stdout leaves room for stderr', async () => {
    const t = await app();
    const result = await t.app.commands.run(t.caller(), {
      command: `${node} -e "process.stderr.write('fatal'); process.stdout.write('x'.repeat(5000))"`,
      maxOutputBytes: 100,
    });
    expect(result.stderr).toBe('fatal');
    expect(result.stdout.length + result.stderr.length).toBe(100);
  });

  it('kills the whole process tree on timeout', async () => {
    const t = await app();
    const result = await t.app.commands.run(t.caller(), { command: 'sh -c "sleep 30 & echo $!; wait"', timeoutMs: 500 });
    expect(result).toMatchObject({ timedOut: true, exitCode: null, signal: 'SIGKILL' });
    const grandchild = Number(result.stdout.trim());
    expect(grandchild).toBeGreaterThan(0);
    expect(await eventually(() => !isRunning(grandchild))).toBe(true);
  });

  it('returns soon after the program exits even if it left a background child holding the output open', async () => {
    const t = await app();
    const started = Date.now();
    const result = await t.app.commands.run(t.caller(), { command: 'sh -c "sleep 30 & echo $!"' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.exitCode).toBe(0);
    expect(await eventually(() => !isRunning(Number(result.stdout.trim())))).toBe(true);
  });
});

describe('command_run in allowlist mode', () => {
  const allowlist = { commandMode: 'allowlist', commandAllow: ['echo', 'touch', 'pwd', 'cat'] };

  it.each([
    'echo a && touch marker',
    'echo a; touch marker',
    'echo a || touch marker',
    'echo $(touch marker)',
    'echo `touch marker`',
    'echo "$(touch marker)"',
    'echo a\ntouch marker',
    'echo a | touch marker',
    'echo a > marker',
    'echo a >> marker',
    'cat 2> marker',
    'touch marker &',
  ])('refuses %j and runs nothing', async (command) => {
    const t = await app(allowlist);
    await expect(t.app.commands.run(t.caller(), { command })).rejects.toMatchObject({
      code: 'COMMAND_FORBIDDEN',
      message: expect.stringContaining('without a shell'),
    });
    expect(existsSync(join(t.repo, 'marker'))).toBe(false);
  });

  it('runs an allowlisted program and refuses others, including a path to an allowed name', async () => {
    const t = await app(allowlist);
    expect((await t.app.commands.run(t.caller(), { command: 'echo "a; b"' })).stdout).toBe('a; b\n');
    await expect(t.app.commands.run(t.caller(), { command: 'rm -rf src' })).rejects.toMatchObject({ code: 'COMMAND_FORBIDDEN' });
    await expect(t.app.commands.run(t.caller(), { command: '/usr/bin/touch marker' })).rejects.toMatchObject({ code: 'COMMAND_FORBIDDEN' });
    expect(existsSync(join(t.repo, 'src/a.ts'))).toBe(true);
    expect(existsSync(join(t.repo, 'marker'))).toBe(false);
  });

  it.each(['PATH', 'NODE_OPTIONS', 'LD_PRELOAD', 'DYLD_LIBRARY_PATH', 'GIT_DIR'])('refuses overriding %s', async (key) => {
    const t = await app(allowlist);
    await expect(t.app.commands.run(t.caller(), { command: 'touch marker', env: { [key]: '/tmp' } })).rejects.toMatchObject({
      code: 'ENV_FORBIDDEN',
    });
    expect(existsSync(join(t.repo, 'marker'))).toBe(false);
  });
});

describe('output tails', () => {
  it('keep the last bytes without starting inside a character, and the whole text when it is shorter', () => {
    const text = Buffer.from('aé€', 'utf8');
    expect(utf8Tail(text, 4)).toBe('€');
    expect(utf8Tail(text, 5)).toBe('é€');
    expect(utf8Tail(text, 100)).toBe('aé€');
  });
});

describe('command cwd in strict mode', () => {
  it('refuses a symlink leading out, a .. escape and an absolute path outside', async () => {
    const t = await app({ mode: 'strict' });
    const outside = makeTempDir('lockstep-outside-');
    symlinkSync(outside, join(t.repo, 'escape'));
    for (const cwd of ['escape', '..', outside]) {
      await expect(t.app.commands.run(t.caller(), { command: 'touch marker', cwd })).rejects.toMatchObject({ code: 'PATH_OUTSIDE_ROOTS' });
    }
    expect(existsSync(join(outside, 'marker'))).toBe(false);
  });

  it('ignores a configured worktreeRoot outside the project and the data directory', async () => {
    const t = await app({ mode: 'strict' });
    const outside = makeTempDir('lockstep-outside-');
    mkdirSync(join(t.repo, '.lockstep'));
    writeFileSync(join(t.repo, PROJECT_CONFIG_FILE), JSON.stringify({ worktreeRoot: '/' }));
    await expect(t.app.commands.run(t.caller(), { command: 'touch marker', cwd: outside })).rejects.toMatchObject({ code: 'PATH_OUTSIDE_ROOTS' });
    expect(existsSync(join(outside, 'marker'))).toBe(false);
  });
});

describe('tool_install', () => {
  it('refuses an unknown manager, listing the known ones', async () => {
    const t = await app();
    await expect(t.app.commands.install(t.caller(), { manager: 'gem', args: ['x'] })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('npm, pnpm'),
    });
  });

  it('refuses a manager that is not allowlisted, and protected env, in allowlist mode', async () => {
    const t = await app({ commandMode: 'allowlist', commandAllow: ['npm'] });
    await expect(t.app.commands.install(t.caller(), { manager: 'pip', args: ['x'] })).rejects.toMatchObject({ code: 'COMMAND_FORBIDDEN' });
    await expect(t.app.commands.install(t.caller(), { manager: 'npm', args: ['x'], env: { NODE_OPTIONS: '-r x' } })).rejects.toMatchObject({
      code: 'ENV_FORBIDDEN',
    });
  });

  it('runs the manager with the built argv', async () => {
    const t = await app({ commandMode: 'allowlist', commandAllow: ['npm'] });
    const result = await t.app.commands.install(t.caller(), { manager: 'npm', args: ['--help'], env: { CI: '1' } });
    expect(result.argv).toEqual(['npm', 'install', '--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('npm install');
  });
});

describe('log_append', () => {
  it('records an agent_log event and appends a JSON line to the log file', async () => {
    const t = await app();
    const { seq } = await t.app.commands.log(t.caller('alice'), 'tests_passed', { count: 3 });
    const event = await t.app.context.store.read(t.repo, (tx) => tx.one('events', { seq }));
    expect(event).toMatchObject({ kind: 'agent_log', actor: 'alice', data: { event: 'tests_passed', payload: { count: 3 } } });
    expect(JSON.parse(readFileSync(join(t.config.logDir, 'events.log'), 'utf8'))).toMatchObject({ seq, actor: 'alice', event: 'tests_passed', payload: { count: 3 } });
  });

  it('records an anonymous event with a null actor and refuses a huge payload', async () => {
    const t = await app();
    const { seq } = await t.app.commands.log(t.caller(), 'started');
    expect(await t.app.context.store.read(t.repo, (tx) => tx.one('events', { seq }))).toMatchObject({ actor: null });
    await expect(t.app.commands.log(t.caller(), 'big', { blob: 'x'.repeat(20_000) })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
