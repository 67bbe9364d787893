import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from '../../fixtures/git.js';
import { useMcpAgents } from '../../fixtures/mcp-agents.js';
import { taskTools } from '../../src/mcp/tools/tasks.js';

const { agent, connect } = useMcpAgents();

afterAll(() => removeTempDirs());

describe('task tools over MCP', () => {
  it('advertises every task tool with annotations and refuses undeclared parameters', async () => {
    const planner = await agent('plan', 'planner');
    const { tools } = await planner.client.listTools();
    const names = tools.map((tool) => tool.name);
    for (const tool of taskTools) {
      expect(names).toContain(tool.name);
      expect(tools.find((candidate) => candidate.name === tool.name)!.annotations).toBeDefined();
    }
    expect(await planner.callError('task_create', { title: 'Lexer', priority: 'high' })).toMatch(/priority/);
  });

  it('runs a complex task through claim, review, changes and approval', async () => {
    const planner = await agent('plan', 'planner');
    const ada = await agent('ada');
    const { task: base } = await planner.call('task_create', { title: 'Lexer', complexity: 'simple' });
    const { task } = await planner.call('task_create', {
      title: 'Parser', complexity: 'complex', description: 'parse tokens', tags: ['core'], metadata: { area: 'front' },
      dependsOn: [base.id],
    });
    expect(task).toEqual({ id: 2, title: 'Parser', status: 'todo', complexity: 'complex', isolation: 'shared', tags: ['core'], dependsOn: [1] });

    expect(await ada.callError('task_claim', { id: '2' })).toMatch(/^TASK_DEPENDENCIES_OPEN: .*1.* Next: /);
    await ada.call('task_claim', { id: '1' });
    expect((await ada.call('task_update', { id: 1, status: 'done' })).task.status).toBe('done');

    const claimed = await ada.call('task_claim', { id: '2' });
    expect(claimed.task).toMatchObject({ id: 2, status: 'in_progress', owner: 'ada', description: 'parse tokens', metadata: { area: 'front' } });
    expect(await ada.callError('task_update', { id: 2, status: 'done' })).toMatch(/^REVIEW_REQUIRED: .* Next: Call task_submit_for_review/);
    expect((await ada.call('task_submit_for_review', { id: 2, reviewNotes: 'see parser.test.ts' })).task.status).toBe('review');

    expect((await planner.call('task_get', { id: 2 })).task.reviewNotes).toBe('see parser.test.ts');
    expect(await ada.callError('task_approve', { id: 2 })).toMatch(/^ROLE_FORBIDDEN: /);
    await planner.call('task_request_changes', { id: 2, feedback: 'cover errors' });

    const next = await ada.call('task_list', { owner: 'ada' });
    expect(next.pending).toMatchObject({ reviews: [{ task: 2, verdict: 'changes_requested', feedback: 'cover errors' }] });
    expect(next.tasks).toMatchObject([{ id: 2, status: 'changes_requested' }]);
    await ada.call('task_submit_for_review', { id: 2, reviewNotes: 'errors covered' });
    expect((await planner.call('task_approve', { id: 2, feedback: 'good' })).task).toMatchObject({ status: 'done', owner: 'ada' });

    expect(await planner.call('task_summary')).toEqual({
      counts: { todo: 0, in_progress: 0, blocked: 0, review: 0, changes_requested: 0, done: 2 },
      total: 2,
      projectStatus: 'planning',
    });
  });

  it('tells a second claimer who holds the task', async () => {
    const planner = await agent('plan', 'planner');
    const ada = await agent('ada');
    const bob = await agent('bob');
    await planner.call('task_create', { title: 'Parser' });
    await ada.call('task_claim', { id: 1 });
    expect(await bob.callError('task_claim', { id: 1 })).toMatch(/^TASK_NOT_CLAIMABLE: task 1 is in_progress, held by ada\. Next: /);
    expect(await bob.callError('task_submit_for_review', { id: 1, reviewNotes: 'mine' })).toMatch(/^NOT_OWNER: /);
  });

  it('approves a batch and reports the tasks it could not approve', async () => {
    const planner = await agent('plan', 'planner');
    const ada = await agent('ada');
    for (const title of ['a', 'b']) await planner.call('task_create', { title });
    await ada.call('task_claim', { id: 1 });
    await ada.call('task_submit_for_review', { id: 1, reviewNotes: 'done' });
    const result = await planner.call('task_approve_batch', { ids: [1, '2'], feedback: 'thanks' });
    expect(result).toMatchObject({ approved: [1], failed: [{ id: 2, code: 'TASK_INVALID_TRANSITION' }] });
    expect(await ada.callError('task_approve_batch', { ids: [1] })).toMatch(/^ROLE_FORBIDDEN: /);
  });

  it('lists with filters, paging and the project status', async () => {
    const planner = await agent('plan', 'planner');
    for (const title of ['a', 'b', 'c']) await planner.call('task_create', { title, tags: title === 'b' ? ['x'] : [] });
    const page = await planner.call('task_list', { limit: 2, offset: 1 });
    expect(page).toMatchObject({ tasks: [{ id: 2, tags: ['x'] }, { id: 3 }], total: 3, projectStatus: 'planning' });
    expect(page.tasks[1]).not.toHaveProperty('tags');
    expect((await planner.call('task_list', { tag: 'x' })).tasks).toMatchObject([{ id: 2 }]);
    await planner.call('project_status_set', { status: 'stopped' });
    expect((await planner.call('task_list', { status: 'todo' })).projectStatus).toBe('stopped');
  });

  it('waits for work and returns on timeout or a finished project', async () => {
    const planner = await agent('plan', 'planner');
    const ada = await agent('ada');
    expect(await ada.call('task_wait', { timeoutMs: 200 })).toEqual({ reason: 'timeout', projectStatus: 'planning' });
    await planner.call('task_create', { title: 'Parser' });
    expect(await ada.call('task_wait', { timeoutMs: 5_000 })).toMatchObject({ reason: 'task', task: { id: 1 } });
    await planner.call('project_status_set', { status: 'complete' });
    expect(await ada.call('task_wait', {})).toMatchObject({ reason: 'complete', projectStatus: 'complete' });
  });

  it('refuses bad input in the schema and stores nothing', async () => {
    const planner = await agent('plan', 'planner');
    const invalid = /Input validation error/;
    expect(await planner.callError('task_create', { title: 'x', complexity: 'huge' })).toMatch(invalid);
    expect(await planner.callError('task_create', { title: 'x', priority: 'high' })).toMatch(invalid);
    expect(await planner.callError('task_create', { title: '' })).toMatch(invalid);
    expect(await planner.callError('task_claim', { id: 'abc' })).toMatch(invalid);
    expect(await planner.callError('task_claim', { id: 0 })).toMatch(invalid);
    expect(await planner.callError('task_list', { limit: 500 })).toMatch(invalid);
    expect(await planner.callError('task_update', { id: 1, status: 'archived' })).toMatch(invalid);
    expect(await planner.callError('task_wait', { timeoutMs: 600_000 })).toMatch(invalid);
    expect(await planner.callError('task_request_changes', { id: 1 })).toMatch(invalid);
    expect((await planner.call('task_list', { includeDone: true })).total).toBe(0);
  });

  it('explains unknown ids and missing identity', async () => {
    const planner = await agent('plan', 'planner');
    const anonymous = await connect();
    expect(await planner.callError('task_get', { id: 9 })).toMatch(/^NOT_FOUND: no task 9 .* Next: Call task_list/);
    expect(await planner.callError('task_create', { title: 'x', dependsOn: [9] })).toMatch(/^NOT_FOUND: /);
    await planner.call('task_create', { title: 'x' });
    expect(await anonymous.callError('task_claim', { id: 1 })).toMatch(/^IDENTITY_REQUIRED: /);
    expect(await anonymous.callError('task_update', { id: 1, title: 'y' })).toMatch(/^IDENTITY_REQUIRED: /);
  });
});
