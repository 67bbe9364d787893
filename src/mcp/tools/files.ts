// The file tool family: read and write project files (file_*) and per-project artifacts (artifact_*).

import * as z from 'zod';
import { DEFAULT_READ_BYTES, MAX_READ_BYTES, MAX_WRITE_BYTES } from '../../domain/files.js';
import { defineTool, READ_ONLY, WRITES } from '../define.js';

const encoding = z.enum(['utf8', 'base64']).optional();

function readInput(pathHelp: string) {
  return z
    .object({
      path: z.string().min(1).describe(pathHelp),
      encoding: encoding.describe('utf8 (default) or base64 for the returned content.'),
      maxBytes: z
        .number()
        .int()
        .min(1)
        .max(MAX_READ_BYTES)
        .optional()
        .describe(`Read at most this many bytes from the start (default ${DEFAULT_READ_BYTES}).`),
      binary: z.boolean().optional().describe('true: return the content as base64 (for non-text files).'),
    })
    .strict();
}

function writeInput(pathHelp: string) {
  return z
    .object({
      path: z.string().min(1).describe(pathHelp),
      content: z.string().describe(`The data, at most ${MAX_WRITE_BYTES} bytes once decoded.`),
      encoding: encoding.describe('How content is encoded: utf8 (default) or base64 for binary data.'),
      mode: z.enum(['overwrite', 'append']).optional().describe('overwrite (default, atomic) or append.'),
      createDirs: z.boolean().optional().describe('Create missing parent directories (default false).'),
    })
    .strict();
}

const PROJECT_PATH = 'File path; relative paths start at the project root.';
const ARTIFACT_PATH = 'Path inside the project\'s artifacts folder, e.g. "reports/plan.md"; no absolute paths or "..".';
const READ_RESULT =
  'Returns {path, bytes (whole file size), content, encoding?, truncated?}; truncated means only the first maxBytes came back.';

export const fileTools = [
  defineTool({
    name: 'file_read',
    title: 'Read a project file',
    description:
      `Reads a file of the project (or, in open mode, anywhere). ${READ_RESULT} In strict mode paths must stay ` +
      'inside the allowed roots after symlinks are followed. Errors: PATH_NOT_FOUND, PATH_OUTSIDE_ROOTS (use a path ' +
      'inside the roots named in the error), INVALID_INPUT (a directory or special file).',
    input: readInput(PROJECT_PATH),
    annotations: READ_ONLY,
    handler: (input, { app, caller }) => app.files.read(caller, input),
  }),
  defineTool({
    name: 'file_write',
    title: 'Write a project file',
    description:
      'Writes a file of the project: overwrite replaces it atomically (readers never see half a file), append adds to ' +
      'the end. Take lock_acquire on shared files first: a path covered by ANOTHER agent\'s lock is refused. Returns ' +
      '{path, bytes written}. Errors: LOCK_HELD (details name the holder and expiry: work elsewhere or ask them), ' +
      'PATH_NOT_FOUND (missing directory: pass createDirs true), PATH_OUTSIDE_ROOTS (strict mode), CONFIG_PROTECTED ' +
      '(strict mode: .lockstep/ is the human\'s, ask them), FILE_TOO_LARGE (split into appends), INVALID_INPUT (bad ' +
      'base64, a directory).',
    input: writeInput(PROJECT_PATH),
    annotations: WRITES,
    handler: (input, { app, caller }) => app.files.write(caller, input),
  }),
  defineTool({
    name: 'artifact_read',
    title: 'Read a project artifact',
    description:
      'Reads a file from this project\'s artifacts folder (reports, plans, logs that agents share outside the ' +
      `repository). ${READ_RESULT} Errors: PATH_NOT_FOUND (no such artifact: check the path you were given), ` +
      'PATH_OUTSIDE_ROOTS (absolute path, "..", or a symlink leading out of the folder).',
    input: readInput(ARTIFACT_PATH),
    annotations: READ_ONLY,
    handler: (input, { app, caller }) => app.files.readArtifact(caller, input),
  }),
  defineTool({
    name: 'artifact_write',
    title: 'Write a project artifact',
    description:
      'Writes a file into this project\'s artifacts folder, outside the repository, for output other agents or the ' +
      'human should see without committing it. overwrite is atomic; append adds. No locks apply. Returns {path, ' +
      'bytes}; tell others the path (note_append). Errors: PATH_OUTSIDE_ROOTS (absolute path or ".."), ' +
      'PATH_NOT_FOUND (pass createDirs true for subfolders), FILE_TOO_LARGE, INVALID_INPUT (bad base64).',
    input: writeInput(ARTIFACT_PATH),
    annotations: WRITES,
    handler: (input, { app, caller }) => app.files.writeArtifact(caller, input),
  }),
];
