// Issue 7 item 7 as attacks over real MCP sessions: a role is not whatever an agent declares. A session
// keeps its first role, a second planner needs an admission, and nobody approves work their session did.

import { afterAll, describe, expect, it } from 'vitest';
import { everyBackend } from '../../fixtures/backends.js';
import { removeTempDirs } from '../../fixtures/git.js';
import { useMcpAgents } from '../../fixtures/mcp-agents.js';
import type { ToolClient } from '../../fixtures/mcp.js';

afterAll(removeTempDirs);

/** A critical task that `implementer` claimed and submitted. */
async function submittedCriticalTask(planner: ToolClient, implementer: ToolClient): Promise<number> {
  const { task } = await planner.call('task_create', { title: 'auth', complexity: 'critical' });
  await implementer.call('task_claim', { id: task.id });
  await implementer.call('task_submit_for_review', { id: task.id, reviewNotes: 'done' });
  return task.id;
}

describe.each(await everyBackend())('roles and separation of duties over MCP (%s)', (storage) => {
  const mcp = useMcpAgents({ storage });
  const { agent, connect } = mcp;

  it('refuses an implementer that re-runs coordination_init as planner under a new name, so it cannot approve its task', async () => {
    const plan = await agent('plan', 'planner');
    const ada = await agent('ada');
    const id = await submittedCriticalTask(plan, ada);
    expect(await ada.callError('coordination_init', { role: 'planner', name: 'boss' })).toMatch(
      /^ROLE_FORBIDDEN: this session registered as implementer; a session keeps its first role/,
    );
    expect(await ada.callError('task_approve', { id })).toMatch(/^ROLE_FORBIDDEN: only a planner may approve tasks; you are ada/);
    expect((await plan.call('task_get', { id })).task.status).toBe('review');
  });

  it('lets a second planner join only with an admission from an admitted planner, used once', async () => {
    const plan = await agent('plan', 'planner');
    const newcomer = await connect();
    expect(await newcomer.callError('coordination_init', { role: 'planner', name: 'boss' })).toMatch(
      /^ADMISSION_REQUIRED: .*planner_admit with name "boss".*lockstep-mcp planner admit boss/s,
    );
    const implementer = await agent('ada');
    expect(await implementer.callError('planner_admit', { name: 'boss' })).toMatch(/^ROLE_FORBIDDEN: only a planner may admit planners/);
    expect(await plan.call('planner_admit', { name: 'boss' })).toMatchObject({ admitted: 'boss', admittedBy: 'plan' });
    expect((await newcomer.call('coordination_init', { role: 'planner', name: 'boss' })).agent).toMatchObject({ name: 'boss', role: 'planner' });
    // The admission was for one session: once it is gone, another one cannot take over the name with it.
    await newcomer.close();
    const third = await connect();
    expect(await third.callError('coordination_init', { role: 'planner', name: 'boss' })).toMatch(/^ADMISSION_REQUIRED: /);
  });

  it("needs an admission to take over the name of a planner whose session ended", async () => {
    const plan = await agent('plan', 'planner');
    const impostor = await connect();
    expect(await impostor.callError('coordination_init', { role: 'planner', name: 'plan' })).toMatch(/^NAME_TAKEN: /);
    await plan.close();
    expect(await impostor.callError('coordination_init', { role: 'planner', name: 'plan' })).toMatch(/^ADMISSION_REQUIRED: /);
    await mcp.test.app.admissions.admitByHuman({ id: mcp.test.repo, root: mcp.test.repo }, 'plan');
    expect((await impostor.call('coordination_init', { role: 'planner', name: 'plan' })).resumed).toBe(true);
  });

  it("refuses a dead planner's name to an implementer too, so nobody speaks as the planner without an admission", async () => {
    const plan = await agent('plan', 'planner');
    await plan.close();
    const impostor = await connect();
    expect(await impostor.callError('coordination_init', { role: 'implementer', name: 'plan' })).toMatch(/^ADMISSION_REQUIRED: /);
  });

  it('refuses the approval of a planner that claimed the task, under any name of its session, and accepts another planner', async () => {
    const plan = await agent('plan', 'planner');
    const { task } = await plan.call('task_create', { title: 'auth', complexity: 'critical' });
    await plan.call('task_claim', { id: task.id });
    await plan.call('task_submit_for_review', { id: task.id, reviewNotes: 'mine' });
    await plan.call('coordination_init', { role: 'planner', name: 'plan-2' });
    expect(await plan.callError('task_approve', { id: task.id })).toMatch(
      /^ROLE_FORBIDDEN: you \(plan-2\) claimed, worked on or submitted task \d+, under this or another name of your session/,
    );
    expect((await plan.call('task_approve_batch', { ids: [task.id] })).failed).toEqual([expect.objectContaining({ id: task.id, code: 'ROLE_FORBIDDEN' })]);
    await plan.call('planner_admit', { name: 'reviewer' });
    const reviewer = await agent('reviewer', 'planner');
    expect((await reviewer.call('task_approve', { id: task.id })).task.status).toBe('done');
  });

  it('remembers who worked on a task: a planner that claimed it once cannot approve it after handing it to someone else', async () => {
    const plan = await agent('plan', 'planner');
    const ada = await agent('ada');
    const { task } = await plan.call('task_create', { title: 'auth', complexity: 'critical' });
    await plan.call('task_claim', { id: task.id });
    await plan.call('task_update', { id: task.id, status: 'todo', owner: 'ada' });
    await ada.call('task_claim', { id: task.id });
    await ada.call('task_submit_for_review', { id: task.id, reviewNotes: 'finished what plan started' });
    expect(await plan.callError('task_approve', { id: task.id })).toMatch(/^ROLE_FORBIDDEN: you \(plan\) claimed, worked on or submitted/);
  });

  it('refuses to take a task out of review for whoever worked on it: lowering its complexity is not a way round approval', async () => {
    const plan = await agent('plan', 'planner');
    const ada = await agent('ada');
    const { task } = await plan.call('task_create', { title: 'auth', complexity: 'critical' });
    await ada.call('task_claim', { id: task.id });
    expect(await ada.callError('task_update', { id: task.id, complexity: 'simple' })).toMatch(/^ROLE_FORBIDDEN: /);
    expect(await ada.callError('task_update', { id: task.id, status: 'done' })).toMatch(/^REVIEW_REQUIRED: /);
    const { task: own } = await plan.call('task_create', { title: 'mine', complexity: 'critical' });
    await plan.call('task_claim', { id: own.id });
    expect(await plan.callError('task_update', { id: own.id, complexity: 'medium' })).toMatch(/^ROLE_FORBIDDEN: you \(plan\) claimed/);
    expect((await plan.call('task_update', { id: task.id, complexity: 'medium' })).task.complexity).toBe('medium');
  });

  it('keeps the resetting planner admitted across session_reset, and nobody else', async () => {
    const plan = await agent('plan', 'planner');
    await plan.call('session_reset', { confirm: true });
    await plan.call('coordination_init', { role: 'planner', name: 'plan' });
    const newcomer = await connect();
    expect(await newcomer.callError('coordination_init', { role: 'planner', name: 'first-again' })).toMatch(/^ADMISSION_REQUIRED: /);
  });

  it('lets the planner approve the work of an implementer of another session', async () => {
    const plan = await agent('plan', 'planner');
    const id = await submittedCriticalTask(plan, await agent('ada'));
    expect((await plan.call('task_approve', { id })).task.status).toBe('done');
  });
});
