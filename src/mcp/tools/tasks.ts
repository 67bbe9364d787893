// The task tool family: the board (create, claim, update, get, list, summary, wait) and the review
// workflow (submit, approve, approve in batch, request changes).

import * as z from 'zod';
import { LIST_LIMIT, WAIT_TIMEOUT_MS } from '../../domain/tasks.js';
import { COMPLEXITIES, ISOLATIONS, TASK_STATUSES } from '../../core/vocabulary.js';
import { defineTool, READ_ONLY, WRITES } from '../define.js';
import { selfName } from '../self-name.js';

// Agents often send ids as strings ("3"): accept those too.
const taskId = z.coerce.number().int().positive().describe('Task id, from task_list.');
const agentName = z.string().min(1).max(64);
const text = (max: number) => z.string().min(1).max(max);
const feedback = text(10_000);
const tags = z.array(z.string().min(1).max(64)).max(20);
const METADATA_MAX_CHARS = 4_000;
const metadata = z
  .record(z.string(), z.json())
  .refine((value) => JSON.stringify(value).length <= METADATA_MAX_CHARS, `metadata over ${METADATA_MAX_CHARS} characters`);
const complexity = z.enum(COMPLEXITIES);
const status = z.enum(TASK_STATUSES);

const LIFECYCLE =
  'Lifecycle: todo -> in_progress (task_claim) -> review (task_submit_for_review) -> done (task_approve) or ' +
  'changes_requested (task_request_changes) -> in_progress/review. simple and medium tasks may go in_progress -> done ' +
  'with task_update; complex and critical must pass review, and so must every worktree task (approval lands its branch). ' +
  'todo/in_progress <-> blocked; in_progress -> todo gives a task up.';

const taskCreate = defineTool({
  name: 'task_create',
  title: 'Create a task',
  description:
    'Adds a task to the board (usually the planner, after project_context_set). It starts as todo. Give owner to ' +
    'pre-assign it: it stays todo and only that agent may claim it. dependsOn lists task ids that must be done before ' +
    'this one can be claimed. complexity decides review: complex/critical must be approved by a planner. ' +
    'Returns {task}. Errors: NOT_FOUND (a dependsOn id does not exist). Next: more task_create, then monitor with task_summary.',
  input: z
    .object({
      title: text(200),
      complexity: complexity.optional().describe('Default medium.'),
      description: text(10_000).optional().describe('What to do and how to know it is done.'),
      isolation: z.enum(ISOLATIONS).optional().describe('shared (default): work in the main checkout; worktree: in an own git worktree.'),
      owner: agentName.optional().describe('Pre-assign to this agent (it still claims it).'),
      tags: tags.optional(),
      metadata: metadata.optional(),
      dependsOn: z.array(taskId).max(50).optional().describe('Ids of tasks that must be done first.'),
    })
    .strict(),
  annotations: WRITES,
  handler: async (input, { app, caller }) => ({ task: await app.tasks.create(caller, input) }),
});

const taskClaim = defineTool({
  name: 'task_claim',
  title: 'Claim a task',
  description:
    'Takes a todo task for you (atomically: if two agents claim at once, exactly one wins) and moves it to in_progress. ' +
    'Only unassigned todo tasks, or ones pre-assigned to you, whose dependencies are all done, can be claimed. ' +
    'Returns {task} with description and any earlier feedback. For an isolation "worktree" task, task.worktree gives {path, branch, instruction}: ' +
    'your own git worktree (created, or resumed with its work); work and commit only there. If it could not be made, task.worktreeError says why ' +
    '(the claim stands; fix it, then worktree_create). Errors: TASK_NOT_CLAIMABLE (someone holds it or it is ' +
    'not todo; details name the holder and status: pick another), TASK_DEPENDENCIES_OPEN (lists the unfinished ones), ' +
    'NOT_FOUND, IDENTITY_REQUIRED. Next: lock_acquire the files you will edit, do the work, then task_submit_for_review.',
  input: z.object({ id: taskId, owner: selfName }).strict(),
  annotations: WRITES,
  handler: async ({ id, owner }, { app, caller }) => ({ task: await app.tasks.claim(caller, id, owner) }),
});

const taskUpdate = defineTool({
  name: 'task_update',
  title: 'Update a task',
  description:
    'Changes fields of a task; only its owner or a planner may, and only a planner may reassign owner. A status ' +
    `change must follow the lifecycle. ${LIFECYCLE} Setting status todo clears the owner unless a planner passes one. ` +
    'Returns {task}. Errors: NOT_OWNER, ROLE_FORBIDDEN (reassigning without being planner), TASK_INVALID_TRANSITION ' +
    '(lists the allowed next statuses and the tool for each), REVIEW_REQUIRED (complex/critical or worktree task: use task_submit_for_review), ' +
    'TASK_DEPENDENCIES_OPEN, NOT_FOUND, IDENTITY_REQUIRED (call coordination_init first).',
  input: z
    .object({
      id: taskId,
      title: text(200).optional(),
      description: text(10_000).optional(),
      status: status.optional(),
      complexity: complexity.optional(),
      owner: agentName.optional().describe('Planner only: the new owner.'),
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
  description:
    'Returns one task in full: description, metadata, reviewNotes (what the owner asks the reviewer to check), ' +
    'feedback (the last review verdict) and, for worktree tasks, reviewedRev, verify and landedRev. Planners call it ' +
    'before task_approve / task_request_changes. Errors: NOT_FOUND.',
  input: z.object({ id: taskId }).strict(),
  annotations: READ_ONLY,
  handler: async ({ id }, { app, caller }) => ({ task: await app.tasks.get(caller, id) }),
});

const taskList = defineTool({
  name: 'task_list',
  title: 'List tasks',
  description:
    'Lists tasks in id order, filtered and paginated: {tasks: [{id, title, status, complexity, isolation, owner?, tags?, ' +
    'dependsOn?}], more?, total?, projectStatus}. Done tasks are hidden unless includeDone or status "done". more: ' +
    'another page follows (page with offset); the last page has total, every match. If projectStatus is stopped or complete, ' +
    'implementers stop working. Use task_get for one task in full; idle implementers call task_wait instead of polling this.',
  input: z
    .object({
      status: status.optional(),
      owner: agentName.optional(),
      tag: z.string().min(1).max(64).optional(),
      limit: z.number().int().min(1).max(LIST_LIMIT.max).optional().describe(`Default ${LIST_LIMIT.default}.`),
      offset: z.number().int().min(0).optional(),
      includeDone: z.boolean().optional().describe('Default false.'),
    })
    .strict(),
  annotations: READ_ONLY,
  handler: (filter, { app, caller }) => app.tasks.list(caller, filter),
});

const taskSummary = defineTool({
  name: 'task_summary',
  title: 'Count tasks per status',
  description:
    'Returns {counts: {todo, in_progress, blocked, review, changes_requested, done}, total, projectStatus}: the cheapest ' +
    'way to monitor progress. A planner sees work waiting for review in counts.review (task_list status "review").',
  input: z.object({}).strict(),
  annotations: READ_ONLY,
  handler: (_input, { app, caller }) => app.tasks.summary(caller),
});

const taskWait = defineTool({
  name: 'task_wait',
  title: 'Wait for work or news',
  description:
    'For an idle implementer: blocks until there is a task you can claim, news for you (see the pending block), or the ' +
    'timeout passes; returns at once when the project is stopped or complete. Returns {reason: task|news|timeout|stopped|complete, ' +
    'task?, projectStatus}. Next: reason task -> task_claim that id; news -> act on pending; timeout -> call again; ' +
    'stopped/complete -> release your locks and stop.',
  input: z
    .object({
      timeoutMs: z
        .number()
        .int()
        .min(0)
        .max(WAIT_TIMEOUT_MS.max)
        .optional()
        .describe(`Default ${WAIT_TIMEOUT_MS.default}, max ${WAIT_TIMEOUT_MS.max}.`),
    })
    .strict(),
  annotations: READ_ONLY,
  handler: ({ timeoutMs }, { app, caller }) => app.tasks.wait(caller, timeoutMs),
});

const taskSubmit = defineTool({
  name: 'task_submit_for_review',
  title: 'Submit your task for review',
  description:
    'The owner hands finished work to a planner: in_progress or changes_requested -> review. reviewNotes tell the ' +
    'reviewer what changed and how to check it. Release your locks first. Worktree task: commit everything in your ' +
    'worktree first (the server never commits for you); the branch head becomes the reviewed commit, the only one an ' +
    'approval lands, so do not commit more until the verdict; if the project configures a verify command it runs in ' +
    'your worktree now. Returns {task, reviewedRev?, verify?: {exitCode, durationMs, logTail}}. Errors: NOT_OWNER (only ' +
    "the task's owner submits), WORKTREE_DIRTY (lists uncommitted/untracked files: commit or remove them), NOT_FOUND " +
    '(no task, or no worktree: worktree_create), REVIEW_STALE (you committed while verify ran: submit again), ' +
    'CONFIG_UNAPPROVED (tell the human to approve the verify command), ' +
    'TASK_INVALID_TRANSITION, IDENTITY_REQUIRED. Next: task_wait or task_claim the next task; the verdict arrives in your pending block.',
  input: z.object({ id: taskId, owner: selfName, reviewNotes: text(10_000) }).strict(),
  annotations: WRITES,
  handler: async ({ id, owner, reviewNotes }, { app, caller }) => {
    const { review, ...task } = await app.review.submit(caller, id, reviewNotes, owner);
    return { task, ...review };
  },
});

const PLANNER_ONLY = 'ROLE_FORBIDDEN (only a planner reviews; nobody approves their own work as implementer)';

const taskApprove = defineTool({
  name: 'task_approve',
  title: 'Approve a task in review',
  description:
    `Planner only: accepts a task in review, which becomes done; the owner is told (with your feedback). Read it first ` +
    `with task_get (reviewNotes, verify) and, for a worktree task, worktree_diff. A worktree task lands exactly its ` +
    `reviewed commit on the target branch (gate command first, if configured): {task, landed: true, target, commit, ` +
    `touchesProjectConfig? (.lockstep/ files it changed)} and ` +
    `done; or, if it conflicts or fails the gate, nothing lands and the task goes back to its owner as changes_requested: ` +
    `{task, landed: false, reason: conflict|gate_failed, conflicts? | gateLog?} (an outcome, not an error). Errors: ` +
    `${PLANNER_ONLY}, TASK_INVALID_TRANSITION (not in review, or another approval recorded it first), REVIEW_STALE (the ` +
    `branch moved after submission: ask for a new submission), TARGET_CHECKOUT_BLOCKED (the checkout holding the target ` +
    `has changes git will not overwrite; nothing landed, the task stays in review), CONFIG_UNAPPROVED (gate or target awaits ` +
    `a human's approval; nothing landed), NOT_FOUND.`,
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
  description:
    'Planner only: approves each id on its own, exactly as task_approve (worktree tasks land their reviewed commit); one ' +
    'failing does not stop the others. Returns {approved: [ids], notLanded?: [{id, reason}] (sent back to their owners ' +
    `as changes_requested), failed: [{id, code, message}]}. Errors for the whole call: ${PLANNER_ONLY}.`,
  input: z.object({ ids: z.array(taskId).min(1).max(100), feedback: feedback.optional() }).strict(),
  annotations: WRITES,
  handler: ({ ids, feedback }, { app, caller }) => app.review.approveBatch(caller, ids, feedback),
});

const taskRequestChanges = defineTool({
  name: 'task_request_changes',
  title: 'Send a task back with feedback',
  description:
    'Planner only: a task in review goes to changes_requested with your feedback; its owner is told and resubmits with ' +
    `task_submit_for_review. Say concretely what to change. Returns {task}. Errors: ${PLANNER_ONLY}, ` +
    'TASK_INVALID_TRANSITION (not in review), NOT_FOUND.',
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
