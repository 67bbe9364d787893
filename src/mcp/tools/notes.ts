// The note tools: short messages between agents, broadcast or addressed, read once through a cursor.

import * as z from 'zod';
import { NOTE_LIST_MAX, NOTE_MAX_BYTES } from '../../domain/notes.js';
import { defineTool, WRITES } from '../define.js';
import { agentName } from '../params.js';
import { selfName } from '../self-name.js';

export const noteTools = [
  defineTool({
    name: 'note_append',
    title: 'Write a note',
    description: 'Note to all, or to one agent.',
    input: z
      .object({
        text: z.string().min(1).max(NOTE_MAX_BYTES),
        author: selfName,
        to: agentName.optional(),
      })
      .strict(),
    annotations: WRITES,
    handler: (input, { app, caller }) => app.notes.append(caller, input),
  }),
  defineTool({
    name: 'note_list',
    title: 'Read notes',
    description: 'Your unread notes; marks them read.',
    input: z
      .object({
        limit: z.number().int().min(1).max(NOTE_LIST_MAX).optional(),
        since: z.coerce.number().int().min(0).optional(),
        from: agentName.optional(),
        to: agentName.optional(),
      })
      .strict(),
    // Not read-only: reading moves the caller's stored read position.
    annotations: WRITES,
    handler: (input, { app, caller }) => app.notes.list(caller, input),
  }),
];
