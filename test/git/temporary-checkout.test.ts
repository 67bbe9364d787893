// Throwaway checkouts that concurrent calls may hold at once (verify runs): one left behind by a
// killed process is removed before the next is made; one of a live process never is.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { git, makeRepo, removeTempDirs } from '../../fixtures/git.js';
import { openGit } from '../../git/exec.js';
import { withOwnedTemporaryCheckout } from '../../git/temporary-checkout.js';

afterAll(removeTempDirs);

const PREFIX = 'lockstep-verify-';

function leftCheckout(repo: string, pid: number): string {
  const dir = mkdtempSync(join(tmpdir(), `${PREFIX}${pid}-`));
  git(repo, ['worktree', 'add', '--detach', '--quiet', '--force', dir, 'HEAD']);
  return dir;
}

const listed = (repo: string) => git(repo, ['worktree', 'list', '--porcelain']);

describe('owned temporary checkouts', () => {
  it('remove one a dead process left behind, keep one of a live process, and leave none of their own', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
    const abandoned = leftCheckout(repo, deadPid);
    const ofLiveProcess = leftCheckout(repo, process.ppid);
    let inside = '';

    const seen = await withOwnedTemporaryCheckout(openGit(repo), git(repo, ['rev-parse', 'HEAD']), PREFIX, async (dir) => {
      inside = dir;
      return existsSync(join(dir, 'a.txt'));
    });

    expect(seen).toBe(true);
    expect(inside).toContain(`${PREFIX}${process.pid}-`);
    expect(existsSync(abandoned)).toBe(false);
    expect(existsSync(inside)).toBe(false);
    expect(existsSync(ofLiveProcess)).toBe(true);
    expect(listed(repo)).not.toContain(abandoned);
    expect(listed(repo)).toContain(ofLiveProcess);
    git(repo, ['worktree', 'remove', '--force', ofLiveProcess]);
  });
});
