// The pending block is computed after the call's own change: it never reports what that very call
// settled (issue 9: task_approve answered pending.toReview: 1 for the task it had just approved).

import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from '../../fixtures/git.js';
import { useMcpAgents } from '../../fixtures/mcp-agents.js';

afterAll(removeTempDirs);

const mcp = useMcpAgents();

describe('pending after the call itself', () => {
  it('task_approve does not report the submission it just approved, while another one still waits', async () => {
    const planner = await mcp.agent('boss', 'planner');
    const worker = await mcp.agent('worker');
    for (const title of ['one', 'two', 'three']) await planner.call('task_create', { title, complexity: 'complex' });
    for (const id of [1, 2, 3]) {
      await worker.call('task_claim', { id });
      await worker.call('task_submit_for_review', { id, reviewNotes: 'done' });
    }
    // Three submissions were news; the call settled one of them.
    const first = await planner.call('task_approve', { id: 1 });
    expect(first.pending).toMatchObject({ toReview: 2 });
  });

  it('a reply does not report the discussion it answered', async () => {
    const planner = await mcp.agent('boss', 'planner');
    const worker = await mcp.agent('worker');
    const { id } = await worker.call('discussion_start', { topic: 'Which port?', message: '80 or 8080?', waitingOn: 'boss' });
    const reply = await planner.call('discussion_reply', { discussionId: id, message: '8080' });
    expect(reply.pending).toBeUndefined();
  });
});
