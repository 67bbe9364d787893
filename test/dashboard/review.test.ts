// A human reviewing from the dashboard on a real repository: approving lands the reviewed commit in
// git, every action is recorded under the human's name, and line comments reach the implementer's MCP
// session through pending and review_comments, marked outdated once the code under them moves.

import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { HUMAN, makeTestDashboard, type TestDashboard } from '../../fixtures/dashboard.js';
import { git, makeRepo, removeTempDirs, writeTree } from '../../fixtures/git.js';
import { connectInMemory, type ToolClient } from '../../fixtures/mcp.js';

afterAll(removeTempDirs);

const open: { d: TestDashboard; agents: ToolClient[] }[] = [];
afterEach(async () => {
  for (const { d, agents } of open.splice(0)) {
    for (const agent of agents) await agent.close();
    await d.close();
  }
});

function commitAll(dir: string, message: string): string {
  git(dir, ['add', '-A']);
  git(dir, ['commit', '--quiet', '-m', message]);
  return git(dir, ['rev-parse', 'HEAD']);
}

/** A dashboard over a repo where implementer "ada" (a real in-process MCP session) submitted a worktree task. */
async function submittedTask(storage: 'sqlite' | 'json') {
  const repo = makeRepo({ 'README.md': '# r\n', 'app.js': 'one\ntwo\nthree\n' }, { defaultBranch: 'main' });
  const d = await makeTestDashboard({ repo, storage });
  const ada = await connectInMemory(d.t);
  open.push({ d, agents: [ada] });
  await ada.call('coordination_init', { role: 'implementer', name: 'ada' });
  const task = await d.t.app.tasks.create(d.t.caller('plan', 'planner'), { title: 'Feature <b>x</b>', complexity: 'complex', isolation: 'worktree' });
  await ada.call('task_claim', { id: task.id });
  const worktree = (await d.t.app.worktrees.locate(d.t.caller('ada'), 'ada'))!;
  writeTree(worktree.path, { 'app.js': 'one\nTWO\nthree\n' });
  const head = commitAll(worktree.path, 'feature');
  await ada.call('task_submit_for_review', { id: task.id, reviewNotes: 'check' });
  return { d, ada, id: task.id as number, head, worktree: worktree.path, repo };
}

describe.each(['sqlite', 'json'] as const)('reviewing in the dashboard (%s)', (storage) => {
  it('approve lands the reviewed commit in git, returns the landing and tells the owner under the human name', async () => {
    const { d, ada, id, head, repo } = await submittedTask(storage);
    const answer = await d.post(`/api/tasks/${id}/approve`, {});
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ id, status: 'done', landing: { landed: true } });
    expect(git(repo, ['merge-base', '--is-ancestor', head, 'main'])).toBe('');
    expect(git(repo, ['show', 'main:app.js'])).toBe('one\nTWO\nthree');
    const detail = await d.get(`/api/tasks/${id}`);
    expect(detail.json.task).toMatchObject({ status: 'done', landedRev: answer.json.landing.commit });
    expect(detail.json.events.at(-1)).toMatchObject({ kind: 'task_approved', actor: HUMAN });
    const { pending } = await ada.call('task_get', { id });
    expect(pending.reviews).toEqual([{ task: id, verdict: 'approved' }]);
  });

  it('request changes sends the comment to the owner', async () => {
    const { d, ada, id } = await submittedTask(storage);
    expect(await d.post(`/api/tasks/${id}/request-changes`, { feedback: 'rename it' })).toMatchObject({ status: 200, json: { status: 'changes_requested' } });
    const { pending } = await ada.call('task_get', { id });
    expect(pending.reviews).toEqual([{ task: id, verdict: 'changes_requested', feedback: 'rename it' }]);
  });

  it("a line comment reaches the implementer's pending and review_comments; a reply and resolve reach the human", async () => {
    const { d, ada, id, head } = await submittedTask(storage);
    const added = await d.post(`/api/tasks/${id}/comments`, { file: 'app.js', side: 'new', line: 2, quote: 'TWO', body: 'why upper case?' });
    expect(added).toMatchObject({ status: 200, json: { id: expect.any(Number) } });
    const { pending } = await ada.call('task_get', { id });
    expect(pending.comments).toEqual([id]);
    expect(pending.hint).toContain('review_comments');
    const listed = await ada.call('review_comments', { task: id });
    expect(listed.threads).toEqual([
      expect.objectContaining({ id: added.json.id, file: 'app.js', side: 'new', line: 2, quote: 'TWO', commit: head, author: HUMAN, body: 'why upper case?', replies: [] }),
    ]);
    await ada.call('review_comments', { task: id, action: 'reply', comment: added.json.id, body: 'the spec says so' });
    await ada.call('review_comments', { task: id, action: 'resolve', comment: added.json.id });
    const detail = await d.get(`/api/tasks/${id}`);
    expect(detail.json.comments[0]).toMatchObject({ replies: [{ author: 'ada', body: 'the spec says so' }], resolved: { by: 'ada' } });
    expect(detail.json.events.filter((e: { kind: string }) => e.kind === 'review_comment').map((e: { data: { action: string } }) => e.data.action)).toEqual([
      'added',
      'replied',
      'resolved',
    ]);
  });

  it('marks a comment outdated once a new submission moved the quoted line, and keeps one whose line stayed', async () => {
    const { d, ada, id, worktree } = await submittedTask(storage);
    const moved = await d.post(`/api/tasks/${id}/comments`, { file: 'app.js', side: 'new', line: 2, quote: 'TWO', body: 'a' });
    const kept = await d.post(`/api/tasks/${id}/comments`, { file: 'app.js', side: 'new', line: 1, quote: 'one', body: 'b' });
    await d.post(`/api/tasks/${id}/request-changes`, { feedback: 'see comments' });
    await ada.call('task_update', { id, status: 'in_progress' });
    writeTree(worktree, { 'app.js': 'one\ninserted\nTWO\nthree\n' });
    commitAll(worktree, 'move it');
    await ada.call('task_submit_for_review', { id, reviewNotes: 'again' });
    const { threads } = await ada.call('review_comments', { task: id });
    expect(threads.find((t: { id: number }) => t.id === moved.json.id).outdated).toBe(true);
    expect(threads.find((t: { id: number }) => t.id === kept.json.id).outdated).toBeUndefined();
  });

  it('a planner agent writes the same comments over MCP, and the implementer hears of them', async () => {
    const { d, ada, id, head } = await submittedTask(storage);
    const planner = await connectInMemory(d.t);
    open.at(-1)!.agents.push(planner);
    await planner.call('coordination_init', { role: 'planner', name: 'plan' });
    const added = await planner.call('review_comments', { task: id, action: 'add', file: 'app.js', line: 2, body: 'from the planner' });
    expect((await ada.call('task_get', { id })).pending.comments).toEqual([id]);
    // The quoted line is read from the reviewed commit, not taken from the caller.
    expect((await d.get(`/api/tasks/${id}`)).json.comments).toEqual([expect.objectContaining({ id: added.id, author: 'plan', commit: head, quote: 'TWO' })]);
  });

  it('only a planner opens threads over MCP; the owner may not', async () => {
    const { ada, id } = await submittedTask(storage);
    const error = await ada.callError('review_comments', { task: id, action: 'add', file: 'app.js', line: 1, body: 'x' });
    expect(error).toMatch(/^ROLE_FORBIDDEN/);
  });
});

describe('the dashboard read API', () => {
  it('lists projects, the overview, a searchable paged board and the implementers with their worktrees', async () => {
    const { d, id } = await submittedTask('sqlite');
    await d.t.app.tasks.create(d.t.caller('plan', 'planner'), { title: 'Other thing' });
    expect((await d.get('/api/projects')).json).toEqual({ projects: [{ id: d.t.repo, root: d.t.repo, status: 'planning' }], selected: d.t.repo });
    expect((await d.get('/api/overview')).json).toMatchObject({ project: { id: d.t.repo }, summary: { total: 2 }, seq: expect.any(Number) });
    const found = await d.get('/api/tasks?q=FEATURE');
    expect(found.json).toMatchObject({ total: 1, tasks: [{ id, title: 'Feature <b>x</b>' }], counts: { review: 1, todo: 1 } });
    const implementers = await d.get('/api/implementers');
    expect(implementers.json.implementers).toEqual([expect.objectContaining({ name: 'ada', liveness: expect.any(String), worktree: expect.objectContaining({ branch: 'lockstep/ada' }) })]);
    const work = await d.get('/api/implementers/ada/work');
    expect(work.json).toMatchObject({ status: { implementer: 'ada', ahead: 1, mergeable: { clean: true } }, task: { id } });
    const diff = await d.get('/api/implementers/ada/diff?uncommitted=1');
    expect(diff.json.diff).toContain('+TWO');
    const forecast = await d.get('/api/forecast');
    expect(forecast.json).toMatchObject({ target: 'main', rows: [{ implementer: 'ada', target: { clean: true }, others: [] }] });
  });
});
