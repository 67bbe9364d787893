import { mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { git, makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { openGit } from '../../git/exec.js';
import { readRepository } from '../../git/repository.js';
import { parseNumstat, parsePorcelainV2, uncommittedPaths, worktreeStatus } from '../../git/status.js';
import { ensureWorktree, InvalidNameError } from '../../git/worktrees.js';
import { commitFiles } from './repo-steps.js';

afterAll(removeTempDirs);

const H = '0123456789abcdef0123456789abcdef01234567';

describe('parsePorcelainV2', () => {
  it('separates changed tracked paths from untracked ones, spaces and renames included', () => {
    const output = [
      `1 .M N... 100644 100644 100644 ${H} ${H} src/a file.ts`,
      `2 R. N... 100644 100644 100644 ${H} ${H} R100 new name.ts`,
      'old name.ts',
      `u UU N... 100644 100644 100644 100644 ${H} ${H} ${H} conflicted.ts`,
      '? notes/todo list.md',
      '! build/out.js',
      '',
    ].join('\0');
    expect(parsePorcelainV2(output)).toEqual({
      uncommitted: ['src/a file.ts', 'new name.ts', 'conflicted.ts'],
      untracked: ['notes/todo list.md'],
    });
  });

  it('reads an empty status as a clean worktree', () => {
    expect(parsePorcelainV2('')).toEqual({ uncommitted: [], untracked: [] });
  });
});

describe('parseNumstat', () => {
  it('totals lines per file, counts binaries without lines and follows renames to the new path', () => {
    const output = ['3\t1\tsrc/a.ts', '-\t-\tlogo.png', '2\t0\t', 'old.ts', 'new.ts', ''].join('\0');
    expect(parseNumstat(output)).toEqual({
      files: 3,
      insertions: 5,
      deletions: 1,
      perFile: [{ path: 'src/a.ts', insertions: 3, deletions: 1 }, { path: 'logo.png' }, { path: 'new.ts', insertions: 2, deletions: 0 }],
    });
  });
});

describe('worktreeStatus', () => {
  it('shows one commit ahead and its diff stat after the implementer commits', async () => {
    const repo = makeRepo({ 'a.txt': 'one\n' }, { defaultBranch: 'master' });
    const { path } = await ensureWorktree(await readRepository(openGit(repo)), { name: 'ada', worktreeRoot: makeTempDir() });
    const head = commitFiles(path, { 'a.txt': 'one\ntwo\n', 'b.txt': 'new\n' });

    const status = await worktreeStatus(openGit(repo), { name: 'ada', target: 'master', worktreePath: path });
    expect(status).toEqual({
      branch: 'lockstep/ada',
      head,
      ahead: 1,
      behind: 0,
      uncommitted: [],
      untracked: [],
      diffStat: {
        files: 2,
        insertions: 2,
        deletions: 0,
        perFile: [{ path: 'a.txt', insertions: 1, deletions: 0 }, { path: 'b.txt', insertions: 1, deletions: 0 }],
      },
    });
  });

  it('counts target commits as behind without adding them to the diff stat', async () => {
    const repo = makeRepo({ 'a.txt': 'one\n' });
    const { path } = await ensureWorktree(await readRepository(openGit(repo)), { name: 'ada', worktreeRoot: makeTempDir() });
    commitFiles(repo, { 'main-only.txt': 'x\n' });
    commitFiles(repo, { 'main-only.txt': 'y\n' });

    const status = await worktreeStatus(openGit(repo), { name: 'ada', target: 'main', worktreePath: path });
    expect(status).toMatchObject({ ahead: 0, behind: 2, diffStat: { files: 0, insertions: 0, deletions: 0 } });
  });

  it('lists uncommitted and untracked files, each untracked file on its own', async () => {
    const repo = makeRepo({ 'a.txt': 'one\n', 'b.txt': 'b\n' });
    const { path } = await ensureWorktree(await readRepository(openGit(repo)), { name: 'ada', worktreeRoot: makeTempDir() });
    writeFileSync(join(path, 'a.txt'), 'changed\n');
    writeFileSync(join(path, 'b.txt'), 'staged\n');
    git(path, ['add', 'b.txt']);
    mkdirSync(join(path, 'new dir'));
    writeFileSync(join(path, 'new dir', 'c.txt'), 'c\n');
    writeFileSync(join(path, 'd.txt'), 'd\n');

    const status = await worktreeStatus(openGit(repo), { name: 'ada', target: 'main', worktreePath: path });
    expect(status.uncommitted.sort()).toEqual(['a.txt', 'b.txt']);
    expect(status.untracked.sort()).toEqual(['d.txt', 'new dir/c.txt']);
    expect(status.ahead).toBe(0);
  });

  it('refuses an invalid implementer name', async () => {
    const repo = makeRepo();
    await expect(worktreeStatus(openGit(repo), { name: '../x', target: 'main', worktreePath: repo })).rejects.toBeInstanceOf(
      InvalidNameError,
    );
  });
});

describe('uncommittedPaths', () => {
  it('lists staged, unstaged, deleted and untracked paths once each, and nothing for a clean worktree', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n', 'b.txt': 'b\n', 'del.txt': 'del\n', 'gone.txt': 'gone\n' });
    expect(await uncommittedPaths(openGit(repo))).toEqual([]);
    writeFileSync(join(repo, 'a.txt'), 'changed\n');
    writeFileSync(join(repo, 'b.txt'), 'staged\n');
    git(repo, ['add', 'b.txt']);
    unlinkSync(join(repo, 'del.txt'));
    git(repo, ['rm', '-q', '--cached', 'gone.txt']); // staged as deleted and untracked at once
    mkdirSync(join(repo, 'new dir'));
    writeFileSync(join(repo, 'new dir', 'c.txt'), 'c\n');

    expect((await uncommittedPaths(openGit(repo))).sort()).toEqual(['a.txt', 'b.txt', 'del.txt', 'gone.txt', 'new dir/c.txt']);
  });
});
