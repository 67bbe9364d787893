// The claim of a worktree task, told to the client that made it: whether this session already runs
// in that worktree decides between "edit and commit there" and the command that continues it there.

import { realpath } from 'node:fs/promises';
import type { ClaimedTask } from '../domain/tasks.js';
import { worktreeInstruction } from '../domain/guidance.js';
import { isInside } from '../policy/paths.js';
import type { ToolCall } from './define.js';

export async function claimForThisClient(task: ClaimedTask, { session, config }: ToolCall): Promise<ClaimedTask> {
  const agent = session.agent;
  // Claimed on someone else's behalf: that agent's client is unknown here, the generic words stay.
  if (!task.worktree || !agent || task.owner !== agent.name) return task;
  const [cwd, worktree] = await Promise.all([realpath(config.cwd), realpath(task.worktree.path)]);
  const client = { type: agent.type ?? 'other', cwd: config.cwd, name: agent.name };
  return { ...task, worktree: { ...task.worktree, instruction: worktreeInstruction(task.worktree, client, isInside(cwd, worktree)) } };
}
