// The note tools: short messages between agents, broadcast or addressed, read once through a cursor.

import * as z from 'zod';
import { NOTE_LIST_DEFAULT, NOTE_LIST_MAX, NOTE_MAX_BYTES } from '../../domain/notes.js';
import { defineTool, WRITES } from '../define.js';
import { selfName } from '../self-name.js';

const agentName = z.string().min(1).max(64);

export const noteTools = [
  defineTool({
    name: 'note_append',
    title: 'Write a note',
    description:
      'Leaves a short note for the other agents: a broadcast, or a private note to one agent with `to` ' +
      '(only you and that agent can read it). Use it for hand-offs, heads-ups and answers that need no ' +
      'decision; for a question that needs an answer or a decision use discussion_start. Recipients see ' +
      'it in their `pending` block and read it with note_list. `author` defaults to your identity. ' +
      `Errors: INVALID_INPUT (text empty or over ${NOTE_MAX_BYTES} bytes: put long content in artifact_write), ` +
      'IDENTITY_REQUIRED (call coordination_init or pass author). Returns {id}.',
    input: z
      .object({
        text: z.string().min(1).max(NOTE_MAX_BYTES).describe(`The note, at most ${NOTE_MAX_BYTES} bytes.`),
        author: selfName,
        to: agentName.optional().describe('The one agent it is for; omit to write to everyone.'),
      })
      .strict(),
    annotations: WRITES,
    handler: (input, { app, caller }) => app.notes.append(caller, input),
  }),
  defineTool({
    name: 'note_list',
    title: 'Read notes',
    description:
      'Returns the notes you have not read yet (broadcasts and notes to you, from others), oldest first, ' +
      'and marks them read, so calling it again returns only newer notes. Call it when `pending` shows ' +
      'notes. If `more` is true, call again to continue. Pass `since` (a note id, 0 for the beginning) to ' +
      're-read history, your own notes included, without changing what counts as read. Without an identity ' +
      'it returns the latest broadcasts. Filters: `from` (author), `to` (recipient). ' +
      'Returns {notes: [{id, author, to?, text, at}], cursor, more}.',
    input: z
      .object({
        limit: z.number().int().min(1).max(NOTE_LIST_MAX).optional().describe(`At most this many notes (default ${NOTE_LIST_DEFAULT}).`),
        since: z.coerce.number().int().min(0).optional().describe('Read notes after this id; leaves your read position alone.'),
        from: agentName.optional().describe('Only notes written by this agent.'),
        to: agentName.optional().describe('Only notes addressed to this agent.'),
      })
      .strict(),
    // Not read-only: reading moves the caller's stored read position.
    annotations: WRITES,
    handler: (input, { app, caller }) => app.notes.list(caller, input),
  }),
];
