import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { git, makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { GitCommandError, openGit, REFUSED_BEFORE_SPAWN } from '../../git/exec.js';

afterAll(removeTempDirs);

async function failure(promise: Promise<unknown>): Promise<GitCommandError> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(GitCommandError);
  return error as GitCommandError;
}

describe('openGit', () => {
  it('returns stdout, stderr and exit code 0 of a successful command, NULs and newlines kept', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
    const result = await openGit(repo).run(['ls-files', '-z']);
    expect(result).toEqual({ exitCode: 0, stdout: 'a.txt\0b.txt\0', stderr: '' });
  });

  it('trims output only when asked', async () => {
    const repo = makeRepo();
    const { stdout } = await openGit(repo).run(['rev-parse', '--abbrev-ref', 'HEAD'], { trim: true });
    expect(stdout).toBe('main');
  });

  it('reports a failing command with its real exit code and stderr', async () => {
    const repo = makeRepo();
    const error = await failure(openGit(repo).run(['rev-parse', '--verify', 'no-such-branch']));
    expect(error.exitCode).toBe(128);
    expect(error.stderr).toContain('fatal');
    expect(error.args).toEqual(['rev-parse', '--verify', 'no-such-branch']);
  });

  it('reports exit code 1 even when git writes nothing to stderr', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
    const error = await failure(openGit(repo).run(['diff', '--no-index', '--quiet', 'a.txt', 'b.txt']));
    expect(error).toMatchObject({ exitCode: 1, stderr: '', stdout: '' });
  });

  it('reports arguments that simple-git refuses as a failed command that never ran', async () => {
    const repo = makeRepo();
    const error = await failure(openGit(repo).run(['fetch', '--upload-pack=touch x', 'origin']));
    expect(error.exitCode).toBe(REFUSED_BEFORE_SPAWN);
    expect(existsSync(join(repo, 'x'))).toBe(false);
  });

  it('returns an exit code listed in okExitCodes instead of throwing', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
    const result = await openGit(repo).run(['diff', '--no-index', '--quiet', 'a.txt', 'b.txt'], { okExitCodes: [0, 1] });
    expect(result.exitCode).toBe(1);
  });

  it('passes extra environment such as a temporary index file', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    const scratchIndex = join(makeTempDir(), 'index');
    const { stdout } = await openGit(repo).run(['ls-files'], { env: { GIT_INDEX_FILE: scratchIndex } });
    expect(stdout).toBe('');
  });

  it('ignores a GIT_DIR inherited from the environment, so a git hook cannot redirect it', async () => {
    const repo = makeRepo();
    const other = makeRepo();
    process.env.GIT_DIR = join(other, '.git');
    try {
      const { stdout } = await openGit(repo).run(['rev-parse', '--show-toplevel'], { trim: true });
      expect(stdout).toBe(repo);
    } finally {
      delete process.env.GIT_DIR;
    }
  });

  it('runs in another directory through at()', async () => {
    const repo = makeRepo();
    const worktree = join(makeTempDir(), 'wt');
    git(repo, ['worktree', 'add', '--quiet', '-b', 'side', worktree]);
    const { stdout } = await openGit(repo).at(worktree).run(['branch', '--show-current'], { trim: true });
    expect(stdout).toBe('side');
  });

  it('retries while another process holds index.lock, then succeeds', async () => {
    const repo = makeRepo();
    const lock = join(repo, '.git', 'index.lock');
    writeFileSync(lock, '');
    writeFileSync(join(repo, 'new.txt'), 'new\n');
    const released = new Promise<void>((resolve) => setTimeout(() => resolve(rmSync(lock)), 300));
    await openGit(repo).run(['add', '--', 'new.txt']);
    await released;
    expect(git(repo, ['diff', '--cached', '--name-only'])).toBe('new.txt');
  });

  it('gives up on a lock that is never released, within about two seconds', async () => {
    const repo = makeRepo();
    writeFileSync(join(repo, '.git', 'index.lock'), '');
    writeFileSync(join(repo, 'new.txt'), 'new\n');
    const started = Date.now();
    const error = await failure(openGit(repo).run(['add', '--', 'new.txt']));
    expect(error.stderr).toContain('index.lock');
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(existsSync(join(repo, '.git', 'index.lock'))).toBe(true);
  });
});
