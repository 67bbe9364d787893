import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { git, makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { branchDiff, page, UNCOMMITTED_HEADER } from '../../git/diff.js';
import { openGit, type Git } from '../../git/exec.js';
import { readRepository } from '../../git/repository.js';
import { ensureWorktree } from '../../git/worktrees.js';
import { commitFiles, repositoryState } from './repo-steps.js';

afterAll(removeTempDirs);

async function implementerWithCommit() {
  const repo = makeRepo({ 'a.txt': 'one\n', 'docs/b.md': 'b\n' }, { defaultBranch: 'master' });
  const { path } = await ensureWorktree(await readRepository(openGit(repo)), { name: 'ada', worktreeRoot: makeTempDir() });
  const head = commitFiles(path, { 'a.txt': 'one\ntwo\n', 'docs/b.md': 'b changed\n' });
  return { repo, path, head };
}

describe('branchDiff', () => {
  it('gives the unified diff of the branch against its merge base with the target', async () => {
    const { repo, head } = await implementerWithCommit();
    commitFiles(repo, { 'master-only.txt': 'target moved on\n' });

    const result = await branchDiff(openGit(repo), { branch: 'lockstep/ada', target: 'master' });
    expect(result).toMatchObject({ head, base: git(repo, ['rev-parse', 'master~1']), truncated: false });
    expect(result.nextOffset).toBeUndefined();
    expect(result.diff).toContain('diff --git a/a.txt b/a.txt');
    expect(result.diff).toContain('+two');
    expect(result.diff).not.toContain('master-only.txt');
  });

  it('limits the diff to one path, taken literally', async () => {
    const { repo } = await implementerWithCommit();
    const docs = await branchDiff(openGit(repo), { branch: 'lockstep/ada', target: 'master', path: 'docs' });
    expect(docs.diff).toContain('docs/b.md');
    expect(docs.diff).not.toContain('a.txt');
    const glob = await branchDiff(openGit(repo), { branch: 'lockstep/ada', target: 'master', path: '*' });
    expect(glob.diff).toBe('');
  });

  it('adds staged, unstaged and untracked changes on request without touching the worktree', async () => {
    const { repo, path } = await implementerWithCommit();
    writeFileSync(join(path, 'a.txt'), 'one\ntwo\nthree\n');
    writeFileSync(join(path, 'staged.txt'), 'staged\n');
    git(path, ['add', 'staged.txt']);
    writeFileSync(join(path, 'untracked.txt'), 'brand new\n');
    const before = repositoryState([repo, path]);

    const result = await branchDiff(openGit(repo), {
      branch: 'lockstep/ada',
      target: 'master',
      worktreePath: path,
      includeUncommitted: true,
    });
    const [committed, uncommitted] = result.diff.split(UNCOMMITTED_HEADER);
    expect(committed).toContain('+two');
    expect(uncommitted).toContain('+three');
    expect(uncommitted).toContain('+staged');
    expect(uncommitted).toContain('+brand new');
    expect(repositoryState([repo, path])).toEqual(before);
  });

  it('leaves out uncommitted changes unless asked', async () => {
    const { repo, path } = await implementerWithCommit();
    writeFileSync(join(path, 'untracked.txt'), 'brand new\n');
    const result = await branchDiff(openGit(repo), { branch: 'lockstep/ada', target: 'master', worktreePath: path });
    expect(result.diff).not.toContain(UNCOMMITTED_HEADER);
  });

  it('pages a large diff by byte offset, the pages joining to the whole', async () => {
    const { repo } = await implementerWithCommit();
    const whole = (await branchDiff(openGit(repo), { branch: 'lockstep/ada', target: 'master' })).diff;
    const pages: string[] = [];
    let offset: number | undefined = 0;
    while (offset !== undefined) {
      const result = await branchDiff(openGit(repo), { branch: 'lockstep/ada', target: 'master', offset, maxBytes: 100 });
      pages.push(result.diff);
      expect(result.truncated).toBe(result.nextOffset !== undefined);
      offset = result.nextOffset;
    }
    expect(pages.length).toBeGreaterThan(2);
    expect(pages.join('')).toBe(whole);
    expect(pages.slice(0, -1).every((text) => text.endsWith('\n'))).toBe(true);
  });
});

describe('branchDiff of a rename', () => {
  it('shows a renamed file as a rename, as git diff does', async () => {
    const repo = makeRepo({ 'old-name.txt': 'line\n'.repeat(20) }, { defaultBranch: 'master' });
    const { path } = await ensureWorktree(await readRepository(openGit(repo)), { name: 'ada', worktreeRoot: makeTempDir() });
    git(path, ['mv', 'old-name.txt', 'new-name.txt']);
    git(path, ['commit', '--quiet', '-m', 'rename']);
    const { diff } = await branchDiff(openGit(repo), { branch: 'lockstep/ada', target: 'master' });
    expect(diff).toBe(`${git(repo, ['diff', 'master', 'lockstep/ada'])}\n`);
    expect(diff).toContain('rename from old-name.txt\nrename to new-name.txt');
  });
});

describe('branchDiff on a branch holding huge files', () => {
  /** Real git, with the largest stdout any one command returned written down. */
  function measuringGit(dir: string, seen = { largest: 0 }): Git & { seen: { largest: number } } {
    const real = openGit(dir);
    return {
      dir,
      seen,
      run: async (args, options) => {
        const result = await real.run(args, options);
        seen.largest = Math.max(seen.largest, Buffer.byteLength(result.stdout));
        return result;
      },
      at: (other) => measuringGit(other, seen),
    };
  }

  it('marks files above the size cap "too large to show" without git ever returning their contents', async () => {
    const repo = makeRepo({ 'a.txt': 'one\n' }, { defaultBranch: 'master' });
    const { path } = await ensureWorktree(await readRepository(openGit(repo)), { name: 'ada', worktreeRoot: makeTempDir() });
    const big = 'x'.repeat(99) + '\n';
    commitFiles(path, { 'a.txt': 'one\ntwo\n', 'huge-1.txt': big.repeat(200_000), 'huge-2.txt': big.repeat(200_000) });
    writeFileSync(join(path, 'huge-3.txt'), big.repeat(200_000));
    const measured = measuringGit(repo);

    const pages: string[] = [];
    let offset: number | undefined = 0;
    while (offset !== undefined) {
      const result = await branchDiff(measured, { branch: 'lockstep/ada', target: 'master', worktreePath: path, includeUncommitted: true, offset });
      pages.push(result.diff);
      offset = result.nextOffset;
    }

    const diff = pages.join('');
    expect(diff).toContain('+two');
    for (const file of ['huge-1.txt', 'huge-2.txt', 'huge-3.txt']) {
      expect(diff).toContain(`diff --git a/${file} b/${file}\n# too large to show: 0 -> 20000000 bytes`);
    }
    expect(diff.indexOf('huge-3.txt')).toBeGreaterThan(diff.indexOf(UNCOMMITTED_HEADER));
    expect(measured.seen.largest).toBeLessThan(64 * 1024);
  });
});

describe('page', () => {
  it('never splits a multi-byte character when a line is longer than the page', () => {
    const text = 'ééééé';
    const first = page(text, 0, 3);
    expect(first).toEqual({ diff: 'é', truncated: true, nextOffset: 2 });
    expect(page(text, 8, 3)).toEqual({ diff: 'é', truncated: false });
  });
});
