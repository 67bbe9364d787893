import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../fixtures/app.js';
import { approveProjectConfig } from '../../fixtures/config-approval.js';
import { git, makeRepo, removeTempDirs } from '../../fixtures/git.js';

afterAll(removeTempDirs);

const apps: TestApp[] = [];
afterEach(() => {
  for (const test of apps.splice(0)) test.app.close();
});

async function setup(files: Record<string, string> = { 'README.md': '# test\n', 'src/a.ts': 'export const a = 1;\n' }, settings = {}): Promise<TestApp> {
  const test = await makeTestApp({ repo: makeRepo(files, { defaultBranch: 'master' }), settings });
  apps.push(test);
  return test;
}

function commitIn(path: string, files: Record<string, string>, message = 'work'): string {
  for (const [file, content] of Object.entries(files)) writeFileSync(join(path, file), content);
  git(path, ['add', '-A']);
  git(path, ['commit', '--quiet', '-m', message]);
  return git(path, ['rev-parse', 'HEAD']);
}

async function register(test: TestApp, name: string, role: 'planner' | 'implementer' = 'implementer') {
  await test.app.agents.register(test.caller(), { role, name });
  return test.caller(name, role);
}

describe('WorktreeService', () => {
  it('creates the worktree when a worktree task is claimed, and the claim result names it', async () => {
    const test = await setup();
    const ada = await register(test, 'ada');
    const task = await test.app.tasks.create(test.caller('lead', 'planner'), { title: 'isolated', isolation: 'worktree' });
    const claimed = await test.app.tasks.claim(ada, task.id);
    expect(claimed.status).toBe('in_progress');
    expect(claimed.worktree).toMatchObject({ branch: 'lockstep/ada', instruction: expect.stringContaining('never commits for you') });
    expect(existsSync(join(claimed.worktree!.path, 'src/a.ts'))).toBe(true);
    expect(claimed.worktree!.path.startsWith(test.config.dataDir)).toBe(true);
    expect(git(test.repo, ['status', '--porcelain'])).toBe('');
  });

  it('keeps the claim and reports why when the worktree cannot be made', async () => {
    const test = await setup();
    const ada = await register(test, 'ada');
    const { worktreeRoot } = await test.app.worktrees.settings(ada);
    mkdirSync(join(worktreeRoot, 'ada'), { recursive: true });
    writeFileSync(join(worktreeRoot, 'ada', 'keep.txt'), 'mine\n');
    const task = await test.app.tasks.create(test.caller('lead', 'planner'), { title: 'isolated', isolation: 'worktree' });
    const claimed = await test.app.tasks.claim(ada, task.id);
    expect(claimed).toMatchObject({ status: 'in_progress', owner: 'ada', worktreeError: { code: 'WORKTREE_BLOCKED', next: expect.stringContaining('worktree_create') } });
    expect(readFileSync(join(worktreeRoot, 'ada', 'keep.txt'), 'utf8')).toBe('mine\n');
  });

  it('leaves a shared task claim without a worktree', async () => {
    const test = await setup();
    const ada = await register(test, 'ada');
    const task = await test.app.tasks.create(test.caller('lead', 'planner'), { title: 'shared' });
    expect((await test.app.tasks.claim(ada, task.id)).worktree).toBeUndefined();
  });

  it('resumes an existing worktree with its commits and uncommitted files', async () => {
    const test = await setup();
    const ada = test.caller('ada');
    const first = await test.app.worktrees.ensure(ada, 'ada');
    expect(first).toMatchObject({ created: true, resumed: false });
    const head = commitIn(first.path, { 'b.ts': 'b\n' });
    writeFileSync(join(first.path, 'draft.txt'), 'not committed\n');
    const again = await test.app.worktrees.ensure(ada, 'ada');
    expect(again).toMatchObject({ path: first.path, created: false, resumed: true, head });
    expect(readFileSync(join(again.path, 'draft.txt'), 'utf8')).toBe('not committed\n');
    expect(await test.app.worktrees.isDirty(ada, again)).toEqual(['draft.txt']);
  });

  it('shows a commit as ahead 1 in status and in the diff', async () => {
    const test = await setup();
    const ada = test.caller('ada');
    const { path } = await test.app.worktrees.ensure(ada, 'ada');
    const head = commitIn(path, { 'src/a.ts': 'export const a = 2;\n' });
    const status = await test.app.worktrees.status(ada, 'ada');
    expect(status).toMatchObject({ branch: 'lockstep/ada', target: 'master', head, ahead: 1, behind: 0, uncommitted: [], untracked: [] });
    expect(status.diffStat).toMatchObject({ files: 1, insertions: 1, deletions: 1 });
    expect(status.mergeable).toEqual({ clean: true });
    const diff = await test.app.worktrees.diff(ada, { name: 'ada' });
    expect(diff.diff).toContain('+export const a = 2;');
    expect(diff).toMatchObject({ target: 'master', head, truncated: false });
  });

  it.each(['--upload-pack=x', 'a;touch x', '../x', '$(x)'])('refuses the hostile name %s before git runs', async (name) => {
    const test = await setup();
    const caller = test.caller('ada');
    await expect(test.app.worktrees.ensure(caller, name)).rejects.toMatchObject({ code: 'INVALID_NAME' });
    await expect(test.app.worktrees.status(caller, name)).rejects.toMatchObject({ code: 'INVALID_NAME' });
    await expect(test.app.worktrees.recover(caller, { name })).rejects.toMatchObject({ code: 'INVALID_NAME' });
    expect(git(test.repo, ['branch', '--list', '--format=%(refname)'])).toBe('refs/heads/master');
    expect(git(test.repo, ['worktree', 'list', '--porcelain']).match(/^worktree /gm)).toHaveLength(1);
    expect(existsSync(join(test.repo, 'x'))).toBe(false);
    const root = (await test.app.worktrees.settings(caller)).worktreeRoot;
    expect(existsSync(root) ? readdirSync(root) : []).toEqual([]);
  });

  it('lets only a planner merge a branch outside review', async () => {
    const test = await setup();
    const ada = test.caller('ada');
    const { path } = await test.app.worktrees.ensure(ada, 'ada');
    const head = commitIn(path, { 'b.ts': 'b\n' });
    await expect(test.app.worktrees.merge(ada, { name: 'ada' })).rejects.toMatchObject({ code: 'ROLE_FORBIDDEN' });
    const landed = await test.app.worktrees.merge(test.caller('lead', 'planner'), { name: 'ada' });
    expect(landed).toMatchObject({ status: 'landed', target: 'master', commit: head, fastForward: true });
    expect(git(test.repo, ['rev-parse', 'master'])).toBe(head);
    expect(readFileSync(join(test.repo, 'b.ts'), 'utf8')).toBe('b\n');
  });

  it.each(['master~1', 'refs/heads/master', 'HEAD', '-x', 'a..b', 'x.lock'])('refuses to merge onto "%s", which is no plain local branch name', async (targetBranch) => {
    const test = await setup();
    const { path } = await test.app.worktrees.ensure(test.caller('ada'), 'ada');
    commitIn(path, { 'b.ts': 'b\n' });
    const before = git(test.repo, ['for-each-ref', '--format=%(refname) %(objectname)']);
    const error = await test.app.worktrees.merge(test.caller('lead', 'planner'), { name: 'ada', targetBranch }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining(targetBranch), next: expect.stringContaining('branch') });
    expect(git(test.repo, ['for-each-ref', '--format=%(refname) %(objectname)'])).toBe(before);
  });

  it("forecasts conflicts with the target and with another implementer's branch", async () => {
    const test = await setup();
    const ada = await test.app.worktrees.ensure(test.caller('ada'), 'ada');
    const bob = await test.app.worktrees.ensure(test.caller('bob'), 'bob');
    commitIn(ada.path, { 'src/a.ts': 'export const a = "ada";\n' });
    commitIn(bob.path, { 'src/a.ts': 'export const a = "bob";\n' });
    const status = await test.app.worktrees.status(test.caller('ada'), 'ada');
    expect(status.mergeable).toEqual({ clean: true });
    expect(status.conflictsWith).toEqual([{ implementer: 'bob', files: ['src/a.ts'] }]);
    commitIn(test.repo, { 'src/a.ts': 'export const a = "human";\n' });
    expect((await test.app.worktrees.status(test.caller('ada'), 'ada')).mergeable).toEqual({ clean: false, conflicts: ['src/a.ts'] });
  });

  it("archives a gone implementer's unmerged work on cleanup and recovers it", async () => {
    const test = await setup();
    const caller = test.caller('lead', 'planner');
    const ghost = await test.app.worktrees.ensure(caller, 'ghost');
    const head = commitIn(ghost.path, { 'ghost.ts': 'boo\n' });
    writeFileSync(join(ghost.path, 'unsaved.txt'), 'wip\n');
    const report = await test.app.worktrees.cleanup(caller);
    expect(report.removed).toEqual([expect.objectContaining({ name: 'ghost', reason: 'archived', archive: expect.stringMatching(/^refs\/lockstep\/archive\/ghost\//) })]);
    expect(existsSync(ghost.path)).toBe(false);
    const listed = await test.app.worktrees.recover(caller, { name: 'ghost' });
    expect(listed.status).toBe('listed');
    const archive = listed.status === 'listed' ? listed.archives[0]!.archive : '';
    await expect(test.app.worktrees.recover(caller, { name: 'ghost', archive: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const recovered = await test.app.worktrees.recover(caller, { name: 'ghost', archive });
    expect(recovered).toMatchObject({ status: 'recovered', head, restoredUncommitted: true });
    const path = recovered.status === 'recovered' ? recovered.path : '';
    expect(readFileSync(join(path, 'ghost.ts'), 'utf8')).toBe('boo\n');
    expect(readFileSync(join(path, 'unsaved.txt'), 'utf8')).toBe('wip\n');
  });

  it('keeps a live implementer\'s unmerged worktree on cleanup and removes a merged one', async () => {
    const test = await setup();
    const ada = await register(test, 'ada');
    const bob = await register(test, 'bob');
    await test.app.worktrees.ensure(ada, 'ada');
    const bobTree = await test.app.worktrees.ensure(bob, 'bob');
    commitIn(bobTree.path, { 'bob.ts': 'bob\n' });
    const listed = await test.app.worktrees.list(ada);
    expect(listed.map((w) => [w.implementer, w.agentAlive])).toEqual([['ada', true], ['bob', true]]);
    const report = await test.app.worktrees.cleanup(ada);
    expect(report.removed.map((r) => [r.name, r.reason])).toEqual([['ada', 'merged']]);
    expect(report.kept).toEqual([{ name: 'bob', reason: 'not merged into the target' }]);
  });

  it('keeps a fresh worktree whose live implementer has a task in progress, though it is trivially merged', async () => {
    const test = await setup();
    const planner = await register(test, 'plan', 'planner');
    const ada = await register(test, 'ada');
    const { id } = await test.app.tasks.create(planner, { title: 'Parser', isolation: 'worktree' });
    const claimed = await test.app.tasks.claim(ada, id);
    const report = await test.app.worktrees.cleanup(planner);
    expect(report.removed).toEqual([]);
    expect(report.kept).toEqual([{ name: 'ada', reason: 'merged, but its implementer is still working in it' }]);
    expect(existsSync(claimed.worktree!.path)).toBe(true);
  });

  it("tells other implementers that the target moved, with their branch's conflicts", async () => {
    const test = await setup();
    const lead = await register(test, 'lead', 'planner');
    const ada = await register(test, 'ada');
    const bob = await register(test, 'bob');
    const carl = await register(test, 'carl');
    await test.app.agents.touch(bob);
    await test.app.agents.touch(carl);
    const adaTree = await test.app.worktrees.ensure(ada, 'ada');
    const bobTree = await test.app.worktrees.ensure(bob, 'bob');
    await test.app.worktrees.ensure(carl, 'carl');
    commitIn(adaTree.path, { 'src/a.ts': 'export const a = "ada";\n' });
    commitIn(bobTree.path, { 'src/a.ts': 'export const a = "bob";\n' });
    expect(await test.app.worktrees.merge(lead, { name: 'ada' })).toMatchObject({ status: 'landed' });
    expect(await test.app.agents.touch(bob)).toMatchObject({ targetMoved: { target: 'master', conflicts: ['src/a.ts'] }, hint: expect.stringContaining('git merge master') });
    const carlNews = await test.app.agents.touch(carl);
    expect(carlNews?.targetMoved).toEqual({ target: 'master' });
    expect(await test.app.agents.touch(ada)).toBeNull();
  });

  it('lands only when the configured gate passes on the merged result', async () => {
    const config = (gate: string) => JSON.stringify({ gateCommand: gate });
    const test = await setup({ 'README.md': '# t\n', '.lockstep/config.json': config('node -e "process.exit(3)"') });
    await approveProjectConfig(test.config.dataDir, test.repo);
    const lead = test.caller('lead', 'planner');
    const { path } = await test.app.worktrees.ensure(lead, 'ada');
    const head = commitIn(path, { 'b.ts': 'b\n' });
    const before = git(test.repo, ['rev-parse', 'master']);
    const failed = await test.app.worktrees.land(lead, { name: 'ada', source: head, message: 'land ada' });
    expect(failed).toMatchObject({ status: 'gate_failed', target: 'master', logTail: expect.stringContaining('exit 3') });
    expect(git(test.repo, ['rev-parse', 'master'])).toBe(before);
    writeFileSync(join(test.repo, '.lockstep/config.json'), config('node -e "process.exit(0)"'));
    await approveProjectConfig(test.config.dataDir, test.repo);
    expect(await test.app.worktrees.land(lead, { name: 'ada', source: head, message: 'land ada' })).toMatchObject({ status: 'landed', commit: head });
    expect(await test.app.worktrees.land(lead, { name: 'ada', source: head, message: 'again' })).toMatchObject({ status: 'landed', alreadyLanded: true });
  });

  it('reports a conflicting landing as a result and leaves the target alone', async () => {
    const test = await setup();
    const lead = test.caller('lead', 'planner');
    const { path } = await test.app.worktrees.ensure(lead, 'ada');
    const head = commitIn(path, { 'src/a.ts': 'export const a = "ada";\n' });
    const human = commitIn(test.repo, { 'src/a.ts': 'export const a = "human";\n' });
    expect(await test.app.worktrees.land(lead, { name: 'ada', source: head, message: 'm' })).toEqual({ status: 'conflict', target: 'master', files: ['src/a.ts'] });
    expect(git(test.repo, ['rev-parse', 'master'])).toBe(human);
    await expect(test.app.worktrees.land(lead, { name: 'ada', source: '--all', message: 'm' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lets file tools reach the worktree root in strict mode, and nothing else outside', async () => {
    const test = await setup(undefined, { mode: 'strict' });
    const ada = test.caller('ada');
    const { path } = await test.app.worktrees.ensure(ada, 'ada');
    await test.app.files.write(ada, { path: join(path, 'new.ts'), content: 'x\n' });
    expect(readFileSync(join(path, 'new.ts'), 'utf8')).toBe('x\n');
    await expect(test.app.files.write(ada, { path: join(test.config.dataDir, 'elsewhere.txt'), content: 'x' })).rejects.toMatchObject({
      code: 'PATH_OUTSIDE_ROOTS',
    });
  });
});
