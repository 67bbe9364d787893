import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../fixtures/app.js';
import { git, makeTempDir, removeTempDirs, writeTree } from '../../fixtures/git.js';
import { PROJECT_CONFIG_FILE } from '../../src/domain/project-config.js';
import { defaultWorktreeRoot } from '../../src/domain/worktree-settings.js';

let t: TestApp;

beforeEach(async () => {
  t = await makeTestApp({ files: { 'src/a.ts': 'a\n' }, settings: { mode: 'strict' } });
});

afterEach(() => t.app.close());
afterAll(() => removeTempDirs());

const protectedPath = { code: 'PATH_PROTECTED' };
const fsmonitor = '[core]\n\tfsmonitor = "touch M; false"\n';

/** A linked worktree of the test repository in the project's default worktree folder (allowed in strict mode). */
function addWorktree(name: string): string {
  const path = join(defaultWorktreeRoot(t.config.dataDir, t.caller().project), name);
  git(t.repo, ['worktree', 'add', '--quiet', '-b', `work/${name}`, path]);
  return path;
}

describe('git internals are never written through the file tools', () => {
  it('refuses .git/config and .git/hooks/*, leaving both untouched', async () => {
    const config = readFileSync(join(t.repo, '.git/config'), 'utf8');
    await expect(t.app.files.write(t.caller(), { path: '.git/config', content: fsmonitor })).rejects.toMatchObject(protectedPath);
    await expect(t.app.files.write(t.caller(), { path: '.git/hooks/pre-commit', content: '#!/bin/sh\ntouch M\n' })).rejects.toMatchObject(protectedPath);
    await expect(t.app.files.write(t.caller(), { path: '.git/config', content: fsmonitor, mode: 'append' })).rejects.toMatchObject(protectedPath);
    expect(readFileSync(join(t.repo, '.git/config'), 'utf8')).toBe(config);
    expect(existsSync(join(t.repo, '.git/hooks/pre-commit'))).toBe(false);
  });

  it('refuses the git directory reached through "..", a symlink, or a dangling symlink', async () => {
    symlinkSync(join(t.repo, '.git', 'hooks'), join(t.repo, 'tools'));
    symlinkSync(join(t.repo, '.git', 'hooks', 'post-checkout'), join(t.repo, 'later'));
    for (const path of ['src/../.git/config', 'tools/post-checkout', 'later', join(t.repo, '.git', 'HEAD')]) {
      await expect(t.app.files.write(t.caller(), { path, content: 'x', createDirs: true })).rejects.toMatchObject(protectedPath);
    }
    expect(existsSync(join(t.repo, '.git/hooks/post-checkout'))).toBe(false);
  });

  it("refuses a linked worktree's .git file and its gitdir under the common directory", async () => {
    const worktree = addWorktree('ada');
    const pointer = readFileSync(join(worktree, '.git'), 'utf8');
    await expect(t.app.files.write(t.caller(), { path: join(worktree, '.git'), content: 'gitdir: /tmp/evil\n' })).rejects.toMatchObject(protectedPath);
    await expect(t.app.files.write(t.caller(), { path: join(t.repo, '.git/worktrees/ada/config.worktree'), content: fsmonitor })).rejects.toMatchObject(
      protectedPath,
    );
    expect(readFileSync(join(worktree, '.git'), 'utf8')).toBe(pointer);
    await t.app.files.write(t.caller(), { path: join(worktree, 'src/a.ts'), content: 'ok\n' });
    expect(readFileSync(join(worktree, 'src/a.ts'), 'utf8')).toBe('ok\n');
  });

  it('refuses a common directory that lives outside the working tree, found from git itself', async () => {
    const repo = makeTempDir('lockstep-repo-');
    const gitDir = join(makeTempDir('lockstep-gitdir-'), 'store');
    git(repo, ['init', '--quiet', '--initial-branch=main', `--separate-git-dir=${gitDir}`]);
    writeTree(repo, { 'README.md': '# x\n' });
    const open = await makeTestApp({ repo, settings: { mode: 'open' } });
    await expect(open.app.files.write(open.caller(), { path: join(gitDir, 'config'), content: fsmonitor })).rejects.toMatchObject(protectedPath);
    open.app.close();
  });

  it('refuses writes in open mode too, but lets open mode read', async () => {
    const open = await makeTestApp({ settings: { mode: 'open' } });
    await expect(open.app.files.write(open.caller(), { path: '.git/config', content: fsmonitor })).rejects.toMatchObject(protectedPath);
    expect((await open.app.files.read(open.caller(), { path: '.git/HEAD' })).content).toBe('ref: refs/heads/main\n');
    open.app.close();
  });

  it('refuses reads of git internals in strict mode', async () => {
    await expect(t.app.files.read(t.caller(), { path: '.git/config' })).rejects.toMatchObject(protectedPath);
    await expect(t.app.files.read(t.caller(), { path: 'src/../.git/HEAD' })).rejects.toMatchObject(protectedPath);
  });

  it('keeps names that only start with .git writable', async () => {
    await t.app.files.write(t.caller(), { path: '.gitignore', content: 'dist\n' });
    await t.app.files.write(t.caller(), { path: '.github/ci.yml', content: 'on: push\n', createDirs: true });
    expect(readFileSync(join(t.repo, '.github/ci.yml'), 'utf8')).toBe('on: push\n');
  });

  it('refuses an artifact path through a .git entry', async () => {
    await expect(t.app.files.writeArtifact(t.caller(), { path: 'x/.git/config', content: fsmonitor, createDirs: true })).rejects.toMatchObject(
      protectedPath,
    );
  });
});

describe('a symlinked project configuration in strict mode', () => {
  it('protects the real folder .lockstep points to, so writing it under its other name is refused', async () => {
    writeTree(t.repo, { 'tooling/config.json': '{}' });
    symlinkSync('tooling', join(t.repo, '.lockstep'));
    await expect(t.app.files.write(t.caller(), { path: 'tooling/config.json', content: '{"worktreeRoot":"/"}' })).rejects.toMatchObject({
      code: 'CONFIG_PROTECTED',
    });
    await expect(t.app.files.write(t.caller(), { path: 'tooling/new.json', content: '{}' })).rejects.toMatchObject({ code: 'CONFIG_PROTECTED' });
    expect(readFileSync(join(t.repo, 'tooling/config.json'), 'utf8')).toBe('{}');
  });

  it('protects the real file config.json points to', async () => {
    writeTree(t.repo, { 'shared/lockstep.json': '{}' });
    mkdirSync(join(t.repo, '.lockstep'));
    symlinkSync(join('..', 'shared', 'lockstep.json'), join(t.repo, PROJECT_CONFIG_FILE));
    await expect(t.app.files.write(t.caller(), { path: 'shared/lockstep.json', content: '{"worktreeRoot":"/"}' })).rejects.toMatchObject({
      code: 'CONFIG_PROTECTED',
    });
    await t.app.files.write(t.caller(), { path: 'shared/other.json', content: '{}' });
    expect(readFileSync(join(t.repo, 'shared/lockstep.json'), 'utf8')).toBe('{}');
  });

  it('keeps the config writable in open mode', async () => {
    const open = await makeTestApp({ settings: { mode: 'open' } });
    await open.app.files.write(open.caller(), { path: PROJECT_CONFIG_FILE, content: '{}', createDirs: true });
    expect(statSync(join(open.repo, PROJECT_CONFIG_FILE)).size).toBe(2);
    open.app.close();
  });
});

describe('the coordination store in strict mode', () => {
  it('stays out of reach when --roots contain the data directory, while the own worktree folder stays usable', async () => {
    const wide = await makeTestApp({ settings: { mode: 'strict', roots: [dirname(t.repo), dirname(t.config.dataDir)] } });
    const store = { code: 'PATH_PROTECTED' };
    await expect(wide.app.files.read(wide.caller(), { path: wide.config.dbPath })).rejects.toMatchObject(store);
    await expect(wide.app.files.write(wide.caller(), { path: join(wide.config.dataDir, 'x.txt'), content: 'x' })).rejects.toMatchObject(store);
    const own = join(defaultWorktreeRoot(wide.config.dataDir, wide.caller().project), 'ada', 'x.txt');
    await wide.app.files.write(wide.caller(), { path: own, content: 'x', createDirs: true });
    expect(readFileSync(own, 'utf8')).toBe('x');
    wide.app.close();
  });
});
