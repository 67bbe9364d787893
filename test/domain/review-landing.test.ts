// Review of worktree tasks on real `master` repositories: submissions pin a committed head (and verify it),
// approvals land exactly that commit or send the task back with the conflicting files or the gate log.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../fixtures/app.js';
import { approveProjectConfig } from '../../fixtures/config-approval.js';
import { everyBackend } from '../../fixtures/backends.js';
import { git, makeRepo, removeTempDirs, writeTree, type FileTree } from '../../fixtures/git.js';
import { connectInMemory } from '../../fixtures/mcp.js';
import { countingGitProcesses } from '../git/git-process-counter.js';
import { refusal } from '../../fixtures/refusal.js';
import type { Caller } from '../../src/domain/context.js';
import type { ProjectConfig } from '../../src/domain/project-config.js';
import type { StorageBackend } from '../../src/store/store.js';

afterAll(removeTempDirs);

/** Exits 0 when the worktree holds feature.txt, 3 otherwise; the log says which. */
const VERIFY_SCRIPT = "const ok = require('fs').existsSync('feature.txt'); console.log(ok ? 'verify ok' : 'verify: feature.txt missing'); process.exit(ok ? 0 : 3);\n";
const FAILING_GATE = "console.error('gate says no'); process.exit(1);\n";

interface Harness {
  t: TestApp;
  planner: Caller;
  ada: Caller;
  bob: Caller;
}

const opened: TestApp[] = [];
afterEach(() => {
  for (const t of opened.splice(0)) t.app.close();
});

/** A `master` repository with no remote, its project config committed, and an app over it. */
async function harness(storage: StorageBackend, config: ProjectConfig = {}, files: FileTree = {}): Promise<Harness> {
  const repo = makeRepo(
    { 'README.md': '# r\n', 'shared.txt': 'base\n', 'verify.js': VERIFY_SCRIPT, 'gate.js': FAILING_GATE, ...files },
    { defaultBranch: 'master' },
  );
  writeTree(repo, { '.lockstep/config.json': JSON.stringify(config) });
  commitAll(repo, 'project config');
  const t = await makeTestApp({ storage, repo });
  opened.push(t);
  await approveProjectConfig(t.config.dataDir, repo);
  return { t, planner: t.caller('plan', 'planner'), ada: t.caller('ada'), bob: t.caller('bob') };
}

function commitAll(dir: string, message: string): string {
  git(dir, ['add', '-A']);
  git(dir, ['commit', '--quiet', '-m', message]);
  return git(dir, ['rev-parse', 'HEAD']);
}

const masterHead = (h: Harness) => git(h.t.repo, ['rev-parse', 'refs/heads/master']);
const stored = (h: Harness, id: number) => h.t.app.context.store.read(h.t.repo, function* (tx) {
  return (yield* tx.one('tasks', { id }))!;
});

/** A worktree task claimed by `owner`, with its worktree path. */
async function claimedWorktreeTask(h: Harness, owner: Caller, title = 'Feature'): Promise<{ id: number; path: string }> {
  const { id } = await h.t.app.tasks.create(h.planner, { title, complexity: 'complex', isolation: 'worktree' });
  await h.t.app.tasks.claim(owner, id);
  const worktree = await h.t.app.worktrees.locate(owner, owner.agent!.name);
  return { id, path: worktree!.path };
}

/** Commits `files` in the worktree and submits; returns the committed head. */
async function commitAndSubmit(h: Harness, owner: Caller, task: { id: number; path: string }, files: FileTree): Promise<string> {
  writeTree(task.path, files);
  const head = commitAll(task.path, `work on ${task.id}`);
  await h.t.app.review.submit(owner, task.id, 'please check');
  return head;
}

describe.each(await everyBackend())('reviewing worktree tasks on %s', (storage) => {
  it('refuses a submission while the worktree has uncommitted or untracked files, naming them', async () => {
    const h = await harness(storage);
    const task = await claimedWorktreeTask(h, h.ada);
    writeTree(task.path, { 'shared.txt': 'edited\n', 'new.txt': 'new\n' });
    const error = await refusal(h.t.app.review.submit(h.ada, task.id, 'done'));
    expect(error).toMatchObject({ code: 'WORKTREE_DIRTY', details: { path: task.path } });
    expect((error.details!.paths as string[]).sort()).toEqual(['new.txt', 'shared.txt']);
    expect((await stored(h, task.id)).status).toBe('in_progress');
    expect(git(task.path, ['status', '--porcelain'])).not.toBe('');
  });

  it('refuses a submission with no commit beyond the target (NOTHING_TO_REVIEW), and accepts it once committed', async () => {
    const h = await harness(storage);
    const task = await claimedWorktreeTask(h, h.ada);
    const error = await refusal(h.t.app.review.submit(h.ada, task.id, 'done'));
    expect(error).toMatchObject({ code: 'NOTHING_TO_REVIEW', details: { id: task.id, branch: 'lockstep/ada', target: 'master' } });
    expect(error.next).toContain('git commit');
    expect((await stored(h, task.id)).status).toBe('in_progress');
    writeTree(task.path, { 'feature.txt': 'f\n' });
    commitAll(task.path, 'feature');
    await h.t.app.review.submit(h.ada, task.id, 'done');
    expect((await stored(h, task.id)).status).toBe('review');
  });

  it('records the committed branch head as the reviewed commit and shows it in task_get', async () => {
    const h = await harness(storage);
    const task = await claimedWorktreeTask(h, h.ada);
    writeTree(task.path, { 'feature.txt': 'f\n' });
    const head = commitAll(task.path, 'feature');
    const submitted = await h.t.app.review.submit(h.ada, task.id, 'adds feature.txt');
    expect(submitted).toMatchObject({ status: 'review', review: { reviewedRev: head } });
    expect(submitted.review?.verify).toBeUndefined();
    expect(await h.t.app.tasks.get(h.planner, task.id)).toMatchObject({ reviewedRev: head });
  });

  it('runs the verify command in the worktree and attaches its exit code, duration and log tail', async () => {
    const h = await harness(storage, { verifyCommand: 'node verify.js' });
    const first = await claimedWorktreeTask(h, h.ada);
    writeTree(first.path, { 'other.txt': 'o\n' });
    commitAll(first.path, 'no feature yet');
    const failing = await h.t.app.review.submit(h.ada, first.id, 'try');
    expect(failing.review?.verify).toMatchObject({ exitCode: 3, logTail: expect.stringContaining('feature.txt missing') });

    await h.t.app.review.requestChanges(h.planner, first.id, 'verify fails');
    await h.t.app.tasks.update(h.ada, first.id, { status: 'in_progress' });
    writeTree(first.path, { 'feature.txt': 'f\n' });
    commitAll(first.path, 'feature');
    const passing = await h.t.app.review.submit(h.ada, first.id, 'fixed');
    expect(passing.review?.verify).toMatchObject({ exitCode: 0, logTail: expect.stringContaining('verify ok') });
    expect(passing.review!.verify!.durationMs).toBeGreaterThanOrEqual(0);
    expect(await h.t.app.tasks.get(h.planner, first.id)).toMatchObject({ verify: { exitCode: 0 } });
  });

  it('lands exactly the reviewed commit on approval, keeps the human\'s uncommitted edit and tells the owner', async () => {
    const h = await harness(storage);
    const task = await claimedWorktreeTask(h, h.ada);
    const reviewed = await commitAndSubmit(h, h.ada, task, { 'feature.txt': 'f\n' });
    writeFileSync(join(h.t.repo, 'README.md'), '# human edit\n');

    const approval = await h.t.app.review.approve(h.planner, task.id, 'nice');
    expect(approval).toMatchObject({ status: 'done', landing: { landed: true, target: 'master', commit: reviewed } });
    expect(masterHead(h)).toBe(reviewed);
    expect(readFileSync(join(h.t.repo, 'README.md'), 'utf8')).toBe('# human edit\n');
    expect(readFileSync(join(h.t.repo, 'feature.txt'), 'utf8')).toBe('f\n');
    expect(await stored(h, task.id)).toMatchObject({ status: 'done', landedRev: reviewed, feedback: 'nice' });
    expect(await h.t.app.tasks.get(h.planner, task.id)).toMatchObject({ reviewedRev: reviewed, landedRev: reviewed });
    const events = await h.t.app.context.store.read(h.t.repo, (tx) => tx.find('events', { where: { kind: 'task_approved' } }));
    expect(events).toMatchObject([{ actor: 'plan', target: 'ada', data: { feedback: 'nice', landedRev: reviewed } }]);
  });

  it('refuses to approve when the branch moved after submission, and lands nothing', async () => {
    const h = await harness(storage);
    const task = await claimedWorktreeTask(h, h.ada);
    const reviewed = await commitAndSubmit(h, h.ada, task, { 'feature.txt': 'f\n' });
    writeTree(task.path, { 'feature.txt': 'changed after review\n' });
    const moved = commitAll(task.path, 'sneaky');
    const before = masterHead(h);

    const error = await refusal(h.t.app.review.approve(h.planner, task.id));
    expect(error).toMatchObject({ code: 'REVIEW_STALE', details: { reviewedRev: reviewed, head: moved } });
    expect(masterHead(h)).toBe(before);
    expect((await stored(h, task.id)).status).toBe('review');
  });

  it('sends a conflicting task back with the conflicting files and leaves target and branch untouched', async () => {
    const h = await harness(storage);
    await h.t.app.agents.register(h.t.caller(), { role: 'implementer', name: 'ada' });
    const task = await claimedWorktreeTask(h, h.ada);
    const reviewed = await commitAndSubmit(h, h.ada, task, { 'shared.txt': 'ada\n' });
    writeTree(h.t.repo, { 'shared.txt': 'human\n' });
    const target = commitAll(h.t.repo, 'human changes shared.txt');

    const approval = await h.t.app.review.approve(h.planner, task.id);
    expect(approval).toMatchObject({ status: 'changes_requested', landing: { landed: false, reason: 'conflict', conflicts: ['shared.txt'] } });
    expect(masterHead(h)).toBe(target);
    expect(git(h.t.repo, ['rev-parse', 'refs/heads/lockstep/ada'])).toBe(reviewed);
    expect((await stored(h, task.id)).feedback).toContain('shared.txt');
    const pending = await h.t.app.agents.touch(h.ada);
    expect(pending).toMatchObject({ reviews: [{ task: task.id, verdict: 'changes_requested', feedback: expect.stringContaining('shared.txt') }] });
  });

  it('sends the task back with the gate log when the gate fails on the merge, landing nothing', async () => {
    const h = await harness(storage, { gateCommand: 'node gate.js' });
    const task = await claimedWorktreeTask(h, h.ada);
    await commitAndSubmit(h, h.ada, task, { 'feature.txt': 'f\n' });
    const before = masterHead(h);

    const approval = await h.t.app.review.approve(h.planner, task.id);
    expect(approval).toMatchObject({ status: 'changes_requested', landing: { landed: false, reason: 'gate_failed', gateLog: expect.stringContaining('gate says no') } });
    expect(masterHead(h)).toBe(before);
    expect((await stored(h, task.id)).feedback).toContain('gate says no');
  });

  it('refuses while the human checkout would be overwritten, keeps the task in review, and lands once it is clean', async () => {
    const h = await harness(storage);
    const task = await claimedWorktreeTask(h, h.ada);
    const reviewed = await commitAndSubmit(h, h.ada, task, { 'shared.txt': 'ada\n' });
    writeTree(h.t.repo, { 'shared.txt': 'human, uncommitted\n' });
    const before = masterHead(h);

    const error = await refusal(h.t.app.review.approve(h.planner, task.id));
    expect(error).toMatchObject({ code: 'TARGET_CHECKOUT_BLOCKED', details: { checkout: h.t.repo } });
    expect(masterHead(h)).toBe(before);
    expect(readFileSync(join(h.t.repo, 'shared.txt'), 'utf8')).toBe('human, uncommitted\n');
    expect((await stored(h, task.id)).status).toBe('review');

    git(h.t.repo, ['checkout', '--', 'shared.txt']);
    expect(await h.t.app.review.approve(h.planner, task.id)).toMatchObject({ status: 'done', landing: { landed: true } });
    expect(masterHead(h)).toBe(reviewed);
  });

  it('treats a reviewed commit that is already in the target as landed', async () => {
    const h = await harness(storage);
    const task = await claimedWorktreeTask(h, h.ada);
    const reviewed = await commitAndSubmit(h, h.ada, task, { 'feature.txt': 'f\n' });
    // As if an earlier approval landed it and its process died before recording.
    await h.t.app.worktrees.land(h.planner, { name: 'ada', source: reviewed, message: 'land' });

    const approval = await h.t.app.review.approve(h.planner, task.id);
    expect(approval).toMatchObject({ status: 'done', landing: { landed: true, alreadyLanded: true, commit: reviewed } });
    expect(await stored(h, task.id)).toMatchObject({ landedRev: reviewed });
  });

  it('lets exactly one of two racing approvals record, landing the work once', async () => {
    const h = await harness(storage);
    const second = await makeTestApp({ storage, repo: h.t.repo, dbPath: h.t.config.dbPath });
    opened.push(second);
    const task = await claimedWorktreeTask(h, h.ada);
    await commitAndSubmit(h, h.ada, task, { 'feature.txt': 'f\n' });
    writeTree(h.t.repo, { 'human.txt': 'h\n' });
    commitAll(h.t.repo, 'diverge so the landing needs a merge commit');

    const results = await Promise.allSettled([
      h.t.app.review.approve(h.planner, task.id),
      second.app.review.approve(second.caller('plan2', 'planner'), task.id),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(loser.reason).toMatchObject({ code: 'TASK_INVALID_TRANSITION' });
    expect(git(h.t.repo, ['rev-list', '--merges', '--count', 'master'])).toBe('1');
    expect((await stored(h, task.id)).status).toBe('done');
  });

  it('approves a batch task by task: landed ones are approved, conflicting ones go back', async () => {
    const h = await harness(storage);
    const good = await claimedWorktreeTask(h, h.ada, 'good');
    await commitAndSubmit(h, h.ada, good, { 'feature.txt': 'f\n' });
    const bad = await claimedWorktreeTask(h, h.bob, 'bad');
    await commitAndSubmit(h, h.bob, bad, { 'shared.txt': 'bob\n' });
    writeTree(h.t.repo, { 'shared.txt': 'human\n' });
    commitAll(h.t.repo, 'human changes shared.txt');

    const result = await h.t.app.review.approveBatch(h.planner, [good.id, bad.id, 99]);
    expect(result).toMatchObject({ approved: [good.id], notLanded: [{ id: bad.id, reason: 'conflict' }], failed: [{ id: 99, code: 'NOT_FOUND' }] });
    expect((await stored(h, bad.id)).status).toBe('changes_requested');
  });
});

describe('the landing path on a configured target branch', () => {
  it('starts the worktree from the configured targetBranch and lands the approval there, not on the checked-out branch', async () => {
    const h = await harness('sqlite');
    git(h.t.repo, ['branch', 'develop']);
    writeTree(h.t.repo, { 'develop-only.txt': 'd\n' });
    git(h.t.repo, ['switch', '-q', 'develop']);
    commitAll(h.t.repo, 'develop moves on');
    git(h.t.repo, ['switch', '-q', 'master']);
    writeTree(h.t.repo, { '.lockstep/config.json': JSON.stringify({ targetBranch: 'develop' }) });
    commitAll(h.t.repo, 'configure develop');
    await approveProjectConfig(h.t.config.dataDir, h.t.repo);
    const develop = git(h.t.repo, ['rev-parse', 'develop']);
    const master = masterHead(h);

    const task = await claimedWorktreeTask(h, h.ada);
    expect(git(task.path, ['rev-parse', 'HEAD~0'])).toBe(develop);
    const reviewed = await commitAndSubmit(h, h.ada, task, { 'feature.txt': 'f\n' });
    const approval = await h.t.app.review.approve(h.planner, task.id, 'ok');

    expect(approval).toMatchObject({ landing: { landed: true, target: 'develop', commit: reviewed } });
    expect(git(h.t.repo, ['rev-parse', 'develop'])).toBe(reviewed);
    expect(masterHead(h)).toBe(master);
  });

  it('lists the worktrees and resolves the target once per approval', async () => {
    const h = await harness('sqlite');
    const task = await claimedWorktreeTask(h, h.ada);
    await claimedWorktreeTask(h, h.bob, 'Other');
    await commitAndSubmit(h, h.ada, task, { 'feature.txt': 'f\n' });

    const { result, commands } = await countingGitProcesses(() => h.t.app.review.approve(h.planner, task.id, 'ok'));

    expect(result).toMatchObject({ landing: { landed: true } });
    expect(commands.filter((command) => / worktree list/.test(` ${command}`))).toHaveLength(1);
  });
});

describe('worktree review through MCP', () => {
  it('reports the reviewed commit on submit and whether it landed on approve', async () => {
    const h = await harness('sqlite', { verifyCommand: 'node verify.js' });
    const planner = await connectInMemory(h.t);
    const ada = await connectInMemory(h.t);
    await planner.call('coordination_init', { role: 'planner', name: 'plan' });
    await ada.call('coordination_init', { role: 'implementer', name: 'ada' });
    const { task } = await planner.call('task_create', { title: 'Feature', complexity: 'complex', isolation: 'worktree' });
    const claimed = await ada.call('task_claim', { id: task.id });
    const path = claimed.task.worktree.path as string;

    writeTree(path, { 'feature.txt': 'f\n' });
    expect(await ada.callError('task_submit_for_review', { id: task.id, reviewNotes: 'x' })).toMatch(/^WORKTREE_DIRTY.*feature\.txt/);
    const head = commitAll(path, 'feature');
    const submitted = await ada.call('task_submit_for_review', { id: task.id, reviewNotes: 'adds feature' });
    expect(submitted).toMatchObject({ task: { status: 'review' }, reviewedRev: head, verify: { exitCode: 0 } });
    expect((await planner.call('task_get', { id: task.id })).task).toMatchObject({ reviewedRev: head, verify: { exitCode: 0 } });

    const approved = await planner.call('task_approve', { id: task.id });
    expect(approved).toMatchObject({ task: { status: 'done' }, landed: true, target: 'master', commit: head });
    await Promise.all([planner.close(), ada.close()]);
  });
});
