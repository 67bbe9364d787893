// The worktree tool family: each implementer works on branch lockstep/<implementerId> in its own git
// worktree; these tools create, inspect, diff, list, clean up, recover and (planner) merge them.

import * as z from 'zod';
import { DESTRUCTIVE, IDEMPOTENT_WRITE, READ_ONLY, WRITES, defineTool } from '../define.js';
import { projectRoot } from '../params.js';

const implementerId = z.string().min(1).max(100);
const MAX_DIFF_PAGE_BYTES = 256 * 1024;

export const worktreeTools = [
  defineTool({
    name: 'worktree_create',
    title: 'Create or resume an implementer worktree',
    description: 'Create or resume a worktree.',
    input: z
      .object({
        implementerId,
        base: z.string().min(1).max(250).optional(),
      })
      .strict(),
    annotations: IDEMPOTENT_WRITE,
    handler: (input, { app, caller }) => app.worktrees.ensure(caller, input.implementerId, input.base),
  }),
  defineTool({
    name: 'worktree_status',
    title: 'Where a worktree stands',
    description: 'Branch vs target: changes, conflicts.',
    input: z.object({ implementerId }).strict(),
    annotations: READ_ONLY,
    handler: (input, { app, caller }) => app.worktrees.status(caller, input.implementerId),
  }),
  defineTool({
    name: 'worktree_diff',
    title: 'Diff of an implementer branch',
    description: 'Paged diff of a branch vs target.',
    input: z
      .object({
        implementerId,
        path: z.string().min(1).max(1024).optional(),
        includeUncommitted: z.boolean().optional(),
        offset: z.number().int().min(0).optional(),
        maxBytes: z.number().int().min(1).max(MAX_DIFF_PAGE_BYTES).optional(),
      })
      .strict(),
    annotations: READ_ONLY,
    handler: ({ implementerId: name, ...page }, { app, caller }) => app.worktrees.diff(caller, { name, ...page }),
  }),
  defineTool({
    name: 'worktree_list',
    title: 'List implementer worktrees',
    description: 'Implementer worktrees and liveness.',
    input: z.object({ projectRoot }).strict(),
    annotations: READ_ONLY,
    handler: async (_input, { app, caller }) => ({ worktrees: await app.worktrees.list(caller) }),
  }),
  defineTool({
    name: 'worktree_cleanup',
    title: 'Remove finished worktrees',
    description: 'Archive, then remove done worktrees.',
    input: z.object({ projectRoot }).strict(),
    annotations: DESTRUCTIVE,
    handler: (_input, { app, caller }) => app.worktrees.cleanup(caller),
  }),
  defineTool({
    name: 'worktree_recover',
    title: 'List or restore archived work',
    description: 'List archives, or restore one.',
    input: z
      .object({
        implementerId,
        archive: z.string().min(1).max(300).optional(),
      })
      .strict(),
    annotations: WRITES,
    handler: (input, { app, caller }) => app.worktrees.recover(caller, { name: input.implementerId, archive: input.archive }),
  }),
  defineTool({
    name: 'worktree_merge',
    title: "Land an implementer's branch (planner)",
    description: 'Planner: land a branch, no review.',
    input: z
      .object({
        implementerId,
        targetBranch: z.string().min(1).max(250).optional(),
      })
      .strict(),
    annotations: WRITES,
    handler: (input, { app, caller }) => app.worktrees.merge(caller, { name: input.implementerId, targetBranch: input.targetBranch }),
  }),
];
