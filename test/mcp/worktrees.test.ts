import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../fixtures/app.js';
import { git, makeRepo, removeTempDirs } from '../../fixtures/git.js';
import { connectInMemory, type ToolClient } from '../../fixtures/mcp.js';

afterAll(removeTempDirs);

let test: TestApp;
let clients: ToolClient[] = [];
beforeEach(async () => {
  test = await makeTestApp({ repo: makeRepo({ 'src/a.ts': 'export const a = 1;\n' }, { defaultBranch: 'master' }) });
  clients = [];
});
afterEach(async () => {
  await Promise.all(clients.map((client) => client.close()));
  test.app.close();
});

async function agent(name: string, role: 'planner' | 'implementer' = 'implementer'): Promise<ToolClient> {
  const client = await connectInMemory(test);
  clients.push(client);
  await client.call('coordination_init', { role, name });
  return client;
}

function commitIn(path: string, file: string, content: string): string {
  writeFileSync(join(path, file), content);
  git(path, ['add', '-A']);
  git(path, ['commit', '--quiet', '-m', `edit ${file}`]);
  return git(path, ['rev-parse', 'HEAD']);
}

describe('worktree tools over MCP', () => {
  it('claims a worktree task, then creates, inspects, diffs and lists the worktree', async () => {
    const lead = await agent('lead', 'planner');
    const ada = await agent('ada');
    const { task } = await lead.call('task_create', { title: 'isolated', isolation: 'worktree' });
    const claimed = await ada.call('task_claim', { id: task.id });
    expect(claimed.task.worktree).toMatchObject({ branch: 'lockstep/ada', path: expect.any(String) });
    const path: string = claimed.task.worktree.path;

    expect(await ada.call('worktree_create', { implementerId: 'ada' })).toMatchObject({ path, resumed: true, created: false });
    const head = commitIn(path, 'src/a.ts', 'export const a = 2;\n');
    writeFileSync(join(path, 'notes.txt'), 'draft\n');
    const status = await ada.call('worktree_status', { implementerId: 'ada' });
    expect(status).toMatchObject({ head, ahead: 1, behind: 0, untracked: ['notes.txt'], mergeable: { clean: true } });

    const diff = await ada.call('worktree_diff', { implementerId: 'ada', includeUncommitted: true });
    expect(diff.diff).toContain('+export const a = 2;');
    expect(diff.diff).toContain('+draft');
    const paged = await ada.call('worktree_diff', { implementerId: 'ada', maxBytes: 40 });
    expect(paged).toMatchObject({ truncated: true, nextOffset: expect.any(Number) });

    const { worktrees } = await lead.call('worktree_list', {});
    expect(worktrees).toEqual([{ implementer: 'ada', path, branch: 'lockstep/ada', head, task: task.id, agentAlive: true }]);
  });

  it('refuses hostile implementer names with INVALID_NAME and bad input by schema', async () => {
    const ada = await agent('ada');
    for (const name of ['--upload-pack=x', 'a;touch x', '../x', '$(x)']) {
      expect(await ada.callError('worktree_create', { implementerId: name })).toMatch(/^INVALID_NAME: .*Next: /);
    }
    expect(git(test.repo, ['branch', '--list', '--format=%(refname)'])).toBe('refs/heads/master');
    expect(await ada.callError('worktree_diff', { implementerId: 'ada', maxBytes: 'lots' })).toMatch(/maxBytes/);
    expect(await ada.callError('worktree_status', { implementerId: 'ada', extra: 1 })).toMatch(/extra|Unrecognized/i);
    expect(await ada.callError('worktree_status', { implementerId: 'ada' })).toMatch(/^NOT_FOUND: .*worktree_create/);
  });

  it('merges only for a planner, and tells the other implementers the target moved', async () => {
    const lead = await agent('lead', 'planner');
    const ada = await agent('ada');
    const bob = await agent('bob');
    const adaTree = await ada.call('worktree_create', { implementerId: 'ada' });
    const bobTree = await bob.call('worktree_create', { implementerId: 'bob' });
    const head = commitIn(adaTree.path, 'src/a.ts', 'export const a = "ada";\n');
    commitIn(bobTree.path, 'src/a.ts', 'export const a = "bob";\n');
    expect(await ada.callError('worktree_merge', { implementerId: 'ada' })).toMatch(/^ROLE_FORBIDDEN: /);
    expect(await lead.call('worktree_merge', { implementerId: 'ada' })).toMatchObject({ status: 'landed', commit: head, target: 'master' });
    expect(git(test.repo, ['rev-parse', 'master'])).toBe(head);
    const news = await bob.call('worktree_status', { implementerId: 'bob' });
    expect(news.pending).toMatchObject({ targetMoved: { target: 'master', conflicts: ['src/a.ts'] } });
    expect(news.mergeable).toEqual({ clean: false, conflicts: ['src/a.ts'] });
    expect(await lead.callError('worktree_merge', { implementerId: 'bob', targetBranch: 'nope' })).toMatch(/^BRANCH_NOT_FOUND: /);
  });

  it('cleans up a gone implementer into an archive and recovers it', async () => {
    const lead = await agent('lead', 'planner');
    const ghost = await lead.call('worktree_create', { implementerId: 'ghost' });
    const head = commitIn(ghost.path, 'ghost.ts', 'boo\n');
    const report = await lead.call('worktree_cleanup', {});
    expect(report.removed).toEqual([expect.objectContaining({ name: 'ghost', reason: 'archived', branchDeleted: true })]);
    expect(existsSync(ghost.path)).toBe(false);
    const listed = await lead.call('worktree_recover', { implementerId: 'ghost' });
    expect(listed).toMatchObject({ status: 'listed', archives: [{ archive: expect.any(String), commit: head }] });
    const recovered = await lead.call('worktree_recover', { implementerId: 'ghost', archive: listed.archives[0].archive });
    expect(recovered).toMatchObject({ status: 'recovered', branch: 'lockstep/ghost', head });
    expect(existsSync(join(recovered.path, 'ghost.ts'))).toBe(true);
  });
});
