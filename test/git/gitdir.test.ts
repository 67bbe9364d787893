// A worktree's `.git` pointer is checked before our git runs in it: a rewritten pointer would make our
// git read another repository's config (and run what it names) or act on another worktree.

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { git, makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { openGit } from '../../git/exec.js';
import { UntrustedWorktreeError } from '../../git/gitdir.js';
import { uncommittedPaths } from '../../git/status.js';

afterAll(removeTempDirs);

function linkedWorktree(repo: string, name: string): string {
  const dir = join(makeTempDir('lockstep-wt-'), name);
  git(repo, ['worktree', 'add', '--quiet', '-b', `lockstep/${name}`, dir]);
  return dir;
}

async function refusal(promise: Promise<unknown>): Promise<UntrustedWorktreeError> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(UntrustedWorktreeError);
  return error as UntrustedWorktreeError;
}

describe('the worktree gitdir pointer', () => {
  it('is accepted for the main checkout and for a genuine linked worktree', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    const worktree = linkedWorktree(repo, 'ada');
    writeFileSync(join(worktree, 'a.txt'), 'changed\n');
    expect(await uncommittedPaths(openGit(repo).at(repo))).toEqual([]);
    expect(await uncommittedPaths(openGit(repo).at(worktree))).toEqual(['a.txt']);
  });

  it('is refused when it points at a repository the agent made, and that repository\'s fsmonitor never runs', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    const worktree = linkedWorktree(repo, 'ada');
    const own = makeRepo({ 'a.txt': 'a\n' });
    const marker = join(makeTempDir(), 'ran');
    writeFileSync(join(own, '.git', 'config'), `[core]\n\trepositoryformatversion = 0\n\tfsmonitor = touch '${marker}'; false\n`);
    writeFileSync(join(worktree, '.git'), `gitdir: ${join(own, '.git')}\n`);

    const error = await refusal(uncommittedPaths(openGit(repo).at(worktree)));
    expect(error.message).toContain("not one of this repository's worktrees");
    expect(existsSync(marker)).toBe(false);
  });

  it('is refused when it points at another worktree\'s admin directory of the same repository', async () => {
    const repo = makeRepo();
    const ada = linkedWorktree(repo, 'ada');
    const bob = linkedWorktree(repo, 'bob');
    const bobPointer = git(bob, ['rev-parse', '--path-format=absolute', '--git-dir']);
    writeFileSync(join(ada, '.git'), `gitdir: ${bobPointer}\n`);

    const error = await refusal(uncommittedPaths(openGit(repo).at(ada)));
    expect(error.message).toContain('belongs to another worktree');
  });

  it('is refused when a worktree\'s .git is a directory of its own', async () => {
    const repo = makeRepo();
    const stranger = makeRepo();
    await refusal(openGit(repo).at(stranger).run(['status']));
  });
});
