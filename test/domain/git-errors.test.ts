import { afterAll, describe, expect, it } from 'vitest';
import { makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { recoverArchive } from '../../git/archive.js';
import { GitCommandError, openGit } from '../../git/exec.js';
import { landCommit } from '../../git/land.js';
import { readRepository } from '../../git/repository.js';
import { DomainError } from '../../src/core/errors.js';
import { BranchNotFoundError } from '../../git/target.js';
import { translatingGitErrors } from '../../src/domain/git-errors.js';
import { LockTimeoutError } from '../../git/file-lock.js';

afterAll(removeTempDirs);

const failWith = (error: Error) => translatingGitErrors(() => Promise.reject(error));

describe('git errors at the domain boundary', () => {
  it('says the repository is busy when another process held its lock too long', async () => {
    const busy = new LockTimeoutError('/repo/.git/lockstep-landing.lock', 60_000, { pid: 42, host: 'h' });
    await expect(failWith(busy)).rejects.toMatchObject({ code: 'REPOSITORY_BUSY', details: { holder: { pid: 42, host: 'h' } } });
  });

  it('keeps stable codes for a missing branch and a failed git command', async () => {
    await expect(failWith(new BranchNotFoundError('lockstep/x'))).rejects.toMatchObject({ code: 'BRANCH_NOT_FOUND' });
    await expect(failWith(new GitCommandError(['status'], 128, '', 'fatal: not a git repository'))).rejects.toMatchObject({
      code: 'GIT_FAILED',
      details: { exitCode: 128, stderr: 'fatal: not a git repository' },
    });
  });
});

describe("the git manager's own failures", () => {
  it('carry a stable code, and reach an agent as a domain code with a next step', async () => {
    const repo = makeRepo(undefined, { defaultBranch: 'master' });
    const landing = landCommit(await readRepository(openGit(repo)), { target: 'master', source: 'no-such-commit', message: 'm' });
    await expect(landing).rejects.toMatchObject({ code: 'COMMIT_NOT_FOUND' });
    const archive = recoverArchive(await readRepository(openGit(repo)), { name: 'ada', archive: 'nope', worktreeRoot: makeTempDir() });
    await expect(archive).rejects.toMatchObject({ code: 'ARCHIVE_NOT_FOUND' });

    const translated = await translatingGitErrors(async () => {
      await recoverArchive(await readRepository(openGit(repo)), { name: 'ada', archive: 'nope', worktreeRoot: makeTempDir() });
    }).catch((error: DomainError) => error);
    expect(translated).toMatchObject({ code: 'NOT_FOUND', next: expect.stringContaining('worktree_recover') });
  });
});
