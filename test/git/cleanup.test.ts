import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { git, makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { recoverArchive } from '../../git/archive.js';
import { cleanupWorktrees } from '../../git/cleanup.js';
import { openGit } from '../../git/exec.js';
import { readRepository } from '../../git/repository.js';
import { commitOnBranch, head } from './branch-fixture.js';

afterAll(removeTempDirs);

/** A `master` repository with one worktree per implementer under a worktree root, each with one commit. */
function repoWithImplementers(...names: string[]) {
  const repo = makeRepo({ 'a.txt': 'a\n' }, { defaultBranch: 'master' });
  const worktreeRoot = makeTempDir('lockstep-worktrees-');
  const heads: Record<string, string> = {};
  for (const name of names) {
    heads[name] = commitOnBranch(repo, `lockstep/${name}`, { [`${name}.txt`]: `${name}\n` });
    git(repo, ['worktree', 'add', '-q', join(worktreeRoot, name), `lockstep/${name}`]);
  }
  return { repo, worktreeRoot, heads };
}

const branchExists = (repo: string, branch: string) => git(repo, ['branch', '--list', branch]) !== '';

describe('cleanupWorktrees', () => {
  it('removes a clean worktree whose branch is merged and deletes the branch', async () => {
    const { repo, worktreeRoot, heads } = repoWithImplementers('ada');
    git(repo, ['merge', '-q', '--ff-only', heads.ada!]);

    const report = await cleanupWorktrees(openGit(repo), { target: 'master', isGone: () => false, worktreeRoot });

    const path = join(worktreeRoot, 'ada');
    expect(report).toEqual({ removed: [{ name: 'ada', path, reason: 'merged', branchDeleted: true }], kept: [] });
    expect(existsSync(path)).toBe(false);
    expect(branchExists(repo, 'lockstep/ada')).toBe(false);
  });

  it('keeps the worktrees of active implementers that hold unmerged or uncommitted work', async () => {
    const { repo, worktreeRoot, heads } = repoWithImplementers('ada', 'bob');
    git(repo, ['merge', '-q', '--ff-only', heads.ada!]);
    writeFileSync(join(worktreeRoot, 'ada', 'wip.txt'), 'wip\n');

    const report = await cleanupWorktrees(openGit(repo), { target: 'master', isGone: () => false, worktreeRoot });

    expect(report).toEqual({
      removed: [],
      kept: [
        { name: 'ada', reason: 'uncommitted changes' },
        { name: 'bob', reason: 'not merged into the target' },
      ],
    });
    expect(head(repo, 'lockstep/bob')).toBe(heads.bob);
  });

  it('archives a gone implementer before removing its work, and recovery restores commit and uncommitted file', async () => {
    const { repo, worktreeRoot, heads } = repoWithImplementers('ada');
    const path = join(worktreeRoot, 'ada');
    writeFileSync(join(path, 'wip.txt'), 'wip\n');
    const repoGit = openGit(repo);

    const report = await cleanupWorktrees(repoGit, { target: 'master', isGone: (name) => name === 'ada', worktreeRoot });

    const archive = report.removed[0]?.archive ?? '';
    expect(report).toEqual({ removed: [{ name: 'ada', path, reason: 'archived', archive, branchDeleted: true }], kept: [] });
    expect(archive).toMatch(/^refs\/lockstep\/archive\/ada\/\d{8}T\d{6}Z$/);
    expect(existsSync(path)).toBe(false);
    expect(branchExists(repo, 'lockstep/ada')).toBe(false);
    expect(git(repo, ['merge-base', '--is-ancestor', heads.ada!, archive])).toBe('');

    const recovered = await recoverArchive(await readRepository(repoGit), { name: 'ada', archive, worktreeRoot });

    expect(recovered).toMatchObject({ status: 'recovered', path, head: heads.ada, restoredUncommitted: true });
    expect(readFileSync(join(path, 'ada.txt'), 'utf8')).toBe('ada\n');
    expect(readFileSync(join(path, 'wip.txt'), 'utf8')).toBe('wip\n');
    expect(git(path, ['status', '--porcelain'])).toBe('?? wip.txt');
  });

  it('leaves alone a lockstep worktree outside the worktree root', async () => {
    const { repo, heads } = repoWithImplementers('ada');
    git(repo, ['merge', '-q', '--ff-only', heads.ada!]);
    const otherRoot = makeTempDir('lockstep-other-root-');

    const report = await cleanupWorktrees(openGit(repo), { target: 'master', isGone: () => true, worktreeRoot: otherRoot });

    expect(report).toEqual({ removed: [], kept: [{ name: 'ada', reason: 'not under the worktree root' }] });
    expect(branchExists(repo, 'lockstep/ada')).toBe(true);
  });

  it('keeps a worktree locked with git worktree lock', async () => {
    const { repo, worktreeRoot } = repoWithImplementers('ada');
    git(repo, ['worktree', 'lock', join(worktreeRoot, 'ada')]);
    const report = await cleanupWorktrees(openGit(repo), { target: 'master', isGone: () => true, worktreeRoot });
    expect(report).toEqual({ removed: [], kept: [{ name: 'ada', reason: 'locked with git worktree lock' }] });
  });

  it('archives the branch of a gone implementer whose worktree directory has vanished, then drops the entry', async () => {
    const { repo, worktreeRoot, heads } = repoWithImplementers('ada');
    rmSync(join(worktreeRoot, 'ada'), { recursive: true, force: true });

    const report = await cleanupWorktrees(openGit(repo), { target: 'master', isGone: () => true, worktreeRoot });

    const archive = report.removed[0]?.archive ?? '';
    expect(report.removed).toMatchObject([{ name: 'ada', reason: 'archived', branchDeleted: true }]);
    expect(head(repo, archive)).toBe(heads.ada);
    expect(git(repo, ['worktree', 'list', '--porcelain'])).not.toContain('lockstep/ada');
  });
});
