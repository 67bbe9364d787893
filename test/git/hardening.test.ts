// Attacks on our own git: an agent plants a program in the repository's config, hooks or attributes,
// then the planner's server runs an ordinary git operation. The payload must never run.

import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { git, makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { branchDiff } from '../../git/diff.js';
import { openGit } from '../../git/exec.js';
import { forecastMerge } from '../../git/forecast.js';
import { overridesFor } from '../../git/hardening.js';
import { landCommit } from '../../git/land.js';
import { readRepository } from '../../git/repository.js';
import { uncommittedPaths } from '../../git/status.js';
import { commitOnBranch } from './branch-fixture.js';

afterAll(removeTempDirs);

/** A file whose existence proves the payload ran, and the shell command that creates it. */
function payload(): { marker: string; command: string } {
  const marker = join(makeTempDir('lockstep-payload-'), 'ran');
  return { marker, command: `touch '${marker}'; false` };
}

function plantHook(repo: string, hook: string, marker: string): void {
  const hooks = join(repo, '.git', 'hooks');
  mkdirSync(hooks, { recursive: true });
  writeFileSync(join(hooks, hook), `#!/bin/sh\ntouch '${marker}'\n`);
  chmodSync(join(hooks, hook), 0o755);
}

function linkedWorktree(repo: string, branch: string): string {
  const dir = join(makeTempDir('lockstep-wt-'), branch);
  git(repo, ['worktree', 'add', '--quiet', '-b', `lockstep/${branch}`, dir]);
  return dir;
}

describe('git settings an agent planted in the repository', () => {
  it('a core.fsmonitor in .git/config does not run when the status of a worktree is read', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    const { marker, command } = payload();
    git(repo, ['config', 'core.fsmonitor', command]);
    writeFileSync(join(repo, 'a.txt'), 'changed\n');

    expect(await uncommittedPaths(openGit(repo))).toEqual(['a.txt']);
    expect(existsSync(marker)).toBe(false);
  });

  it('a core.fsmonitor in a linked worktree\'s config.worktree does not run either', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    const worktree = linkedWorktree(repo, 'ada');
    const { marker, command } = payload();
    git(repo, ['config', 'extensions.worktreeConfig', 'true']);
    git(worktree, ['config', '--worktree', 'core.fsmonitor', command]);
    writeFileSync(join(worktree, 'a.txt'), 'changed\n');

    expect(await uncommittedPaths(openGit(repo).at(worktree))).toEqual(['a.txt']);
    expect(existsSync(marker)).toBe(false);
  });

  it('hooks in .git/hooks do not run on worktree add, update-ref or a landing\'s fast-forward', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' }, { defaultBranch: 'master' });
    const source = commitOnBranch(repo, 'lockstep/ada', { 'b.txt': 'b\n' });
    const { marker } = payload();
    for (const hook of ['post-checkout', 'reference-transaction', 'post-merge', 'pre-merge-commit', 'pre-commit']) plantHook(repo, hook, marker);

    const ours = openGit(repo);
    await ours.run(['worktree', 'add', '--quiet', '--detach', join(makeTempDir(), 'gate'), 'master']);
    await ours.run(['update-ref', 'refs/lockstep/probe', source]);
    const landed = await landCommit(await readRepository(ours), { target: 'master', source, message: 'land ada' });

    expect(landed.status).toBe('landed');
    expect(existsSync(marker)).toBe(false);
  });

  it('textconv and external diff drivers do not run when a reviewer reads a diff', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n', '.gitattributes': '*.txt diff=x\n' });
    const worktree = linkedWorktree(repo, 'ada');
    const { marker, command } = payload();
    git(repo, ['config', 'diff.x.textconv', command]);
    git(repo, ['config', 'diff.x.command', command]);
    git(repo, ['config', 'diff.external', command]);
    git(worktree, ['commit', '--quiet', '--allow-empty', '-m', 'empty']);
    writeFileSync(join(worktree, 'a.txt'), 'changed\n');

    const diff = await branchDiff(openGit(repo), { branch: 'lockstep/ada', target: 'main', worktreePath: worktree, includeUncommitted: true });

    expect(diff.diff).toContain('+changed');
    expect(existsSync(marker)).toBe(false);
  });

  it('a required clean filter does not run when uncommitted changes are diffed, and the diff still works', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n', '.gitattributes': '*.txt filter=x\n' });
    const worktree = linkedWorktree(repo, 'ada');
    const { marker, command } = payload();
    git(repo, ['config', 'filter.x.clean', command]);
    git(repo, ['config', 'filter.x.smudge', command]);
    git(repo, ['config', 'filter.x.required', 'true']);
    writeFileSync(join(worktree, 'a.txt'), 'changed\n');

    const diff = await branchDiff(openGit(repo), { branch: 'lockstep/ada', target: 'main', worktreePath: worktree, includeUncommitted: true });

    expect(diff.diff).toContain('+changed');
    expect(existsSync(marker)).toBe(false);
  });

  it('a merge driver does not run in a merge forecast, which reports the conflict instead', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n', '.gitattributes': '*.txt merge=x\n' });
    const ours = commitOnBranch(repo, 'one', { 'a.txt': 'one\n' });
    const theirs = commitOnBranch(repo, 'two', { 'a.txt': 'two\n' });
    const { marker, command } = payload();
    git(repo, ['config', 'merge.x.driver', command]);

    const forecast = await forecastMerge(openGit(repo), { ours, theirs });

    expect(forecast.clean).toBe(false);
    expect(existsSync(marker)).toBe(false);
  });

  it('disarms only settings from the local and worktree scopes: the human\'s global and system config stay theirs', () => {
    const listing = ['global', 'diff.y.textconv\ncat', 'local', 'diff.x.textconv\ncat', 'worktree', 'filter.f.clean\nx', 'local', 'diff.x.binary\ntrue', ''].join('\0');
    expect(overridesFor(listing)).toEqual([
      ['diff.x.textconv', ''],
      ['filter.f.clean', ''],
      ['filter.f.required', 'false'],
    ]);
  });
});
