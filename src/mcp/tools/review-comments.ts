// Review comments: the line comments a reviewer (planner or human in the dashboard) leaves on a task's
// diff, read, answered and resolved by its owner. One tool, so agents pay for one listing entry.

import * as z from 'zod';
import { DomainError } from '../../core/errors.js';
import { defineTool, WRITES } from '../define.js';

const reviewComments = defineTool({
  name: 'review_comments',
  title: 'Read, answer or resolve line comments on a task',
  description:
    'Line comments on a task\'s diff. list (default): threads {id, file, side, line, quote, body, replies, resolved, outdated}. ' +
    'reply/resolve/reopen: comment id (+ body to reply); owner or planner. add (planner): file, side, line, quote, body. ' +
    'Errors: NOT_FOUND, NOT_OWNER, ROLE_FORBIDDEN. Next: fix the code, reply, resolve, task_submit_for_review.',
  input: z
    .object({
      task: z.coerce.number().int().positive(),
      action: z.enum(['list', 'add', 'reply', 'resolve', 'reopen']).optional(),
      comment: z.coerce.number().int().positive().optional().describe('Thread id, for reply/resolve/reopen.'),
      body: z.string().min(1).max(10_000).optional(),
      file: z.string().min(1).max(1_000).optional(),
      side: z.enum(['old', 'new']).optional(),
      line: z.coerce.number().int().positive().optional(),
      quote: z.string().max(2_000).optional(),
      open: z.boolean().optional().describe('list: unresolved threads only.'),
      projectRoot: z.string().min(1).optional(),
    })
    .strict(),
  annotations: WRITES,
  async handler(input, { app, caller }) {
    const action = input.action ?? 'list';
    if (action === 'list') return app.comments.list(caller, input.task, { open: input.open });
    if (action === 'add') {
      const { file, side, line, quote, body } = input;
      if (!file || !side || !line || quote === undefined || !body) throw missing('add needs file, side, line, quote and body');
      return app.comments.add(caller, { task: input.task, file, side, line, quote, body });
    }
    if (!input.comment) throw missing(`${action} needs comment (the thread id)`);
    if (action === 'reply') return app.comments.reply(caller, input.comment, input.body ?? missingBody());
    return app.comments.resolve(caller, input.comment, action === 'resolve');
  },
});

function missing(what: string): DomainError {
  return new DomainError('INVALID_INPUT', what, 'Call review_comments again with those fields.');
}

function missingBody(): never {
  throw missing('reply needs body');
}

export const reviewCommentTools = [reviewComments];
