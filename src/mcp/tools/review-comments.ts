// Review comments: the line comments a reviewer (planner or human in the dashboard) leaves on a task's
// diff, read, answered and resolved by its owner. One tool, so agents pay for one listing entry.

import * as z from 'zod';
import { DomainError } from '../../core/errors.js';
import { defineTool, WRITES } from '../define.js';

const reviewComments = defineTool({
  name: 'review_comments',
  title: 'Read, answer or resolve line comments on a task',
  description: 'Diff line comments; planners add.',
  input: z
    .object({
      task: z.coerce.number().int().positive(),
      action: z.enum(['list', 'add', 'reply', 'resolve']).optional(),
      comment: z.coerce.number().int().positive().optional(),
      body: z.string().min(1).max(10_000).optional(),
      file: z.string().min(1).max(1_000).optional(),
      line: z.coerce.number().int().positive().optional(),
    })
    .strict(),
  annotations: WRITES,
  async handler(input, { app, caller }) {
    const action = input.action ?? 'list';
    if (action === 'list') return app.comments.list(caller, input.task);
    if (action === 'add') {
      const { file, line, body } = input;
      if (!file || !line || !body) throw missing('add needs file, line and body');
      // Agents comment on the submitted code (the new side); the dashboard also offers removed lines.
      return app.comments.add(caller, { task: input.task, file, side: 'new', line, body });
    }
    if (!input.comment) throw missing(`${action} needs comment (the thread id)`);
    if (action === 'reply') return app.comments.reply(caller, input.comment, input.body ?? missingBody());
    return app.comments.resolve(caller, input.comment);
  },
});

function missing(what: string): DomainError {
  return new DomainError('INVALID_INPUT', what, 'Call review_comments again with those fields.');
}

function missingBody(): never {
  throw missing('reply needs body');
}

export const reviewCommentTools = [reviewComments];
