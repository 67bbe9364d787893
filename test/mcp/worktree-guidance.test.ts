// What a claim of a worktree task tells an implementer, by where its session runs and which client it
// is: never to edit a directory its client will refuse, but the exact command that continues it there.

import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from '../../fixtures/git.js';
import { useMcpAgents } from '../../fixtures/mcp-agents.js';
import { worktreeInstruction } from '../../src/domain/guidance.js';

afterAll(removeTempDirs);

const mcp = useMcpAgents();

async function claimByHand(type: 'claude' | 'codex') {
  const planner = await mcp.agent('boss', 'planner');
  const client = await mcp.connect();
  await client.call('coordination_init', { role: 'implementer', name: 'hand', type });
  await planner.call('task_create', { title: 'isolated', isolation: 'worktree' });
  return (await client.call('task_claim', { id: 1 })).task.worktree as { path: string; instruction: string };
}

describe('claiming a worktree task from the main checkout', () => {
  it('gives Codex the codex -C command that continues it in the worktree', async () => {
    const worktree = await claimByHand('codex');
    expect(worktree.instruction).toContain(`outside the directory your session runs in (${mcp.test.repo})`);
    expect(worktree.instruction).toContain(`codex -C '${worktree.path}' 'You are an implementer named "hand"`);
    expect(worktree.instruction).toContain('launch_implementer');
  });

  it('gives Claude a cd into the worktree and the claude command', async () => {
    const worktree = await claimByHand('claude');
    expect(worktree.instruction).toContain(`cd '${worktree.path}' && claude 'You are an implementer named "hand"`);
    expect(worktree.instruction).toContain('git commit');
  });
});

describe('an implementer already in its worktree', () => {
  it('is told to edit and commit there with plain git', () => {
    const text = worktreeInstruction({ path: '/w/a', branch: 'lockstep/a' }, { type: 'codex', cwd: '/w/a', name: 'a' }, true);
    expect(text).toBe('You run in your worktree /w/a (branch lockstep/a): edit files there and commit with plain git (git add, git commit) before task_submit_for_review: the server never commits for you.');
  });
});
