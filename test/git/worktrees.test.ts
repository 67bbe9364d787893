import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { git, makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { openGit } from '../../git/exec.js';
import { readRepository } from '../../git/repository.js';
import type { Git } from '../../git/exec.js';
import { TargetBranchNotFoundError } from '../../git/target.js';
import {
  BaseNotFoundError,
  ensureWorktree,
  InvalidNameError,
  listWorktrees,
  lockstepWorktrees,
  WorktreeBlockedError,
} from '../../git/worktrees.js';
import { commitFiles } from './repo-steps.js';

afterAll(removeTempDirs);

/** Real git, with every command it is asked to run written down. */
function recordingGit(dir: string, calls: string[][] = []): Git & { calls: string[][] } {
  const real = openGit(dir);
  return { dir, calls, run: (args, options) => (calls.push([...args]), real.run(args, options)), at: (other) => recordingGit(other, calls) };
}

describe('resolveTargetBranch', () => {
  it('resolves master in a master-default repository with no remote', async () => {
    const repo = makeRepo(undefined, { defaultBranch: 'master' });
    expect((await readRepository(openGit(repo))).target).toBe('master');
  });

  it('prefers the configured branch, and refuses one that does not exist', async () => {
    const repo = makeRepo();
    git(repo, ['branch', 'release']);
    expect((await readRepository(openGit(repo), 'release')).target).toBe('release');
    await expect(readRepository(openGit(repo), 'nope')).rejects.toBeInstanceOf(TargetBranchNotFoundError);
    await expect(readRepository(openGit(repo), '--upload-pack=x')).rejects.toBeInstanceOf(TargetBranchNotFoundError);
  });

  it('falls back to init.defaultBranch when the main checkout is detached', async () => {
    const repo = makeRepo(undefined, { defaultBranch: 'trunk' });
    git(repo, ['config', 'init.defaultBranch', 'trunk']);
    git(repo, ['checkout', '--quiet', '--detach']);
    expect((await readRepository(openGit(repo))).target).toBe('trunk');
  });

  it('answers from inside a linked worktree with the main checkout\'s branch', async () => {
    const repo = makeRepo(undefined, { defaultBranch: 'master' });
    const { path } = await ensureWorktree(await readRepository(openGit(repo)), { name: 'ada', worktreeRoot: makeTempDir() });
    expect((await readRepository(openGit(path))).target).toBe('master');
  });
});

describe('ensureWorktree', () => {
  it('creates lockstep/<name> from the target in <root>/<name>', async () => {
    const repo = makeRepo(undefined, { defaultBranch: 'master' });
    const root = makeTempDir();
    const result = await ensureWorktree(await readRepository(openGit(repo)), { name: 'ada', worktreeRoot: root });
    expect(result).toEqual({
      path: join(root, 'ada'),
      branch: 'lockstep/ada',
      created: true,
      resumed: false,
      head: git(repo, ['rev-parse', 'master']),
    });
    expect(git(result.path, ['branch', '--show-current'])).toBe('lockstep/ada');
    const [implementer] = await lockstepWorktrees(openGit(repo));
    expect(implementer).toMatchObject({ implementer: 'ada', path: result.path, branch: 'refs/heads/lockstep/ada' });
  });

  it('starts a new branch from the given base', async () => {
    const repo = makeRepo();
    const first = git(repo, ['rev-parse', 'HEAD']);
    commitFiles(repo, { 'later.txt': 'later\n' });
    const result = await ensureWorktree(await readRepository(openGit(repo)), { name: 'ada', worktreeRoot: makeTempDir(), base: first });
    expect(result.head).toBe(first);
    await expect(
      ensureWorktree(await readRepository(openGit(repo)), { name: 'bob', worktreeRoot: makeTempDir(), base: '--upload-pack=x' }),
    ).rejects.toBeInstanceOf(BaseNotFoundError);
  });

  it('resumes an existing worktree with its unmerged commits and uncommitted files', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    const root = makeTempDir();
    const { path } = await ensureWorktree(await readRepository(openGit(repo)), { name: 'ada', worktreeRoot: root });
    const commit = commitFiles(path, { 'feature.txt': 'feature\n' });
    writeFileSync(join(path, 'a.txt'), 'edited, not committed\n');
    writeFileSync(join(path, 'scratch.txt'), 'untracked\n');

    const again = await ensureWorktree(await readRepository(openGit(repo)), { name: 'ada', worktreeRoot: root });
    expect(again).toEqual({ path, branch: 'lockstep/ada', created: false, resumed: true, head: commit });
    expect(readFileSync(join(path, 'a.txt'), 'utf8')).toBe('edited, not committed\n');
    expect(readFileSync(join(path, 'scratch.txt'), 'utf8')).toBe('untracked\n');
    expect(git(path, ['rev-parse', 'HEAD'])).toBe(commit);
  });

  it('re-attaches a branch whose worktree directory was deleted, keeping its commits', async () => {
    const repo = makeRepo();
    const root = makeTempDir();
    const { path } = await ensureWorktree(await readRepository(openGit(repo)), { name: 'ada', worktreeRoot: root });
    const commit = commitFiles(path, { 'feature.txt': 'feature\n' });
    rmSync(path, { recursive: true });

    const again = await ensureWorktree(await readRepository(openGit(repo)), { name: 'ada', worktreeRoot: root });
    expect(again).toMatchObject({ path, created: false, resumed: true, head: commit });
    expect(readFileSync(join(path, 'feature.txt'), 'utf8')).toBe('feature\n');
    expect((await listWorktrees(openGit(repo))).filter((worktree) => worktree.prunable)).toEqual([]);
  });

  it('resumes a branch that exists without any worktree', async () => {
    const repo = makeRepo();
    git(repo, ['branch', 'lockstep/ada']);
    const result = await ensureWorktree(await readRepository(openGit(repo)), { name: 'ada', worktreeRoot: makeTempDir() });
    expect(result).toMatchObject({ created: false, resumed: true, head: git(repo, ['rev-parse', 'HEAD']) });
  });

  it('refuses a directory that is not that worktree and leaves it untouched', async () => {
    const repo = makeRepo();
    const root = makeTempDir();
    mkdirSync(join(root, 'ada'));
    writeFileSync(join(root, 'ada', 'precious.txt'), 'mine\n');
    await expect(ensureWorktree(await readRepository(openGit(repo)), { name: 'ada', worktreeRoot: root })).rejects.toBeInstanceOf(WorktreeBlockedError);
    expect(readFileSync(join(root, 'ada', 'precious.txt'), 'utf8')).toBe('mine\n');
    expect(git(repo, ['branch', '--list', 'lockstep/*'])).toBe('');
  });

  it('keeps worktrees under a root inside the repository out of the main checkout\'s status and add -A', async () => {
    const repo = makeRepo();
    const root = join(repo, '.lockstep', 'worktrees');
    const { path } = await ensureWorktree(await readRepository(openGit(repo)), { name: 'ada', worktreeRoot: root });
    writeFileSync(join(path, 'scratch.txt'), 'untracked in the worktree\n');
    await ensureWorktree(await readRepository(openGit(repo)), { name: 'bob', worktreeRoot: root });

    expect(git(repo, ['status', '--porcelain', '--untracked-files=all'])).toBe('');
    git(repo, ['add', '-A']);
    expect(git(repo, ['diff', '--cached', '--name-only'])).toBe('');
    const exclude = readFileSync(join(repo, '.git', 'info', 'exclude'), 'utf8');
    expect(exclude.match(/\/\.lockstep\/worktrees\//g)).toHaveLength(1);
  });

  it.each(['--upload-pack=x', 'a;touch x', '../x', '$(x)', '-x', '.hidden', 'a..b', 'a b', 'x.lock', ''])(
    'refuses the name %j before running any git command',
    async (name) => {
      const repo = makeRepo();
      const root = makeTempDir();
      const spy = recordingGit(repo);
      const repository = { ...(await readRepository(openGit(repo))), git: spy };
      await expect(ensureWorktree(repository, { name, worktreeRoot: root })).rejects.toBeInstanceOf(InvalidNameError);
      expect(spy.calls).toEqual([]);
      for (const dir of [repo, root, join(root, '..'), process.cwd()]) expect(existsSync(join(dir, 'x'))).toBe(false);
    },
  );
});
