// The worktree tool family: each implementer works on branch lockstep/<implementerId> in its own git
// worktree; these tools create, inspect, diff, list, clean up, recover and (planner) merge them.

import * as z from 'zod';
import { DEFAULT_DIFF_PAGE_BYTES } from '../../../git/diff.js';
import { DESTRUCTIVE, IDEMPOTENT_WRITE, READ_ONLY, WRITES, defineTool } from '../define.js';

const implementerId = z
  .string()
  .min(1)
  .max(100)
  .describe('The implementer name: its branch is lockstep/<implementerId> (letters, digits, "-", "_", "."; not starting with "-" or ".")');
const projectRoot = z.string().min(1).optional().describe("A directory of the project; defaults to the server's.");
const MAX_DIFF_PAGE_BYTES = 256 * 1024;
const NAME_ERRORS = 'INVALID_NAME (the name cannot be a branch: nothing ran)';

export const worktreeTools = [
  defineTool({
    name: 'worktree_create',
    title: 'Create or resume an implementer worktree',
    description:
      'Gives an implementer its own git worktree on branch lockstep/<implementerId>, started from the target branch (or base). ' +
      'If the branch or worktree already exists it is resumed: its commits and uncommitted files are kept, nothing is reset. ' +
      'task_claim of an isolation "worktree" task does this for you. Returns {path, branch, head, created, resumed}. ' +
      'Work ONLY in that path and commit there: the server never commits for you. ' +
      `Errors: ${NAME_ERRORS}, WORKTREE_BLOCKED (the directory is occupied; nothing was changed), BRANCH_NOT_FOUND (base or target missing). ` +
      'Next: cd to path, edit, commit; worktree_status to check.',
    input: z
      .object({
        implementerId,
        base: z.string().min(1).max(250).optional().describe('Branch, tag or commit a NEW branch starts from; default the target branch. Ignored when resuming.'),
      })
      .strict(),
    annotations: IDEMPOTENT_WRITE,
    handler: (input, { app, caller }) => app.worktrees.ensure(caller, input.implementerId, input.base),
  }),
  defineTool({
    name: 'worktree_status',
    title: 'Where a worktree stands',
    description:
      "Shows an implementer's branch against the target: head, ahead/behind, uncommitted and untracked files, a diff stat since the fork, " +
      'whether merging into the target now would conflict (mergeable.conflicts lists the files) and which other implementers it would conflict with (conflictsWith). ' +
      'touchesProjectConfig: .lockstep/ files the branch changes (review them). ' +
      `Reads only; no checkout is touched. Errors: ${NAME_ERRORS}, NOT_FOUND (no worktree: worktree_create). ` +
      'Next: commit uncommitted files before task_submit_for_review; merge the target into your branch if it conflicts.',
    input: z.object({ implementerId }).strict(),
    annotations: READ_ONLY,
    handler: (input, { app, caller }) => app.worktrees.status(caller, input.implementerId),
  }),
  defineTool({
    name: 'worktree_diff',
    title: 'Diff of an implementer branch',
    description:
      'The unified diff of lockstep/<implementerId> against its merge base with the target (what a reviewer reads), optionally followed by the ' +
      'worktree\'s uncommitted changes. Paged by bytes: when truncated is true, call again with offset = nextOffset. ' +
      `Returns {target, base, head, diff, truncated, nextOffset?, touchesProjectConfig?}. Errors: ${NAME_ERRORS}, BRANCH_NOT_FOUND (no such branch).`,
    input: z
      .object({
        implementerId,
        path: z.string().min(1).max(1024).optional().describe('Only this file or directory (repository-relative, taken literally)'),
        includeUncommitted: z.boolean().optional().describe('Append uncommitted and untracked changes of the worktree; default false'),
        offset: z.number().int().min(0).optional().describe('Byte offset of the page; default 0'),
        maxBytes: z.number().int().min(1).max(MAX_DIFF_PAGE_BYTES).optional().describe(`Page size in bytes; default ${DEFAULT_DIFF_PAGE_BYTES}`),
      })
      .strict(),
    annotations: READ_ONLY,
    handler: ({ implementerId: name, ...page }, { app, caller }) => app.worktrees.diff(caller, { name, ...page }),
  }),
  defineTool({
    name: 'worktree_list',
    title: 'List implementer worktrees',
    description:
      'Every lockstep/* worktree of the project: implementer, path, branch, head, its task in progress/review (task) and whether its agent is still alive ' +
      '(agentAlive false: gone or its process ended). missing: the directory was deleted. Returns {worktrees}. ' +
      'Next: worktree_status for details, worktree_cleanup to remove finished ones.',
    input: z.object({ projectRoot }).strict(),
    annotations: READ_ONLY,
    handler: async (_input, { app, caller }) => ({ worktrees: await app.worktrees.list(caller) }),
  }),
  defineTool({
    name: 'worktree_cleanup',
    title: 'Remove finished worktrees',
    description:
      'Removes worktrees whose branch is fully merged into the target and clean, and those of implementers that are gone, after pinning ' +
      'their work (commits and uncommitted files) under refs/lockstep/archive/<implementer>/<timestamp>. Never deletes unarchived work. ' +
      'Returns {removed: [{name, path, reason, archive?, branchDeleted}], kept: [{name, reason}]}. Next: worktree_recover to restore an archive.',
    input: z.object({ projectRoot }).strict(),
    annotations: DESTRUCTIVE,
    handler: (_input, { app, caller }) => app.worktrees.cleanup(caller),
  }),
  defineTool({
    name: 'worktree_recover',
    title: 'List or restore archived work',
    description:
      "Without archive: lists the implementer's archives made by worktree_cleanup ({status: 'listed', archives: [{archive, commit}]}, newest first). " +
      "With archive: restores it into a fresh worktree on lockstep/<implementerId>, uncommitted files back as uncommitted ({status: 'recovered', path, branch, head, restoredUncommitted}). " +
      `Errors: ${NAME_ERRORS}, NOT_FOUND (no such archive), WORKTREE_BLOCKED (the branch has newer commits or a worktree already; nothing changed).`,
    input: z
      .object({
        implementerId,
        archive: z.string().min(1).max(300).optional().describe('The archive timestamp (e.g. 20260101T000000Z) or full ref, from the listing'),
      })
      .strict(),
    annotations: WRITES,
    handler: (input, { app, caller }) => app.worktrees.recover(caller, { name: input.implementerId, archive: input.archive }),
  }),
  defineTool({
    name: 'worktree_merge',
    title: "Land an implementer's branch (planner)",
    description:
      'Planner only: lands the head of lockstep/<implementerId> on the target branch outside the review flow (normally task_approve does this). ' +
      'The merge is computed without touching any checkout; the gate command (if configured) must pass; the target moves by compare-and-swap. ' +
      "Returns {status}: 'landed' (commit, fastForward), 'conflict' (files; nothing landed), 'gate_failed' (logTail; nothing landed), " +
      "'target_checkout_refused' (the checkout of the target has uncommitted changes in the way; reason; nothing lost). " +
      `Errors: ROLE_FORBIDDEN, ${NAME_ERRORS}, BRANCH_NOT_FOUND, INVALID_INPUT (targetBranch is not a plain branch name such as "main").`,
    input: z
      .object({
        implementerId,
        targetBranch: z.string().min(1).max(250).optional().describe('Local branch to land on, by short name ("main", not "refs/heads/main"); default the project target'),
      })
      .strict(),
    annotations: WRITES,
    handler: (input, { app, caller }) => app.worktrees.merge(caller, { name: input.implementerId, targetBranch: input.targetBranch }),
  }),
];
