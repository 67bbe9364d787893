// Git across machines on real repositories: a bare repository is the project's shared remote, the
// implementer works in its own clone (made as `lockstep-mcp join` makes it) and pushes lockstep/<name>;
// the server fetches what was pushed, reviews and lands exactly that, and pushes the target with a lease.

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../fixtures/app.js';
import { approveProjectConfig } from '../../fixtures/config-approval.js';
import { commitFiles, git, makeBareRemote, makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { refusal } from '../../fixtures/refusal.js';
import { cloneForImplementer } from '../../git/clone.js';
import { processGone, type Caller } from '../../src/domain/context.js';
import type { ProjectConfig } from '../../src/domain/project-config.js';

afterAll(removeTempDirs);

const opened: TestApp[] = [];
afterEach(() => {
  for (const t of opened.splice(0)) t.app.close();
});

/** Exits 0 when the checkout holds feature.txt, 3 otherwise. */
const VERIFY_SCRIPT = "const ok = require('fs').existsSync('feature.txt'); console.log(ok ? 'verify ok' : 'feature.txt missing'); process.exit(ok ? 0 : 3);\n";

/** The server's repository (main checked out) whose config names a bare shared remote, and an app over it. */
async function remoteProject(config: ProjectConfig = {}, approve = true) {
  const server = makeRepo({ 'README.md': '# r\n', 'verify.js': VERIFY_SCRIPT });
  const remote = makeBareRemote(server);
  commitFiles(server, { '.lockstep/config.json': JSON.stringify({ remote, ...config }) }, 'project config');
  git(server, ['push', '--quiet', remote, 'main']);
  const t = await makeTestApp({ repo: server });
  opened.push(t);
  if (approve) await approveProjectConfig(t.config.dataDir, server);
  // An HTTP session: its client may run on any machine, so it gets no path on this one.
  const ada: Caller = { ...t.caller('ada'), session: { id: 'session:ada', credential: { name: 'ada', role: 'implementer' } } };
  return { t, server, remote, planner: t.caller('plan', 'planner'), ada };
}

type Project = Awaited<ReturnType<typeof remoteProject>>;

/** A worktree task claimed by ada over HTTP, and ada's clone made from the claim result. */
async function claimedRemotely(p: Project) {
  const { id } = await p.t.app.tasks.create(p.planner, { title: 'Feature', complexity: 'complex', isolation: 'worktree' });
  const claimed = await p.t.app.tasks.claim(p.ada, id);
  const start = claimed.remoteWork!;
  const clone = await cloneForImplementer({ url: start.remote, dir: join(makeTempDir(), 'ada'), name: 'ada', base: start.base });
  return { id, claimed, clone: clone.dir };
}

const head = (dir: string, ref = 'HEAD') => git(dir, ['rev-parse', ref]);

/** Claimed remotely, a feature committed, pushed and submitted: the target's head is still `before`. */
async function submittedRemotely(p: Project) {
  const { id, clone } = await claimedRemotely(p);
  commitFiles(clone, { 'feature.txt': 'feature\n' });
  git(clone, ['push', '--quiet']);
  await p.t.app.review.submit(p.ada, id, 'done');
  return { id, clone, before: head(p.server, 'main') };
}

/** An implementer registered by a server on another host sharing this store. */
async function registerElsewhere(p: Project, id: string): Promise<void> {
  const now = p.t.clock.now();
  await p.t.app.context.store.write(p.server, (tx) =>
    tx.insert('agents', { id, role: 'implementer', type: 'codex', pid: 1, host: 'another-host', status: 'active', registeredAt: now, lastSeenAt: now, eventCursor: 0, noteCursor: 0 }),
  );
}

describe('a remote implementer in a project with a shared remote', () => {
  it('is told its branch and base commit at claim, not a path on the server, and gets no worktree here', async () => {
    const p = await remoteProject();
    const { claimed, clone } = await claimedRemotely(p);

    expect(claimed.worktree).toBeUndefined();
    expect(claimed.remoteWork).toMatchObject({ remote: p.remote, branch: 'lockstep/ada', base: head(p.server, 'main') });
    expect(claimed.remoteWork!.instruction).toContain('git push origin lockstep/ada');
    expect(git(p.server, ['worktree', 'list', '--porcelain']).match(/^worktree /gm)).toHaveLength(1);
    expect(git(clone, ['symbolic-ref', 'HEAD'])).toBe('refs/heads/lockstep/ada');
    expect(head(clone)).toBe(head(p.server, 'main'));
  });

  it('counts an agent registered by a server on another host as working elsewhere; one on this host keeps a worktree', async () => {
    const p = await remoteProject();
    await registerElsewhere(p, 'carol');
    const create = () => p.t.app.tasks.create(p.planner, { title: 'Feature', complexity: 'complex', isolation: 'worktree' });
    const [first, second] = [await create(), await create()];

    const elsewhere = await p.t.app.tasks.claim(p.t.caller('carol'), first.id);
    const here = await p.t.app.tasks.claim(p.t.caller('dave'), second.id);

    expect(elsewhere).toMatchObject({ remoteWork: { branch: 'lockstep/carol' } });
    expect(elsewhere.worktree).toBeUndefined();
    expect(here.worktree).toMatchObject({ branch: 'lockstep/dave' });
    expect(here.remoteWork).toBeUndefined();
  });

  it('publishes to the remote what a local implementer lands as well', async () => {
    const p = await remoteProject();
    const { id } = await p.t.app.tasks.create(p.planner, { title: 'Feature', complexity: 'complex', isolation: 'worktree' });
    const dave = p.t.caller('dave');
    const { worktree } = await p.t.app.tasks.claim(dave, id);
    const landed = commitFiles(worktree!.path, { 'feature.txt': 'f\n' });
    await p.t.app.review.submit(dave, id, 'done');

    await p.t.app.review.approve(p.planner, id);

    expect(head(p.remote, 'main')).toBe(landed);
  });

  it('is reviewed at the pushed commit even when its clone has later unpushed commits and dirty files, verified here', async () => {
    const p = await remoteProject({ verifyCommand: 'node verify.js' });
    const { id, clone } = await claimedRemotely(p);
    const pushed = commitFiles(clone, { 'feature.txt': 'feature\n' });
    git(clone, ['push', '--quiet']);
    git(clone, ['rm', '--quiet', 'feature.txt']);
    git(clone, ['commit', '--quiet', '-m', 'unpushed']);
    writeFileSync(join(clone, 'README.md'), 'dirty\n');

    const submission = await p.t.app.review.submit(p.ada, id, 'please check');

    expect(submission.review).toMatchObject({ reviewedRev: pushed, verify: { exitCode: 0 } });
    const stored = await p.t.app.context.store.read(p.server, (tx) => tx.one('tasks', { id }));
    expect(stored?.reviewedRev).toBe(pushed);
  });

  it('lands the reviewed commit on approval and pushes the target to the remote', async () => {
    const p = await remoteProject();
    const { id, clone } = await claimedRemotely(p);
    const pushed = commitFiles(clone, { 'feature.txt': 'feature\n' });
    git(clone, ['push', '--quiet']);
    await p.t.app.review.submit(p.ada, id, 'done');

    const approval = await p.t.app.review.approve(p.planner, id);

    expect(approval).toMatchObject({ status: 'done', landing: { landed: true, target: 'main', commit: pushed } });
    expect(head(p.server, 'main')).toBe(pushed);
    expect(head(p.remote, 'main')).toBe(pushed);
  });

  it('tells an implementer working elsewhere that the target moved, with the conflicts its pushed branch now has', async () => {
    const p = await remoteProject();
    await registerElsewhere(p, 'bob');
    const { id, clone } = await claimedRemotely(p);
    commitFiles(clone, { 'README.md': '# ada\n' });
    git(clone, ['push', '--quiet']);
    const bob = await cloneForImplementer({ url: p.remote, dir: join(makeTempDir(), 'bob'), name: 'bob' });
    commitFiles(bob.dir, { 'README.md': '# bob\n' });
    git(bob.dir, ['push', '--quiet']);
    await p.t.app.worktrees.status(p.planner, 'bob');
    await p.t.app.review.submit(p.ada, id, 'done');

    await p.t.app.review.approve(p.planner, id);

    const events = await p.t.app.context.store.read(p.server, (tx) => tx.find('events', { where: { kind: 'target_moved' } }));
    expect(events.map((e) => [e.target, e.data])).toEqual([['bob', { target: 'main', commit: head(p.server, 'main'), conflicts: ['README.md'] }]]);
  });

  it('refuses to land when someone pushed to the target after review: nothing overwritten, nothing half-merged', async () => {
    const p = await remoteProject();
    const { id, before } = await submittedRemotely(p);
    const human = join(makeTempDir(), 'human');
    git(makeTempDir(), ['clone', '--quiet', p.remote, human]);
    const concurrent = commitFiles(human, { 'other.txt': 'theirs\n' });
    git(human, ['push', '--quiet', 'origin', 'main']);

    const error = await refusal(p.t.app.review.approve(p.planner, id));

    expect(error).toMatchObject({ code: 'REMOTE_TARGET_MOVED', details: { remoteHead: concurrent } });
    expect(error.next).toContain('git pull --ff-only');
    expect(head(p.remote, 'main')).toBe(concurrent);
    expect(head(p.server, 'main')).toBe(before);
    expect(git(p.server, ['status', '--porcelain'])).toBe('');
    const stored = await p.t.app.context.store.read(p.server, (tx) => tx.one('tasks', { id }));
    expect(stored?.status).toBe('review');
  });

  it('refuses to land a commit other than the reviewed one when the implementer pushed again', async () => {
    const p = await remoteProject();
    const { id, clone, before } = await submittedRemotely(p);
    commitFiles(clone, { 'feature.txt': 'changed after review\n' });
    git(clone, ['push', '--quiet']);

    expect(await refusal(p.t.app.review.approve(p.planner, id))).toMatchObject({ code: 'REVIEW_STALE' });
    expect(head(p.server, 'main')).toBe(before);
    expect(head(p.remote, 'main')).toBe(before);
  });

  it('shows status, diff and forecast from what was pushed, not from the clone', async () => {
    const p = await remoteProject();
    const { clone } = await claimedRemotely(p);
    const pushed = commitFiles(clone, { 'README.md': '# ada\n', 'feature.txt': 'feature\n' });
    git(clone, ['push', '--quiet']);
    commitFiles(clone, { 'unpushed.txt': 'later\n' });
    const bob = await cloneForImplementer({ url: p.remote, dir: join(makeTempDir(), 'bob'), name: 'bob' });
    commitFiles(bob.dir, { 'README.md': '# bob\n' });
    git(bob.dir, ['push', '--quiet']);
    await p.t.app.worktrees.status(p.planner, 'bob');

    const status = await p.t.app.worktrees.status(p.planner, 'ada');
    const diff = await p.t.app.worktrees.diff(p.planner, { name: 'ada' });

    expect(status).toMatchObject({ pushed: true, head: pushed, ahead: 1, behind: 0, uncommitted: [], mergeable: { clean: true } });
    expect(status.path).toBeUndefined();
    expect(status.conflictsWith).toEqual([{ implementer: 'bob', files: ['README.md'] }]);
    expect(diff.head).toBe(pushed);
    expect(diff.diff).toContain('feature.txt');
    expect(diff.diff).not.toContain('unpushed.txt');
    expect(await p.t.app.worktrees.list(p.planner)).toEqual([
      { implementer: 'ada', branch: 'lockstep/ada', head: pushed, pushed: true, task: expect.any(Number), agentAlive: false },
      { implementer: 'bob', branch: 'lockstep/bob', head: head(bob.dir), pushed: true, agentAlive: false },
    ]);
    await registerElsewhere(p, 'ada');
    const listed = await p.t.app.implementers.list(p.planner);
    expect(listed.find((i) => i.name === 'ada')?.lastCommitAt).toBe(Date.parse('2026-01-01T00:00:00Z'));
  });

  it('lets the planner merge a pushed branch outside review (worktree_merge), publishing the target', async () => {
    const p = await remoteProject();
    const { clone } = await claimedRemotely(p);
    const pushed = commitFiles(clone, { 'feature.txt': 'feature\n' });
    git(clone, ['push', '--quiet']);

    expect(await p.t.app.worktrees.merge(p.planner, { name: 'ada' })).toMatchObject({ status: 'landed', commit: pushed });
    expect(head(p.remote, 'main')).toBe(pushed);
  });

  it('refuses a submission before anything was pushed, saying to push', async () => {
    const p = await remoteProject();
    const { id } = await claimedRemotely(p);

    const error = await refusal(p.t.app.review.submit(p.ada, id, 'done'));

    expect(error).toMatchObject({ code: 'BRANCH_NOT_FOUND' });
    expect(error.next).toContain('git push origin lockstep/ada');
  });

  it('acts on no remote that a human has not approved', async () => {
    const p = await remoteProject({}, false);
    const { id } = await p.t.app.tasks.create(p.planner, { title: 'Feature', complexity: 'complex', isolation: 'worktree' });

    const claimed = await p.t.app.tasks.claim(p.ada, id);

    expect(claimed.worktreeError).toMatchObject({ code: 'CONFIG_UNAPPROVED' });
    expect(await refusal(p.t.app.review.submit(p.ada, id, 'done'))).toMatchObject({ code: 'CONFIG_UNAPPROVED', details: { setting: 'remote' } });
    expect(git(p.server, ['for-each-ref', 'refs/lockstep-remote/'])).toBe('');
  });
});

describe('liveness of agents on other hosts', () => {
  it('never judges another host\'s agent by a pid check here: a pid dead on this host stays alive there', async () => {
    const t = await makeTestApp({ repo: makeRepo() });
    opened.push(t);
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const { context } = t.app;
    const now = t.clock.now();
    for (const [id, host] of [['here', context.host], ['there', 'another-host']] as const) {
      await context.store.write(t.repo, (tx) =>
        tx.insert('agents', { id, role: 'implementer', type: 'claude', pid: dead, host, status: 'active', registeredAt: now, lastSeenAt: now, eventCursor: 0, noteCursor: 0 }),
      );
    }

    expect(processGone(context, context.host, dead)).toBe(true);
    expect(processGone(context, 'another-host', dead)).toBe(false);
    const listed = await t.app.implementers.list(t.caller('plan', 'planner'));
    expect(Object.fromEntries(listed.map((i) => [i.name, i.liveness]))).toEqual({ here: 'dead', there: 'working' });
  });
});
