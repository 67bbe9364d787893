import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../fixtures/app.js';
import { approveProjectConfig } from '../../fixtures/config-approval.js';
import { makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { PROJECT_CONFIG_FILE } from '../../src/domain/project-config.js';
import { defaultWorktreeRoot } from '../../src/domain/worktree-settings.js';

let t: TestApp;
let outside: string;

beforeEach(async () => {
  t = await makeTestApp({ files: { 'src/a.ts': 'export const a = 1;\n', 'README.md': '# hi\n' }, settings: { mode: 'strict' } });
  outside = makeTempDir('lockstep-outside-');
  writeFileSync(join(outside, 'secret.txt'), 'secret');
  symlinkSync(outside, join(t.repo, 'escape'));
});

afterEach(() => t.app.close());
afterAll(() => removeTempDirs());

const outsideRoots = { code: 'PATH_OUTSIDE_ROOTS' };

describe('file_read', () => {
  it('reads a file relative to the project root and reports its size', async () => {
    expect(await t.app.files.read(t.caller(), { path: 'src/a.ts' })).toEqual({
      path: 'src/a.ts',
      bytes: 20,
      content: 'export const a = 1;\n',
    });
  });

  it('returns base64 for binary reads and truncates at maxBytes', async () => {
    expect(await t.app.files.read(t.caller(), { path: 'README.md', binary: true })).toMatchObject({ content: 'IyBoaQo=', encoding: 'base64' });
    expect(await t.app.files.read(t.caller(), { path: 'src/a.ts', maxBytes: 6 })).toEqual({
      path: 'src/a.ts',
      bytes: 20,
      content: 'export',
      truncated: true,
    });
  });

  it('never cuts a UTF-8 character in half when truncating', async () => {
    writeFileSync(join(t.repo, 'u.txt'), 'aé€');
    expect((await t.app.files.read(t.caller(), { path: 'u.txt', maxBytes: 4 })).content).toBe('aé');
    expect((await t.app.files.read(t.caller(), { path: 'u.txt', maxBytes: 5 })).content).toBe('aé');
  });

  it('says PATH_NOT_FOUND for a missing file and refuses a directory', async () => {
    await expect(t.app.files.read(t.caller(), { path: 'nope.txt' })).rejects.toMatchObject({ code: 'PATH_NOT_FOUND' });
    await expect(t.app.files.read(t.caller(), { path: 'src' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('refuses, in strict mode, a symlink leading out, a .. escape and an absolute path outside', async () => {
    for (const path of ['escape/secret.txt', '../outside.txt', join(outside, 'secret.txt')]) {
      await expect(t.app.files.read(t.caller(), { path })).rejects.toMatchObject(outsideRoots);
    }
  });

  it('reads outside the project in open mode', async () => {
    const open = await makeTestApp({ settings: { mode: 'open' } });
    const result = await open.app.files.read(open.caller(), { path: join(outside, 'secret.txt') });
    expect(result).toEqual({ path: join(outside, 'secret.txt'), bytes: 6, content: 'secret' });
    open.app.close();
  });
});

describe('file_write', () => {
  it('overwrites atomically, keeping the file mode and leaving no temp file behind', async () => {
    chmodSync(join(t.repo, 'README.md'), 0o640);
    expect(await t.app.files.write(t.caller(), { path: 'README.md', content: 'new' })).toEqual({ path: 'README.md', bytes: 3 });
    expect(readFileSync(join(t.repo, 'README.md'), 'utf8')).toBe('new');
    expect(statSync(join(t.repo, 'README.md')).mode & 0o777).toBe(0o640);
    expect(readdirSync(t.repo).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('appends, creating the file when it is missing', async () => {
    await t.app.files.write(t.caller(), { path: 'log.txt', content: 'a\n', mode: 'append' });
    await t.app.files.write(t.caller(), { path: 'log.txt', content: 'b\n', mode: 'append' });
    expect(readFileSync(join(t.repo, 'log.txt'), 'utf8')).toBe('a\nb\n');
  });

  it('decodes base64 content', async () => {
    await t.app.files.write(t.caller(), { path: 'bin.dat', content: Buffer.from([0, 255, 1]).toString('base64'), encoding: 'base64' });
    expect([...readFileSync(join(t.repo, 'bin.dat'))]).toEqual([0, 255, 1]);
    await expect(t.app.files.write(t.caller(), { path: 'bin.dat', content: 'not base64!', encoding: 'base64' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('needs createDirs for a missing parent directory', async () => {
    await expect(t.app.files.write(t.caller(), { path: 'deep/er/x.txt', content: 'x' })).rejects.toMatchObject({
      code: 'PATH_NOT_FOUND',
      next: expect.stringContaining('createDirs'),
    });
    await t.app.files.write(t.caller(), { path: 'deep/er/x.txt', content: 'x', createDirs: true });
    expect(readFileSync(join(t.repo, 'deep/er/x.txt'), 'utf8')).toBe('x');
  });

  it('refuses, in strict mode, every escape and creates nothing outside', async () => {
    for (const path of ['escape/new.txt', '../new.txt', join(outside, 'new.txt')]) {
      await expect(t.app.files.write(t.caller(), { path, content: 'x', createDirs: true })).rejects.toMatchObject(outsideRoots);
    }
    expect(readdirSync(outside)).toEqual(['secret.txt']);
  });

  it('refuses a path another agent has locked, naming the holder and expiry', async () => {
    await t.app.locks.acquire(t.caller('alice'), { path: 'src/**' });
    const error = await t.app.files.write(t.caller('bob'), { path: 'src/a.ts', content: 'x' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LOCK_HELD', details: { holder: 'alice', path: 'src/**', expiresAt: expect.any(String) } });
    expect(readFileSync(join(t.repo, 'src/a.ts'), 'utf8')).toBe('export const a = 1;\n');
  });

  it('lets the lock holder itself write', async () => {
    await t.app.locks.acquire(t.caller('alice'), { path: 'src/a.ts' });
    await t.app.files.write(t.caller('alice'), { path: `${t.repo}/src/a.ts`, content: 'mine' });
    expect(readFileSync(join(t.repo, 'src/a.ts'), 'utf8')).toBe('mine');
  });
});

describe('the project configuration in strict mode', () => {
  function configure(settings: Record<string, unknown>): void {
    mkdirSync(join(t.repo, '.lockstep'), { recursive: true });
    writeFileSync(join(t.repo, PROJECT_CONFIG_FILE), JSON.stringify(settings));
  }

  it('refuses writes into .lockstep/, also through a symlink, so an agent cannot widen its own roots', async () => {
    const widen = { content: '{"worktreeRoot":"/"}', createDirs: true };
    await expect(t.app.files.write(t.caller(), { path: PROJECT_CONFIG_FILE, ...widen })).rejects.toMatchObject({ code: 'CONFIG_PROTECTED' });
    configure({});
    symlinkSync(join(t.repo, '.lockstep'), join(t.repo, 'settings'));
    await expect(t.app.files.write(t.caller(), { path: 'settings/config.json', ...widen })).rejects.toMatchObject({ code: 'CONFIG_PROTECTED' });
    expect(readFileSync(join(t.repo, PROJECT_CONFIG_FILE), 'utf8')).toBe('{}');
  });

  it('ignores a configured worktreeRoot outside the project and the data directory', async () => {
    configure({ worktreeRoot: '/' });
    await expect(t.app.files.write(t.caller(), { path: join(outside, 'new.txt'), content: 'x' })).rejects.toMatchObject(outsideRoots);
    await expect(t.app.files.read(t.caller(), { path: join(outside, 'secret.txt') })).rejects.toMatchObject(outsideRoots);
    expect(readdirSync(outside)).toEqual(['secret.txt']);
  });

  it('allows the default worktree root, and a configured one inside the repository', async () => {
    const byDefault = defaultWorktreeRoot(t.config.dataDir, t.caller().project);
    const written = await t.app.files.write(t.caller(), { path: join(byDefault, 'ada', 'x.txt'), content: 'x', createDirs: true });
    expect(written).toEqual({ path: join(realpathSync(byDefault), 'ada', 'x.txt'), bytes: 1 });
    configure({ worktreeRoot: '.worktrees' });
    await approveProjectConfig(t.config.dataDir, t.repo);
    await t.app.files.write(t.caller(), { path: '.worktrees/ada/x.txt', content: 'x', createDirs: true });
    expect(readFileSync(join(t.repo, '.worktrees/ada/x.txt'), 'utf8')).toBe('x');
  });

  it('never widens to the store, the data directory or another project through worktreeRoot', async () => {
    const dataDir = t.config.dataDir;
    const other = join(dataDir, 'worktrees', 'other-project');
    mkdirSync(other, { recursive: true });
    writeFileSync(join(other, 'secret.txt'), 'theirs');
    for (const worktreeRoot of [dataDir, join(dataDir, 'worktrees'), other, join(dataDir, 'implementers')]) {
      configure({ worktreeRoot });
      // Even a value a human approved may not open the store up.
      await approveProjectConfig(t.config.dataDir, t.repo);
      await expect(t.app.files.read(t.caller(), { path: t.config.dbPath })).rejects.toMatchObject(outsideRoots);
      await expect(t.app.files.read(t.caller(), { path: join(other, 'secret.txt') })).rejects.toMatchObject(outsideRoots);
      await expect(t.app.files.write(t.caller(), { path: join(dataDir, 'next-to-db.txt'), content: 'x' })).rejects.toMatchObject(outsideRoots);
    }
    expect(readdirSync(dataDir)).not.toContain('next-to-db.txt');
  });
});

describe('artifacts', () => {
  it('writes and reads inside a per-project folder named after the project', async () => {
    await t.app.files.writeArtifact(t.caller(), { path: 'reports/plan.md', content: 'plan', createDirs: true });
    const folder = t.app.files.artifactsFolder(t.caller().project);
    expect(folder.startsWith(join(t.config.dataDir, 'artifacts'))).toBe(true);
    expect(readFileSync(join(folder, 'reports/plan.md'), 'utf8')).toBe('plan');
    expect(await t.app.files.readArtifact(t.caller(), { path: 'reports/plan.md' })).toEqual({ path: 'reports/plan.md', bytes: 4, content: 'plan' });
  });

  it('keeps two projects apart', async () => {
    const other = await makeTestApp({ dbPath: t.config.dbPath });
    expect(other.app.files.artifactsFolder(other.caller().project)).not.toBe(t.app.files.artifactsFolder(t.caller().project));
    other.app.close();
  });

  it('refuses absolute paths, .. and symlinks leading out of the folder', async () => {
    const folder = t.app.files.artifactsFolder(t.caller().project);
    mkdirSync(folder, { recursive: true });
    symlinkSync(outside, join(folder, 'out'));
    for (const path of [join(outside, 'x'), '../x', 'a/../../x', 'out/secret.txt']) {
      await expect(t.app.files.writeArtifact(t.caller(), { path, content: 'x', createDirs: true })).rejects.toMatchObject(outsideRoots);
      await expect(t.app.files.readArtifact(t.caller(), { path })).rejects.toMatchObject(outsideRoots);
    }
    expect(existsSync(join(outside, 'x'))).toBe(false);
  });

  it('says PATH_NOT_FOUND for a missing artifact', async () => {
    await expect(t.app.files.readArtifact(t.caller(), { path: 'none.md' })).rejects.toMatchObject({ code: 'PATH_NOT_FOUND' });
  });
});
