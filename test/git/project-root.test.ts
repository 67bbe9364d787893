import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { git, makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { mainWorktreeRoot } from '../../git/project-root.js';

afterAll(removeTempDirs);

describe('mainWorktreeRoot', () => {
  it('names the main checkout from its root and from any subdirectory', async () => {
    const repo = makeRepo({ 'src/deep/a.ts': 'a\n' });
    expect(await mainWorktreeRoot(repo)).toBe(repo);
    expect(await mainWorktreeRoot(join(repo, 'src', 'deep'))).toBe(repo);
  });

  it('maps a linked worktree to its main checkout, so both are one project', async () => {
    const repo = makeRepo();
    const linked = join(makeTempDir(), 'linked');
    git(repo, ['worktree', 'add', '-q', '-b', 'lockstep/ada', linked]);
    expect(await mainWorktreeRoot(linked)).toBe(repo);
  });

  it('resolves symlinks, so two spellings of one repository are one project', async () => {
    const repo = makeRepo();
    const alias = join(makeTempDir(), 'alias');
    symlinkSync(repo, alias);
    expect(await mainWorktreeRoot(alias)).toBe(repo);
  });

  it('treats a directory outside git as a project of its own', async () => {
    const plain = join(makeTempDir(), 'plain');
    mkdirSync(plain);
    expect(await mainWorktreeRoot(plain)).toBe(plain);
  });

  it('ignores a GIT_DIR and GIT_WORK_TREE in its own environment that point at another repository', async () => {
    const repo = makeRepo();
    const other = makeRepo();
    const saved = { GIT_DIR: process.env.GIT_DIR, GIT_WORK_TREE: process.env.GIT_WORK_TREE };
    process.env.GIT_DIR = join(other, '.git');
    process.env.GIT_WORK_TREE = other;
    try {
      expect(await mainWorktreeRoot(repo)).toBe(repo);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
