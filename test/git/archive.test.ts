import { existsSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { git, makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { archiveWorktree, listArchives, recoverArchive } from '../../git/archive.js';
import { openGit } from '../../git/exec.js';
import { readRepository } from '../../git/repository.js';
import { commitOnBranch, head } from './branch-fixture.js';

afterAll(removeTempDirs);

const NOW = new Date('2026-11-25T14:30:00.123Z');

/** A repository with implementer ada's worktree holding a commit, and the root its worktrees live under. */
function repoWithWorktree() {
  const repo = makeRepo({ 'a.txt': 'a\n', 'b.txt': 'b\n', 'gone.txt': 'gone\n' }, { defaultBranch: 'master' });
  const worktreeRoot = makeTempDir('lockstep-worktrees-');
  const path = join(worktreeRoot, 'ada');
  const committed = commitOnBranch(repo, 'lockstep/ada', { 'c.txt': 'committed\n' });
  git(repo, ['worktree', 'add', '-q', path, 'lockstep/ada']);
  return { repo, worktreeRoot, path, committed };
}

function porcelain(dir: string): string {
  return git(dir, ['status', '--porcelain=v2', '--untracked-files=all']);
}

describe('archiveWorktree', () => {
  it('pins staged, unstaged, deleted and untracked files in one commit and leaves the worktree untouched', async () => {
    const { repo, path, committed } = repoWithWorktree();
    writeFileSync(join(path, 'a.txt'), 'staged\n');
    git(path, ['add', 'a.txt']);
    writeFileSync(join(path, 'b.txt'), 'unstaged\n');
    unlinkSync(join(path, 'gone.txt'));
    writeFileSync(join(path, 'untracked.txt'), 'untracked\n');
    const before = porcelain(path);

    const result = await archiveWorktree(openGit(repo), { name: 'ada', branch: 'lockstep/ada', worktreePath: path, now: NOW });

    expect(result.ref).toBe('refs/lockstep/archive/ada/20261125T143000Z');
    expect(result.includedUncommitted).toBe(true);
    expect(porcelain(path)).toBe(before);
    expect(head(repo, result.ref)).toBe(result.commit);
    expect(git(repo, ['log', '-1', '--format=%P', result.commit])).toBe(committed);
    expect(git(repo, ['show', `${result.commit}:b.txt`])).toBe('unstaged');
    expect(git(repo, ['show', `${result.commit}:untracked.txt`])).toBe('untracked');
    expect(git(repo, ['ls-tree', '--name-only', result.commit])).not.toContain('gone.txt');
  });

  it('points the archive at the branch head when nothing is uncommitted', async () => {
    const { repo, path, committed } = repoWithWorktree();
    const result = await archiveWorktree(openGit(repo), { name: 'ada', branch: 'lockstep/ada', worktreePath: path, now: NOW });
    expect(result).toEqual({ ref: 'refs/lockstep/archive/ada/20261125T143000Z', commit: committed, includedUncommitted: false });
  });

  it('gives a second archive within the same second its own ref, and lists them newest first', async () => {
    const { repo, path } = repoWithWorktree();
    const repoGit = openGit(repo);
    await archiveWorktree(repoGit, { name: 'ada', branch: 'lockstep/ada', now: new Date('2026-11-24T10:00:00Z') });
    await archiveWorktree(repoGit, { name: 'ada', branch: 'lockstep/ada', worktreePath: path, now: NOW });
    await archiveWorktree(repoGit, { name: 'ada', branch: 'lockstep/ada', worktreePath: path, now: NOW });
    await archiveWorktree(repoGit, { name: 'bob', branch: 'lockstep/ada', now: NOW });

    expect((await listArchives(repoGit, 'ada')).map((entry) => entry.archive)).toEqual([
      '20261125T143000Z-2',
      '20261125T143000Z',
      '20261124T100000Z',
    ]);
    expect((await listArchives(repoGit)).map((entry) => entry.name).sort()).toEqual(['ada', 'ada', 'ada', 'bob']);
  });

  it('refuses a hostile implementer name before git runs', async () => {
    const repo = makeRepo();
    for (const name of ['--upload-pack=x', '../x', 'a;touch x']) {
      await expect(archiveWorktree(openGit(repo), { name, branch: 'master' })).rejects.toThrow(/cannot name an implementer/);
    }
    expect(git(repo, ['for-each-ref', 'refs/lockstep'])).toBe('');
  });
});

describe('recoverArchive', () => {
  it('restores the archived commit and the uncommitted files, as uncommitted changes, in a fresh worktree', async () => {
    const { repo, worktreeRoot, path, committed } = repoWithWorktree();
    writeFileSync(join(path, 'b.txt'), 'unstaged\n');
    writeFileSync(join(path, 'untracked.txt'), 'untracked\n');
    unlinkSync(join(path, 'gone.txt'));
    const repoGit = openGit(repo);
    const archived = await archiveWorktree(repoGit, { name: 'ada', branch: 'lockstep/ada', worktreePath: path, now: NOW });
    git(repo, ['worktree', 'remove', '--force', path]);
    git(repo, ['branch', '-D', 'lockstep/ada']);

    const result = await recoverArchive(await readRepository(repoGit), { name: 'ada', archive: '20261125T143000Z', worktreeRoot });

    expect(result).toEqual({ status: 'recovered', path, branch: 'lockstep/ada', head: committed, restoredUncommitted: true });
    expect(head(path)).toBe(committed);
    expect(readFileSync(join(path, 'b.txt'), 'utf8')).toBe('unstaged\n');
    expect(readFileSync(join(path, 'untracked.txt'), 'utf8')).toBe('untracked\n');
    expect(existsSync(join(path, 'gone.txt'))).toBe(false);
    expect(git(path, ['status', '--porcelain', '--untracked-files=all']).split('\n').sort()).toEqual([
      ' D gone.txt',
      '?? untracked.txt',
      'M b.txt',
    ]);
    expect(head(repo, archived.ref)).toBe(archived.commit);
  });

  it('refuses, changing nothing, when the branch holds commits the archive lacks', async () => {
    const { repo, worktreeRoot, path } = repoWithWorktree();
    const repoGit = openGit(repo);
    await archiveWorktree(repoGit, { name: 'ada', branch: 'lockstep/ada', worktreePath: path, now: NOW });
    git(repo, ['worktree', 'remove', path]);
    const newer = commitOnBranch(repo, 'lockstep/ada', { 'd.txt': 'newer\n' });

    const result = await recoverArchive(await readRepository(repoGit), { name: 'ada', archive: '20261125T143000Z', worktreeRoot });

    expect(result).toMatchObject({ status: 'refused', reason: expect.stringContaining('commits that this archive does not contain') });
    expect(head(repo, 'lockstep/ada')).toBe(newer);
    expect(existsSync(path)).toBe(false);
  });

  it('refuses while the implementer still has a worktree', async () => {
    const { repo, worktreeRoot, path } = repoWithWorktree();
    const repoGit = openGit(repo);
    await archiveWorktree(repoGit, { name: 'ada', branch: 'lockstep/ada', worktreePath: path, now: NOW });
    const result = await recoverArchive(await readRepository(repoGit), { name: 'ada', archive: '20261125T143000Z', worktreeRoot });
    expect(result).toMatchObject({ status: 'refused', reason: expect.stringContaining('already has a worktree') });
  });

  it('moves a branch that the archive contains forward to the archived head', async () => {
    const { repo, worktreeRoot, path, committed } = repoWithWorktree();
    const repoGit = openGit(repo);
    await archiveWorktree(repoGit, { name: 'ada', branch: 'lockstep/ada', worktreePath: path, now: NOW });
    git(repo, ['worktree', 'remove', path]);
    rmSync(path, { recursive: true, force: true });
    git(repo, ['branch', '-f', 'lockstep/ada', 'master']);

    const result = await recoverArchive(await readRepository(repoGit), { name: 'ada', archive: '20261125T143000Z', worktreeRoot });

    expect(result).toMatchObject({ status: 'recovered', head: committed, restoredUncommitted: false });
    expect(head(repo, 'lockstep/ada')).toBe(committed);
  });

  it('refuses a worktree path that is occupied before it moves the branch', async () => {
    const { repo, worktreeRoot, path, committed } = repoWithWorktree();
    const repoGit = openGit(repo);
    await archiveWorktree(repoGit, { name: 'ada', branch: 'lockstep/ada', worktreePath: path, now: NOW });
    git(repo, ['worktree', 'remove', path]);
    git(repo, ['branch', '-f', 'lockstep/ada', 'master']);
    const behind = head(repo, 'lockstep/ada');
    mkdirSync(path);
    writeFileSync(join(path, 'someone-else.txt'), 'mine\n');

    const result = await recoverArchive(await readRepository(repoGit), { name: 'ada', archive: '20261125T143000Z', worktreeRoot });

    expect(result).toMatchObject({ status: 'refused', reason: expect.stringContaining('not empty') });
    expect(head(repo, 'lockstep/ada')).toBe(behind);
    expect(behind).not.toBe(committed);
    expect(readFileSync(join(path, 'someone-else.txt'), 'utf8')).toBe('mine\n');
  });
});
