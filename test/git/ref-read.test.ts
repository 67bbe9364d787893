import { afterAll, describe, expect, it } from 'vitest';
import { git, makeRepo, removeTempDirs } from '../../fixtures/git.js';
import { openGit } from '../../git/exec.js';
import { readBranchRefInProcess } from '../../git/ref-read.js';
import { localBranchHead } from '../../git/target.js';

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
});
