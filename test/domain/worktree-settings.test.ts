import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openGit } from '../../git/exec.js';
import { approveProjectConfig } from '../../fixtures/config-approval.js';
import { makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { PROJECT_CONFIG_FILE } from '../../src/domain/project-config.js';
import { listWorktrees } from '../../git/worktree-list.js';
import { defaultWorktreeRoot, readWorktreeSettings } from '../../src/domain/worktree-settings.js';

afterAll(removeTempDirs);

function repoWithWorktreeRoot(worktreeRoot: string): string {
  const repo = makeRepo();
  mkdirSync(join(repo, '.lockstep'));
  writeFileSync(join(repo, PROJECT_CONFIG_FILE), JSON.stringify({ worktreeRoot }));
  return repo;
}

/** As the server reads them once a human has approved the configured worktreeRoot. */
async function settingsOf(repo: string, mode: 'open' | 'strict', dataDir = makeTempDir('lockstep-data-')) {
  await approveProjectConfig(dataDir, repo);
  const git = openGit(repo);
  return readWorktreeSettings(git, { mode, dataDir }, { id: repo, root: repo }, await listWorktrees(git));
}

describe('worktree settings', () => {
  it('refuses, in strict mode, a worktreeRoot outside the project and its own default folder, naming the file and the rule', async () => {
    const repo = repoWithWorktreeRoot('/');
    const error = await settingsOf(repo, 'strict').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining(join(repo, PROJECT_CONFIG_FILE)) });
    expect((error as Error).message).toMatch(/inside the repository or be the project's own folder/);
    await expect(settingsOf(repoWithWorktreeRoot('../siblings'), 'strict')).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    const viaLink = repoWithWorktreeRoot('.worktrees/implementers');
    symlinkSync(makeTempDir('lockstep-outside-'), join(viaLink, '.worktrees'));
    await expect(settingsOf(viaLink, 'strict')).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it("refuses, in strict mode, the data directory, its worktrees folder and another project's folder", async () => {
    const dataDir = makeTempDir('lockstep-data-');
    for (const root of [dataDir, join(dataDir, 'worktrees'), join(dataDir, 'worktrees', 'other-1234abcd'), join(dataDir, 'implementers')]) {
      await expect(settingsOf(repoWithWorktreeRoot(root), 'strict', dataDir)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    }
  });

  it('refuses, in strict mode, a worktreeRoot inside .git or .lockstep', async () => {
    for (const root of ['.git/worktrees-here', '.lockstep/worktrees']) {
      await expect(settingsOf(repoWithWorktreeRoot(root), 'strict')).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    }
  });

  it("accepts, in strict mode, a worktreeRoot inside the project or the project's own default folder", async () => {
    const repo = repoWithWorktreeRoot('.worktrees');
    expect((await settingsOf(repo, 'strict')).worktreeRoot).toBe(join(repo, '.worktrees'));
    const dataDir = makeTempDir('lockstep-data-');
    const own = makeRepo();
    const byDefault = defaultWorktreeRoot(dataDir, { id: own, root: own });
    mkdirSync(join(own, '.lockstep'));
    writeFileSync(join(own, PROJECT_CONFIG_FILE), JSON.stringify({ worktreeRoot: byDefault }));
    expect((await settingsOf(own, 'strict', dataDir)).worktreeRoot).toBe(byDefault);
  });

  it('accepts any worktreeRoot in open mode, where nothing is confined', async () => {
    const repo = repoWithWorktreeRoot('../siblings');
    expect((await settingsOf(repo, 'open')).worktreeRoot).toBe(join(dirname(repo), 'siblings'));
  });
});
