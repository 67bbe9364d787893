// A branch that lands `.lockstep/config.json` must not make the server run the commands it chose, nor
// move where code lands: guarded settings wait for a human's approval of their exact value.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../fixtures/app.js';
import { approveProjectConfig } from '../../fixtures/config-approval.js';
import { git, makeRepo, makeTempDir, removeTempDirs, writeTree } from '../../fixtures/git.js';
import { refusal } from '../../fixtures/refusal.js';
import { approveSettings, configApprovalStates, revokeSettings } from '../../src/domain/config-approval.js';
import type { Caller } from '../../src/domain/context.js';

afterAll(removeTempDirs);

/** Writes the file named by its argument: proof that a configured command ran. */
const MARK = "require('fs').writeFileSync(process.argv[2], 'ran\\n');\n";

const opened: TestApp[] = [];
afterEach(() => {
  for (const t of opened.splice(0)) t.app.close();
});

async function setup(): Promise<{ t: TestApp; planner: Caller; ada: Caller; markers: string }> {
  const repo = makeRepo({ 'README.md': '# r\n', 'mark.js': MARK }, { defaultBranch: 'master' });
  const t = await makeTestApp({ repo });
  opened.push(t);
  return { t, planner: t.caller('plan', 'planner'), ada: t.caller('ada'), markers: makeTempDir('lockstep-markers-') };
}

/** A worktree task claimed by `owner` with `files` committed in its worktree and submitted. */
async function submitted(t: TestApp, planner: Caller, owner: Caller, files: Record<string, string>): Promise<number> {
  const { id } = await t.app.tasks.create(planner, { title: 'work', complexity: 'complex', isolation: 'worktree' });
  await t.app.tasks.claim(owner, id);
  const { path } = (await t.app.worktrees.locate(owner, owner.agent!.name))!;
  writeTree(path, files);
  git(path, ['add', '-A']);
  git(path, ['commit', '--quiet', '-m', `task ${id}`]);
  await t.app.review.submit(owner, id, 'done');
  return id;
}

describe('project configuration that arrives from a branch', () => {
  it('is called out when it lands, and its commands run only after a human approves their exact values', async () => {
    const { t, planner, ada, markers } = await setup();
    const verifyMark = join(markers, 'verify');
    const gateMark = join(markers, 'gate');
    const config = { verifyCommand: `node mark.js ${verifyMark}`, gateCommand: `node mark.js ${gateMark}` };
    const attack = await submitted(t, planner, ada, { '.lockstep/config.json': JSON.stringify(config) });

    expect(await t.app.worktrees.status(planner, 'ada')).toMatchObject({ touchesProjectConfig: ['.lockstep/config.json'] });
    expect(await t.app.worktrees.diff(planner, { name: 'ada', path: 'README.md' })).toMatchObject({ touchesProjectConfig: ['.lockstep/config.json'] });
    const landing = await t.app.review.approve(planner, attack);
    expect(landing).toMatchObject({ status: 'done', landing: { landed: true, touchesProjectConfig: ['.lockstep/config.json'] } });

    const { id: next } = await t.app.tasks.create(planner, { title: 'next', complexity: 'complex', isolation: 'worktree' });
    await t.app.tasks.claim(ada, next);
    const { path } = (await t.app.worktrees.locate(ada, 'ada'))!;
    git(path, ['merge', '--quiet', 'master']);
    writeTree(path, { 'b.txt': 'b\n' });
    git(path, ['add', '-A']);
    git(path, ['commit', '--quiet', '-m', 'b']);
    const error = await refusal(t.app.review.submit(ada, next, 'done'));
    expect(error).toMatchObject({ code: 'CONFIG_UNAPPROVED', details: { setting: 'verifyCommand', value: config.verifyCommand } });
    expect(error.message).toContain(config.verifyCommand);
    expect(error.next).toContain(`lockstep-mcp config approve --project ${t.repo} --data-dir ${t.config.dataDir}`);
    expect(existsSync(verifyMark)).toBe(false);

    await approveProjectConfig(t.config.dataDir, t.repo);
    expect(await t.app.review.submit(ada, next, 'done')).toMatchObject({ status: 'review', review: { verify: { exitCode: 0 } } });
    expect(existsSync(verifyMark)).toBe(true);
    expect(await t.app.review.approve(planner, next)).toMatchObject({ landing: { landed: true } });
    expect(existsSync(gateMark)).toBe(true);
  });

  it('needs a new approval once a value changes, and refuses the landing that would run it', async () => {
    const { t, planner, ada, markers } = await setup();
    writeTree(t.repo, { '.lockstep/config.json': JSON.stringify({ gateCommand: `node mark.js ${join(markers, 'first')}` }) });
    await approveProjectConfig(t.config.dataDir, t.repo);
    const changed = `node mark.js ${join(markers, 'second')}`;
    writeTree(t.repo, { '.lockstep/config.json': JSON.stringify({ gateCommand: changed }) });
    const id = await submitted(t, planner, ada, { 'a.txt': 'a\n' });
    const before = git(t.repo, ['rev-parse', 'master']);

    expect(await refusal(t.app.review.approve(planner, id))).toMatchObject({ code: 'CONFIG_UNAPPROVED', details: { setting: 'gateCommand', value: changed } });
    expect(existsSync(join(markers, 'second'))).toBe(false);
    expect(git(t.repo, ['rev-parse', 'master'])).toBe(before);
    expect((await t.app.tasks.get(planner, id)).status).toBe('review');
  });

  it('refuses the calls that use an unapproved targetBranch, and lands there once approved', async () => {
    const { t, planner } = await setup();
    git(t.repo, ['branch', 'release']);
    const before = git(t.repo, ['rev-parse', 'master']);
    const { path } = await t.app.worktrees.ensure(planner, 'ada');
    writeTree(t.repo, { '.lockstep/config.json': JSON.stringify({ targetBranch: 'release' }) });
    expect(await refusal(t.app.worktrees.ensure(planner, 'bob'))).toMatchObject({ code: 'CONFIG_UNAPPROVED', details: { setting: 'targetBranch' } });
    writeTree(path, { 'a.txt': 'a\n' });
    git(path, ['add', '-A']);
    git(path, ['commit', '--quiet', '-m', 'a']);

    expect(await refusal(t.app.worktrees.status(planner, 'ada'))).toMatchObject({ code: 'CONFIG_UNAPPROVED', details: { setting: 'targetBranch' } });
    expect(await refusal(t.app.worktrees.merge(planner, { name: 'ada' }))).toMatchObject({ code: 'CONFIG_UNAPPROVED' });
    expect(await refusal(t.app.worktrees.merge(planner, { name: 'ada', targetBranch: 'master' }))).toMatchObject({ code: 'CONFIG_UNAPPROVED' });
    expect(git(t.repo, ['rev-parse', 'master'])).toBe(before);
    await approveProjectConfig(t.config.dataDir, t.repo);
    expect(await t.app.worktrees.merge(planner, { name: 'ada' })).toMatchObject({ status: 'landed', target: 'release' });
  });

  it('keeps approvals per project and per setting, and revoking withdraws them', async () => {
    const dataDir = makeTempDir('lockstep-data-');
    const one = makeRepo();
    const other = makeRepo();
    for (const repo of [one, other]) writeTree(repo, { '.lockstep/config.json': JSON.stringify({ verifyCommand: 'npm test', gateCommand: 'npm test' }) });
    const project = { id: one, root: one };
    const [verify] = await configApprovalStates(dataDir, project);
    await approveSettings(dataDir, project, [verify!]);

    expect(await configApprovalStates(dataDir, project)).toEqual([
      { setting: 'verifyCommand', value: 'npm test', approved: true },
      { setting: 'gateCommand', value: 'npm test', approved: false },
    ]);
    expect((await configApprovalStates(dataDir, { id: other, root: other })).every((state) => !state.approved)).toBe(true);
    expect(await revokeSettings(dataDir, project)).toEqual(['verifyCommand']);
    expect((await configApprovalStates(dataDir, project)).every((state) => !state.approved)).toBe(true);
  });
});
