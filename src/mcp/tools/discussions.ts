// The discussion tools: questions between agents that wait on someone and end in a recorded decision.

import * as z from 'zod';
import { DISCUSSION_LIST_DEFAULT, DISCUSSION_LIST_MAX } from '../../domain/discussions.js';
import { DISCUSSION_CATEGORIES, DISCUSSION_PRIORITIES, DISCUSSION_STATUSES } from '../../core/vocabulary.js';
import { defineTool, DESTRUCTIVE, IDEMPOTENT_WRITE, READ_ONLY, WRITES } from '../define.js';
import { selfName } from '../self-name.js';

const TEXT_MAX = 8_192;
const id = z.coerce.number().int().positive();
const discussionId = id.describe('The discussion id (from discussion_start, discussion_inbox or discussion_list).');
const agentName = z.string().min(1).max(64);
const text = (what: string) => z.string().min(1).max(TEXT_MAX).describe(`${what}, at most ${TEXT_MAX} characters.`);
const projectRoot = z.string().min(1).optional().describe('A directory of the project; defaults to the server\'s.');
const days = (fallback: number) => z.number().min(0).optional().describe(`Days; default ${fallback}.`);

export const discussionTools = [
  defineTool({
    name: 'discussion_start',
    title: 'Start a discussion',
    description:
      'Opens a discussion with a first message, for a question or decision that needs an answer (use ' +
      'note_append for plain information). Name the agent who should answer in `waitingOn`: the ' +
      'discussion appears in its discussion_inbox and `pending` block. Use priority "blocking" when you ' +
      'cannot continue without the answer. `author` defaults to your identity. Errors: IDENTITY_REQUIRED, ' +
      'INVALID_INPUT (waitingOn is yourself). Returns {id, status, waitingOn?, messageId}; later check ' +
      'discussion_get or your inbox for the reply.',
    input: z
      .object({
        topic: z.string().min(1).max(200).describe('One line saying what is to be decided.'),
        message: text('The question or proposal'),
        author: selfName,
        category: z.enum(DISCUSSION_CATEGORIES).optional().describe('Default "other".'),
        priority: z.enum(DISCUSSION_PRIORITIES).optional().describe('Default "medium".'),
        waitingOn: agentName.optional().describe('The agent who should answer.'),
        projectRoot,
      })
      .strict(),
    annotations: WRITES,
    handler: (input, { app, caller }) => app.discussions.start(caller, input),
  }),
  defineTool({
    name: 'discussion_reply',
    title: 'Reply to a discussion',
    description:
      'Adds a message to an open discussion and passes the turn: to `waitingOn` if given, otherwise back ' +
      'to the agent who started it (or, when the starter replies, to the last other participant). Add a ' +
      '`recommendation` when you propose what to decide. `author` defaults to your identity. Errors: ' +
      'NOT_FOUND, DISCUSSION_CLOSED (resolved or archived: start a new discussion), INVALID_INPUT ' +
      '(waitingOn is yourself). Returns {id, status, waitingOn?, messageId}.',
    input: z
      .object({
        discussionId,
        message: text('The reply'),
        author: selfName,
        recommendation: text('What you recommend deciding').optional(),
        waitingOn: agentName.optional().describe('Who should answer next; default: the starter.'),
      })
      .strict(),
    annotations: WRITES,
    handler: (input, { app, caller }) => app.discussions.reply(caller, input),
  }),
  defineTool({
    name: 'discussion_resolve',
    title: 'Record the decision',
    description:
      'Closes a discussion with its decision and reasoning; it leaves every inbox. Link the task that ' +
      'carries the decision out with `linkedTaskId` (create it first with task_create if needed). ' +
      '`decidedBy` defaults to your identity. Errors: NOT_FOUND (discussion or linked task), ' +
      'DISCUSSION_CLOSED (already resolved: the error shows the existing decision and who made it; ' +
      'start a new discussion to revisit it). Returns {id, status, decision, decidedBy}.',
    input: z
      .object({
        discussionId,
        decision: text('What was decided'),
        reasoning: text('Why'),
        decidedBy: selfName,
        linkedTaskId: id.optional().describe('A task of this project that implements the decision.'),
      })
      .strict(),
    annotations: WRITES,
    handler: (input, { app, caller }) => app.discussions.resolve(caller, input),
  }),
  defineTool({
    name: 'discussion_get',
    title: 'Read a discussion',
    description:
      'Returns one discussion with all its messages, oldest first, and its decision if resolved. Call it ' +
      'when your inbox or `pending` names a discussion, then answer with discussion_reply or ' +
      'discussion_resolve. Errors: NOT_FOUND.',
    input: z.object({ discussionId }).strict(),
    annotations: READ_ONLY,
    handler: (input, { app, caller }) => app.discussions.get(caller, input.discussionId),
  }),
  defineTool({
    name: 'discussion_list',
    title: 'List discussions',
    description:
      'Lists discussions of the project, most recently active first, without their messages. Archived ' +
      'ones appear only with status "archived". Filter by status, category and waitingOn; page with ' +
      'offset while `more` is true. For what waits on you, discussion_inbox is shorter. Returns ' +
      '{discussions: [{id, topic, category, priority, status, author, waitingOn?, updatedAt}], more}.',
    input: z
      .object({
        status: z.enum(DISCUSSION_STATUSES).optional(),
        category: z.enum(DISCUSSION_CATEGORIES).optional(),
        waitingOn: agentName.optional(),
        projectRoot,
        limit: z.number().int().min(1).max(DISCUSSION_LIST_MAX).optional().describe(`Default ${DISCUSSION_LIST_DEFAULT}.`),
        offset: z.number().int().min(0).optional(),
      })
      .strict(),
    annotations: READ_ONLY,
    handler: (input, { app, caller }) => app.discussions.list(caller, input),
  }),
  defineTool({
    name: 'discussion_inbox',
    title: 'Discussions waiting on me',
    description:
      'Lists the open discussions waiting on an agent (default: you), blocking and high priority first. ' +
      'Call it when `pending` lists discussions or before picking new work; answer each with ' +
      'discussion_get then discussion_reply or discussion_resolve. Errors: IDENTITY_REQUIRED. Returns ' +
      '{agent, discussions: [...], more}.',
    input: z
      .object({ agent: selfName, projectRoot })
      .strict(),
    annotations: READ_ONLY,
    handler: (input, { app, caller }) => app.discussions.inbox(caller, input.agent),
  }),
  defineTool({
    name: 'discussion_archive',
    title: 'Archive a discussion',
    description:
      'Moves a discussion out of lists and inboxes, whatever its status; it can no longer be answered. ' +
      'Archiving an archived discussion changes nothing. Archived discussions are deleted later by ' +
      'discussion_cleanup. Errors: NOT_FOUND. Returns {id, status}.',
    input: z.object({ discussionId }).strict(),
    annotations: IDEMPOTENT_WRITE,
    handler: (input, { app, caller }) => app.discussions.archive(caller, input.discussionId),
  }),
  defineTool({
    name: 'discussion_cleanup',
    title: 'Clean up old discussions',
    description:
      'Housekeeping: archives resolved discussions inactive for `archiveOlderThanDays` (default 7) and ' +
      'permanently deletes, with their messages, discussions archived more than `deleteOlderThanDays` ' +
      '(default 30) ago. Open discussions are never touched. Returns {archived, deleted} counts.',
    input: z
      .object({ archiveOlderThanDays: days(7), deleteOlderThanDays: days(30), projectRoot })
      .strict(),
    annotations: DESTRUCTIVE,
    handler: (input, { app, caller }) => app.discussions.cleanup(caller, input),
  }),
];
