import { describe, expect, it } from 'vitest';
import { GitCommandError } from '../../git/exec.js';
import { BranchNotFoundError } from '../../git/target.js';
import { translatingGitErrors } from '../../src/domain/git-errors.js';
import { LockTimeoutError } from '../../git/file-lock.js';

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
