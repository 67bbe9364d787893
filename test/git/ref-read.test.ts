import { afterAll, describe, expect, it } from 'vitest';
import { git, makeRepo, removeTempDirs } from '../../fixtures/git.js';
import { openGit } from '../../git/exec.js';
import { readBranchRefInProcess } from '../../git/ref-read.js';
import { BranchNotFoundError, localBranchHead, requireBranchHead } from '../../git/target.js';

afterAll(removeTempDirs);

describe('reading branch refs in-process', () => {
  it('agrees with git for loose and packed refs, from the main checkout and from a linked worktree', async () => {
    const repo = makeRepo();
    git(repo, ['branch', 'lockstep/packed']);
    git(repo, ['pack-refs', '--all']);
    git(repo, ['commit', '--allow-empty', '-q', '-m', 'second']);
    git(repo, ['branch', 'lockstep/loose']);
    const linked = `${repo}-linked`;
    git(repo, ['worktree', 'add', '-q', '--detach', linked]);
    for (const branch of ['lockstep/packed', 'lockstep/loose', 'main']) {
      const expected = git(repo, ['rev-parse', branch]);
      expect(await readBranchRefInProcess(openGit(repo), `refs/heads/${branch}`)).toBe(expected);
      expect(await readBranchRefInProcess(openGit(linked), `refs/heads/${branch}`)).toBe(expected);
      expect(await localBranchHead(openGit(linked), branch)).toBe(expected);
    }
    git(repo, ['worktree', 'remove', linked]);
  });

  it('answers null for a missing branch and leaves names that are not plain to git', async () => {
    const repo = makeRepo();
    expect(await readBranchRefInProcess(openGit(repo), 'refs/heads/nope')).toBeNull();
    expect(await readBranchRefInProcess(openGit(repo), 'refs/heads/../../config')).toBeUndefined();
    expect(await readBranchRefInProcess(openGit(repo), 'refs/heads/-x')).toBeUndefined();
    expect(await localBranchHead(openGit(repo), '../../config')).toBeNull();
  });

  it('reads a branch whose name is not plain through git itself', async () => {
    const repo = makeRepo();
    git(repo, ['branch', 'feature+ü']);
    expect(await readBranchRefInProcess(openGit(repo), 'refs/heads/feature+ü')).toBeUndefined();
    expect(await localBranchHead(openGit(repo), 'feature+ü')).toBe(git(repo, ['rev-parse', 'main']));
  });

  it('answers only for an existing local branch, never for revision syntax that names a commit', async () => {
    const repo = makeRepo();
    git(repo, ['commit', '--allow-empty', '-q', '-m', 'second']);
    git(repo, ['tag', 'v1']);
    const repoGit = openGit(repo);
    expect(await localBranchHead(repoGit, 'refs/heads/main')).toBe(git(repo, ['rev-parse', 'main']));
    for (const revision of ['main~1', 'main^', 'main@{0}', 'HEAD', 'v1', '../tags/v1']) {
      expect(await localBranchHead(repoGit, revision)).toBeNull();
      await expect(requireBranchHead(repoGit, revision)).rejects.toBeInstanceOf(BranchNotFoundError);
    }
  });
});
