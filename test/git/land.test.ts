import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { git, HERMETIC_GIT_ENV, makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { openGit } from '../../git/exec.js';
import { readRepository } from '../../git/repository.js';
import { landCommit } from '../../git/land.js';
import { BranchNotFoundError } from '../../git/target.js';
import { commitOnBranch, hasMergeHead, head } from './branch-fixture.js';

afterAll(removeTempDirs);

/** A `master` repository with no remote, and the target moved on since the branch forked (a real merge). */
function divergedRepo(branchFiles: Record<string, string>) {
  const repo = makeRepo({ 'a.txt': 'a\n', 'b.txt': 'b\n', 'c.txt': 'c\n' }, { defaultBranch: 'master' });
  const source = commitOnBranch(repo, 'lockstep/ada', branchFiles);
  git(repo, ['commit', '-q', '--allow-empty', '-m', 'target moves on']);
  return { repo, source, old: head(repo, 'master') };
}

describe('landCommit', () => {
  it('lands a branch into the checked-out target and keeps the human uncommitted edit', async () => {
    const { repo, source, old } = divergedRepo({ 'b.txt': 'b from ada\n', 'new.txt': 'new\n' });
    writeFileSync(join(repo, 'a.txt'), 'human edit\n');

    const result = await landCommit(await readRepository(openGit(repo)), { target: 'master', source, message: 'land ada' });

    expect(result).toMatchObject({ status: 'landed', previous: old, fastForward: false, checkoutUpdated: repo });
    const commit = result.status === 'landed' ? result.commit : '';
    expect(head(repo, 'master')).toBe(commit);
    expect(git(repo, ['log', '-1', '--format=%P %s', commit])).toBe(`${old} ${source} land ada`);
    expect(readFileSync(join(repo, 'a.txt'), 'utf8')).toBe('human edit\n');
    expect(readFileSync(join(repo, 'b.txt'), 'utf8')).toBe('b from ada\n');
    expect(git(repo, ['status', '--porcelain'])).toBe('M a.txt');
  });

  it('fast-forwards when the target has not moved since the branch forked', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' }, { defaultBranch: 'master' });
    const source = commitOnBranch(repo, 'lockstep/ada', { 'b.txt': 'b\n' });

    const result = await landCommit(await readRepository(openGit(repo)), { target: 'master', source, message: 'unused' });

    expect(result).toMatchObject({ status: 'landed', commit: source, fastForward: true, checkoutUpdated: repo });
    expect(head(repo)).toBe(source);
    expect(git(repo, ['status', '--porcelain'])).toBe('');
  });

  it('refuses to overwrite the human edit of a file the landing changes, and loses nothing', async () => {
    const { repo, source, old } = divergedRepo({ 'a.txt': 'a from ada\n' });
    writeFileSync(join(repo, 'a.txt'), 'human edit\n');

    const result = await landCommit(await readRepository(openGit(repo)), { target: 'master', source, message: 'land ada' });

    expect(result).toMatchObject({ status: 'target_checkout_refused', checkout: repo });
    expect(result.status === 'target_checkout_refused' && result.reason).toContain('a.txt');
    expect(head(repo, 'master')).toBe(old);
    expect(readFileSync(join(repo, 'a.txt'), 'utf8')).toBe('human edit\n');
    expect(git(repo, ['status', '--porcelain'])).toBe('M a.txt');
    expect(hasMergeHead(repo)).toBe(false);
  });

  it("refuses to overwrite the human's git-ignored file with the branch's tracked one, in a fast-forward and in a merge", async () => {
    for (const diverge of [false, true]) {
      const repo = makeRepo({ '.gitignore': '.env\n', 'a.txt': 'a\n' }, { defaultBranch: 'master' });
      const adaDir = join(makeTempDir(), 'ada');
      git(repo, ['worktree', 'add', '-q', '-b', 'lockstep/ada', adaDir]);
      writeFileSync(join(adaDir, '.env'), 'API_KEY=from-ada\n');
      git(adaDir, ['add', '-f', '.env']);
      git(adaDir, ['commit', '-q', '-m', 'track .env']);
      const branchHead = head(adaDir);
      if (diverge) git(repo, ['commit', '-q', '--allow-empty', '-m', 'target moves on']);
      const old = head(repo, 'master');
      writeFileSync(join(repo, '.env'), 'API_KEY=human-secret\n');

      const result = await landCommit(await readRepository(openGit(repo)), { target: 'master', source: branchHead, message: 'land ada' });

      expect(result).toMatchObject({ status: 'target_checkout_refused', checkout: repo });
      expect(result.status === 'target_checkout_refused' && result.reason).toContain('.env');
      expect(readFileSync(join(repo, '.env'), 'utf8')).toBe('API_KEY=human-secret\n');
      expect(head(repo, 'master')).toBe(old);
    }
  });

  it('refuses to move a target that two checkouts have out, so neither is left with stale files', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' }, { defaultBranch: 'master' });
    const source = commitOnBranch(repo, 'lockstep/ada', { 'b.txt': 'b\n' });
    const second = join(makeTempDir(), 'second-master');
    git(repo, ['worktree', 'add', '-q', '--force', second, 'master']);
    const old = head(repo, 'master');

    const result = await landCommit(await readRepository(openGit(repo)), { target: 'master', source, message: 'land ada' });

    expect(result).toMatchObject({ status: 'target_checkout_refused' });
    expect(result.status === 'target_checkout_refused' && result.reason).toContain(second);
    expect(head(repo, 'master')).toBe(old);
    expect(git(second, ['status', '--porcelain'])).toBe('');
    expect(git(repo, ['status', '--porcelain'])).toBe('');
  });

  it('refuses to move a target that the human is in the middle of rebasing', async () => {
    const { repo, source } = divergedRepo({ 'b.txt': 'b from ada\n' });
    commitOnBranch(repo, 'topic', { 'c.txt': 'topic\n' }, 'HEAD~1');
    writeFileSync(join(repo, 'c.txt'), 'master\n');
    git(repo, ['commit', '-q', '-am', 'master changes c']);
    const rebasing = head(repo);
    const rebase = spawnSync('git', ['rebase', 'topic'], { cwd: repo, env: { ...process.env, ...HERMETIC_GIT_ENV } });
    expect(rebase.status).not.toBe(0);

    const result = await landCommit(await readRepository(openGit(repo)), { target: 'master', source, message: 'land ada' });

    expect(result).toEqual({ status: 'target_checkout_refused', reason: 'a rebase of master is in progress there', checkout: repo });
    expect(head(repo, 'master')).toBe(rebasing);
  });

  it('reports conflicting files and leaves target and branch where they were', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n', 'b.txt': 'b\n' }, { defaultBranch: 'master' });
    const source = commitOnBranch(repo, 'lockstep/ada', { 'a.txt': 'ada\n', 'b.txt': 'ada\n' });
    writeFileSync(join(repo, 'a.txt'), 'master\n');
    git(repo, ['commit', '-q', '-am', 'master changes a']);
    const old = head(repo);

    const result = await landCommit(await readRepository(openGit(repo)), { target: 'master', source, message: 'land ada' });

    expect(result).toEqual({ status: 'conflict', files: ['a.txt'] });
    expect(head(repo, 'master')).toBe(old);
    expect(head(repo, 'lockstep/ada')).toBe(source);
    expect(git(repo, ['status', '--porcelain'])).toBe('');
    expect(hasMergeHead(repo)).toBe(false);
  });

  it('moves a target that no worktree has checked out by compare-and-swap alone', async () => {
    const { repo, source, old } = divergedRepo({ 'b.txt': 'b from ada\n' });
    git(repo, ['switch', '-q', '-c', 'elsewhere']);

    const result = await landCommit(await readRepository(openGit(repo)), { target: 'master', source, message: 'land ada' });

    expect(result).toMatchObject({ status: 'landed', previous: old, fastForward: false });
    expect(result).not.toHaveProperty('checkoutUpdated');
    expect(git(repo, ['log', '-1', '--format=%P', 'master'])).toBe(`${old} ${source}`);
    expect(head(repo)).toBe(old);
    expect(git(repo, ['status', '--porcelain'])).toBe('');
  });

  it('lands nothing when the gate fails, and removes the gate worktree', async () => {
    const { repo, source, old } = divergedRepo({ 'b.txt': 'b from ada\n' });
    let gateDir = '';
    const gate = async (dir: string) => {
      gateDir = dir;
      return { ok: false, log: `tests failed on ${readFileSync(join(dir, 'b.txt'), 'utf8').trim()}` };
    };

    const result = await landCommit(await readRepository(openGit(repo)), { target: 'master', source, message: 'land ada', gate });

    expect(result).toEqual({ status: 'gate_failed', logTail: 'tests failed on b from ada' });
    expect(head(repo, 'master')).toBe(old);
    expect(existsSync(gateDir)).toBe(false);
    expect(git(repo, ['worktree', 'list', '--porcelain'])).not.toContain('lockstep-gate-');
  });

  it('lands the exact merge the gate approved, then removes the gate worktree', async () => {
    const { repo, source } = divergedRepo({ 'b.txt': 'b from ada\n' });
    let gated = '';
    const gate = async (dir: string) => {
      gated = git(dir, ['rev-parse', 'HEAD']);
      return { ok: true, log: 'ok' };
    };

    const result = await landCommit(await readRepository(openGit(repo)), { target: 'master', source, message: 'land ada', gate });

    expect(result).toMatchObject({ status: 'landed', commit: gated });
    expect(head(repo, 'master')).toBe(gated);
    expect(git(repo, ['worktree', 'list', '--porcelain'])).not.toContain('lockstep-gate-');
  });

  it('reports a source the target already contains as landed without a new commit', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' }, { defaultBranch: 'master' });
    const old = head(repo);
    const result = await landCommit(await readRepository(openGit(repo)), { target: 'master', source: old, message: 'unused' });
    expect(result).toMatchObject({ status: 'landed', commit: old, previous: old });
    expect(head(repo)).toBe(old);
  });

  it('accepts the target as a full ref, for the checked-out target and for one moved by compare-and-swap', async () => {
    const checkedOut = divergedRepo({ 'b.txt': 'b from ada\n' });
    const landed = await landCommit(await readRepository(openGit(checkedOut.repo)), { target: 'refs/heads/master', source: checkedOut.source, message: 'land' });
    expect(landed).toMatchObject({ status: 'landed', previous: checkedOut.old, checkoutUpdated: checkedOut.repo });
    expect(git(checkedOut.repo, ['for-each-ref', '--format=%(refname)', 'refs/heads/refs'])).toBe('');

    const elsewhere = divergedRepo({ 'b.txt': 'b from ada\n' });
    git(elsewhere.repo, ['switch', '-q', '-c', 'elsewhere']);
    const swapped = await landCommit(await readRepository(openGit(elsewhere.repo)), { target: 'refs/heads/master', source: elsewhere.source, message: 'land' });
    expect(swapped).toMatchObject({ status: 'landed', previous: elsewhere.old });
    expect(git(elsewhere.repo, ['log', '-1', '--format=%P', 'master'])).toBe(`${elsewhere.old} ${elsewhere.source}`);
  });

  it('refuses a target that is no local branch, revision syntax included, and moves nothing', async () => {
    const { repo, source, old } = divergedRepo({ 'b.txt': 'b from ada\n' });
    for (const target of ['nope', 'master~1']) {
      const landing = landCommit(await readRepository(openGit(repo)), { target, source, message: 'land ada' });
      await expect(landing).rejects.toBeInstanceOf(BranchNotFoundError);
    }
    expect(head(repo, 'master')).toBe(old);
  });
});
