// The discussion tools: questions between agents that wait on someone and end in a recorded decision.

import * as z from 'zod';
import { DISCUSSION_LIST_MAX } from '../../domain/discussions.js';
import { DISCUSSION_CATEGORIES, DISCUSSION_PRIORITIES, DISCUSSION_STATUSES } from '../../core/vocabulary.js';
import { defineTool, DESTRUCTIVE, IDEMPOTENT_WRITE, READ_ONLY, WRITES } from '../define.js';
import { agentName, projectRoot } from '../params.js';
import { selfName } from '../self-name.js';

const TEXT_MAX = 8_192;
const id = z.coerce.number().int().positive();
const text = z.string().min(1).max(TEXT_MAX);
const days = z.number().min(0).optional();

export const discussionTools = [
  defineTool({
    name: 'discussion_start',
    title: 'Start a discussion',
    description: 'Ask waitingOn a question to decide.',
    input: z
      .object({
        topic: z.string().min(1).max(200),
        message: text,
        author: selfName,
        category: z.enum(DISCUSSION_CATEGORIES).optional(),
        priority: z.enum(DISCUSSION_PRIORITIES).optional(),
        waitingOn: agentName.optional(),
        projectRoot,
      })
      .strict(),
    annotations: WRITES,
    handler: (input, { app, caller }) => app.discussions.start(caller, input),
  }),
  defineTool({
    name: 'discussion_reply',
    title: 'Reply to a discussion',
    description: 'Answer a discussion; passes the turn.',
    input: z
      .object({
        discussionId: id,
        message: text,
        author: selfName,
        recommendation: text.optional(),
        waitingOn: agentName.optional(),
      })
      .strict(),
    annotations: WRITES,
    handler: (input, { app, caller }) => app.discussions.reply(caller, input),
  }),
  defineTool({
    name: 'discussion_resolve',
    title: 'Record the decision',
    description: 'Close with decision and reasoning.',
    input: z
      .object({
        discussionId: id,
        decision: text,
        reasoning: text,
        decidedBy: selfName,
        linkedTaskId: id.optional(),
      })
      .strict(),
    annotations: WRITES,
    handler: (input, { app, caller }) => app.discussions.resolve(caller, input),
  }),
  defineTool({
    name: 'discussion_get',
    title: 'Read a discussion',
    description: 'A discussion with its messages.',
    input: z.object({ discussionId: id }).strict(),
    annotations: READ_ONLY,
    handler: (input, { app, caller }) => app.discussions.get(caller, input.discussionId),
  }),
  defineTool({
    name: 'discussion_list',
    title: 'List discussions',
    description: 'Discussions, latest first.',
    input: z
      .object({
        status: z.enum(DISCUSSION_STATUSES).optional(),
        category: z.enum(DISCUSSION_CATEGORIES).optional(),
        waitingOn: agentName.optional(),
        projectRoot,
        limit: z.number().int().min(1).max(DISCUSSION_LIST_MAX).optional(),
        offset: z.number().int().min(0).optional(),
      })
      .strict(),
    annotations: READ_ONLY,
    handler: (input, { app, caller }) => app.discussions.list(caller, input),
  }),
  defineTool({
    name: 'discussion_inbox',
    title: 'Discussions waiting on me',
    description: 'Discussions waiting on you.',
    input: z
      .object({ agent: selfName, projectRoot })
      .strict(),
    annotations: READ_ONLY,
    handler: (input, { app, caller }) => app.discussions.inbox(caller, input.agent),
  }),
  defineTool({
    name: 'discussion_archive',
    title: 'Archive a discussion',
    description: 'Archive it; no more replies allowed.',
    input: z.object({ discussionId: id }).strict(),
    annotations: IDEMPOTENT_WRITE,
    handler: (input, { app, caller }) => app.discussions.archive(caller, input.discussionId),
  }),
  defineTool({
    name: 'discussion_cleanup',
    title: 'Clean up old discussions',
    description: 'Archive/delete old discussions.',
    input: z
      .object({ archiveOlderThanDays: days, deleteOlderThanDays: days, projectRoot })
      .strict(),
    annotations: DESTRUCTIVE,
    handler: (input, { app, caller }) => app.discussions.cleanup(caller, input),
  }),
];
