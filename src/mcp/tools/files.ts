// The file tool family: read and write project files (file_*) and per-project artifacts (artifact_*).

import * as z from 'zod';
import { MAX_READ_BYTES } from '../../domain/files.js';
import { defineTool, READ_ONLY, WRITES } from '../define.js';

const encoding = z.enum(['utf8', 'base64']).optional();

// The file and artifact tools take the same input; only where a relative path starts differs.
const readInput = z
  .object({
    path: z.string().min(1),
    encoding,
    maxBytes: z.number().int().min(1).max(MAX_READ_BYTES).optional(),
    binary: z.boolean().optional(),
  })
  .strict();

const writeInput = z
  .object({
    path: z.string().min(1),
    content: z.string(),
    encoding,
    mode: z.enum(['overwrite', 'append']).optional(),
    createDirs: z.boolean().optional(),
  })
  .strict();

export const fileTools = [
  defineTool({
    name: 'file_read',
    title: 'Read a project file',
    description: 'Read a project file.',
    input: readInput,
    annotations: READ_ONLY,
    handler: (input, { app, caller }) => app.files.read(caller, input),
  }),
  defineTool({
    name: 'file_write',
    title: 'Write a project file',
    description: 'Write a file; lock shared ones first.',
    input: writeInput,
    annotations: WRITES,
    handler: (input, { app, caller }) => app.files.write(caller, input),
  }),
  defineTool({
    name: 'artifact_read',
    title: 'Read a project artifact',
    description: 'Read a shared artifact file.',
    input: readInput,
    annotations: READ_ONLY,
    handler: (input, { app, caller }) => app.files.readArtifact(caller, input),
  }),
  defineTool({
    name: 'artifact_write',
    title: 'Write a project artifact',
    description: 'Write an artifact (outside git).',
    input: writeInput,
    annotations: WRITES,
    handler: (input, { app, caller }) => app.files.writeArtifact(caller, input),
  }),
];
