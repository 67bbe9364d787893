// The task tool family: the board (create, claim, update, get, list, summary, wait) and the review
// workflow (submit, approve, approve in batch, request changes).

import * as z from 'zod';
import { LIST_LIMIT, WAIT_TIMEOUT_MS } from '../../domain/tasks.js';
import { COMPLEXITIES, ISOLATIONS, TASK_STATUSES } from '../../core/vocabulary.js';
import { claimForThisClient } from '../worktree-guidance.js';
import { defineTool, READ_ONLY, WRITES } from '../define.js';
import { agentName } from '../params.js';
import { selfName } from '../self-name.js';

// Agents often send ids as strings ("3"): accept those too.
const taskId = z.coerce.number().int().positive();
const text = (max: number) => z.string().min(1).max(max);
const feedback = text(10_000);
const tags = z.array(z.string().min(1).max(64)).max(20);
const METADATA_MAX_CHARS = 4_000;
const metadata = z
  .record(z.string(), z.json())
  .refine((value) => JSON.stringify(value).length <= METADATA_MAX_CHARS, `metadata over ${METADATA_MAX_CHARS} characters`);
const complexity = z.enum(COMPLEXITIES);
const status = z.enum(TASK_STATUSES);

const taskCreate = defineTool({
  name: 'task_create',
  title: 'Create a task',
  description: 'Add a task; complex/critical need review.',
  input: z
    .object({
      title: text(200),
      complexity: complexity.optional(),
      description: text(10_000).optional(),
      isolation: z.enum(ISOLATIONS).optional(),
      owner: agentName.optional(),
      tags: tags.optional(),
      metadata: metadata.optional(),
      dependsOn: z.array(taskId).max(50).optional(),
    })
    .strict(),
  annotations: WRITES,
  handler: async (input, { app, caller }) => ({ task: await app.tasks.create(caller, input) }),
});

const taskClaim = defineTool({
  name: 'task_claim',
  title: 'Claim a task',
  description: 'Take a todo task; one claimer wins.',
  input: z.object({ id: taskId, owner: selfName }).strict(),
  annotations: WRITES,
  handler: async ({ id, owner }, call) => ({ task: await claimForThisClient(await call.app.tasks.claim(call.caller, id, owner), call) }),
});

const taskUpdate = defineTool({
  name: 'task_update',
  title: 'Update a task',
  description: 'Edit a task; status per lifecycle.',
  input: z
    .object({
      id: taskId,
      title: text(200).optional(),
      description: text(10_000).optional(),
      status: status.optional(),
      complexity: complexity.optional(),
      owner: agentName.optional(),
      tags: tags.optional(),
      metadata: metadata.optional(),
    })
    .strict(),
  annotations: WRITES,
  handler: async ({ id, ...changes }, { app, caller }) => ({ task: await app.tasks.update(caller, id, changes) }),
});

const taskGet = defineTool({
  name: 'task_get',
  title: 'Read one task',
  description: 'One task in full, with review notes.',
  input: z.object({ id: taskId }).strict(),
  annotations: READ_ONLY,
  handler: async ({ id }, { app, caller }) => ({ task: await app.tasks.get(caller, id) }),
});

const taskList = defineTool({
  name: 'task_list',
  title: 'List tasks',
  description: 'List tasks, filtered and paged.',
  input: z
    .object({
      status: status.optional(),
      owner: agentName.optional(),
      tag: z.string().min(1).max(64).optional(),
      limit: z.number().int().min(1).max(LIST_LIMIT.max).optional(),
      offset: z.number().int().min(0).optional(),
      includeDone: z.boolean().optional(),
    })
    .strict(),
  annotations: READ_ONLY,
  handler: (filter, { app, caller }) => app.tasks.list(caller, filter),
});

const taskSummary = defineTool({
  name: 'task_summary',
  title: 'Count tasks per status',
  description: 'Task counts per status.',
  input: z.object({}).strict(),
  annotations: READ_ONLY,
  handler: (_input, { app, caller }) => app.tasks.summary(caller),
});

const taskWait = defineTool({
  name: 'task_wait',
  title: 'Wait for work or news',
  description: 'Idle: wait for a task or news.',
  input: z
    .object({
      timeoutMs: z.number().int().min(0).max(WAIT_TIMEOUT_MS.max).optional(),
    })
    .strict(),
  annotations: READ_ONLY,
  handler: ({ timeoutMs }, { app, caller }) => app.tasks.wait(caller, timeoutMs),
});

const taskSubmit = defineTool({
  name: 'task_submit_for_review',
  title: 'Submit your task for review',
  description: 'Hand in your task for review; commit first.',
  input: z.object({ id: taskId, owner: selfName, reviewNotes: text(10_000) }).strict(),
  annotations: WRITES,
  handler: async ({ id, owner, reviewNotes }, { app, caller }) => {
    const { review, ...task } = await app.review.submit(caller, id, reviewNotes, owner);
    return { task, ...review };
  },
});

const taskApprove = defineTool({
  name: 'task_approve',
  title: 'Approve a task in review',
  description: 'Planner: accept; lands worktree tasks.',
  input: z.object({ id: taskId, feedback: feedback.optional() }).strict(),
  annotations: WRITES,
  handler: async ({ id, feedback }, { app, caller }) => {
    const { landing, ...task } = await app.review.approve(caller, id, feedback);
    return { task, ...landing };
  },
});

const taskApproveBatch = defineTool({
  name: 'task_approve_batch',
  title: 'Approve several tasks',
  description: 'Planner: approve each id.',
  input: z.object({ ids: z.array(taskId).min(1).max(100), feedback: feedback.optional() }).strict(),
  annotations: WRITES,
  handler: ({ ids, feedback }, { app, caller }) => app.review.approveBatch(caller, ids, feedback),
});

const taskRequestChanges = defineTool({
  name: 'task_request_changes',
  title: 'Send a task back with feedback',
  description: 'Planner: send back with feedback.',
  input: z.object({ id: taskId, feedback }).strict(),
  annotations: WRITES,
  handler: async ({ id, feedback }, { app, caller }) => ({ task: await app.review.requestChanges(caller, id, feedback) }),
});

export const taskTools = [
  taskCreate,
  taskClaim,
  taskUpdate,
  taskGet,
  taskList,
  taskSummary,
  taskWait,
  taskSubmit,
  taskApprove,
  taskApproveBatch,
  taskRequestChanges,
];
