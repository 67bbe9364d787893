import { afterAll, describe, expect, it } from 'vitest';
import { makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { openGit } from '../../git/exec.js';
import { readRepository } from '../../git/repository.js';
import { forecastAgainstBranches, forecastMerge, parseMergeTree } from '../../git/forecast.js';
import { ensureWorktree } from '../../git/worktrees.js';
import { commitFiles, repositoryState } from './repo-steps.js';

afterAll(removeTempDirs);

/** A repository with implementers ada and bob both editing shared.txt, and cy editing only its own file. */
async function threeImplementers() {
  const repo = makeRepo({ 'shared.txt': 'base\n', 'other.txt': 'o\n' }, { defaultBranch: 'master' });
  const root = makeTempDir();
  const paths: string[] = [];
  for (const [name, files] of [
    ['ada', { 'shared.txt': 'ada\n', 'ada.txt': 'a\n' }],
    ['bob', { 'shared.txt': 'bob\n' }],
    ['cy', { 'cy.txt': 'c\n' }],
  ] as const) {
    const { path } = await ensureWorktree(await readRepository(openGit(repo)), { name, worktreeRoot: root });
    commitFiles(path, files);
    paths.push(path);
  }
  return { repo, paths };
}

describe('parseMergeTree', () => {
  it('reads the tree and each conflicted path once', () => {
    expect(parseMergeTree('abc123\0x.txt\0x.txt\0y z.txt\0')).toEqual({ tree: 'abc123', conflicts: ['x.txt', 'y z.txt'] });
  });
});

describe('forecastMerge', () => {
  it('names the conflicting files and changes nothing in any checkout or ref', async () => {
    const { repo, paths } = await threeImplementers();
    commitFiles(repo, { 'shared.txt': 'human\n' });
    const before = repositoryState([repo, ...paths]);

    const forecast = await forecastMerge(openGit(repo), { ours: 'master', theirs: 'lockstep/ada' });
    expect(forecast).toMatchObject({ clean: false, conflicts: ['shared.txt'] });
    expect(repositoryState([repo, ...paths])).toEqual(before);
  });

  it('reports a clean merge', async () => {
    const { repo } = await threeImplementers();
    const forecast = await forecastMerge(openGit(repo), { ours: 'master', theirs: 'lockstep/cy' });
    expect(forecast).toMatchObject({ clean: true, conflicts: [] });
    expect(forecast.tree).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('forecastAgainstBranches', () => {
  it('lists only the other branches that would conflict, with their files', async () => {
    const { repo, paths } = await threeImplementers();
    const before = repositoryState([repo, ...paths]);
    const others = ['lockstep/ada', 'lockstep/bob', 'refs/heads/lockstep/cy'];

    expect(await forecastAgainstBranches(openGit(repo), 'lockstep/ada', others)).toEqual([
      { branch: 'lockstep/bob', conflicts: ['shared.txt'] },
    ]);
    expect(await forecastAgainstBranches(openGit(repo), 'lockstep/cy', others)).toEqual([]);
    expect(repositoryState([repo, ...paths])).toEqual(before);
  });
});
