// The lock tool family: take, release and list exclusive path locks before editing shared files.

import * as z from 'zod';
import { MAX_LOCK_WAIT_MS } from '../../domain/locks.js';
import { IDEMPOTENT_WRITE, READ_ONLY, WRITES, defineTool } from '../define.js';
import { selfName } from '../self-name.js';

const lockPath = z
  .string()
  .min(1)
  .max(1024)
  .describe('File, directory (trailing "/") or glob ("src/api/**"), relative to the project root or absolute inside it; "." locks the whole project');

export const lockTools = [
  defineTool({
    name: 'lock_acquire',
    title: 'Lock a path',
    description:
      'Take an exclusive lock on a file, directory or glob before editing it, so no other agent edits the same files. ' +
      'A directory or glob lock also covers every path under it. Paths are normalised, so "./src/a.ts", "src/a.ts" and the absolute path are one lock. ' +
      'The lock lasts a lease (a few minutes) that every call you make renews; it is freed when you release it, when the lease runs out, or when your process exits. ' +
      'Acquiring a path you already hold just renews it. Returns {path, kind, token, expiresAt}; token is a fencing token that only ever grows. ' +
      'Errors: LOCK_HELD (another agent holds it or an overlapping path; details name the holder and until when: pass waitMs to wait, or work on something else), ' +
      'PATH_OUTSIDE_PROJECT, INVALID_INPUT (malformed glob), IDENTITY_REQUIRED. Next: edit the files, then lock_release.',
    input: z
      .object({
        path: lockPath,
        owner: selfName,
        note: z.string().max(500).optional().describe('Why you hold it, shown to other agents in lock_list'),
        waitMs: z
          .number()
          .int()
          .min(0)
          .max(MAX_LOCK_WAIT_MS)
          .optional()
          .describe('Keep trying this long (ms, max 120000) while someone else holds it; default 0 fails at once'),
      })
      .strict(),
    annotations: IDEMPOTENT_WRITE,
    handler: (input, { app, caller }) => app.locks.acquire(caller, input),
  }),
  defineTool({
    name: 'lock_release',
    title: 'Release a lock',
    description:
      'Release a lock you hold, as soon as your edits to that path are done, so other agents can take it. Give the path as you locked it (any equivalent spelling works). ' +
      'Returns {released, token}. Errors: NOT_OWNER (someone else holds it; only they may release it, or a planner with force: true), ' +
      'LOCK_NOT_HELD (no active lock on that path, e.g. its lease already ran out), ROLE_FORBIDDEN (force by a non-planner). Next: lock_list to see what you still hold.',
    input: z
      .object({
        path: lockPath,
        owner: selfName,
        force: z.boolean().optional().describe("Planners only: release another agent's lock (that agent is told it lost it)"),
      })
      .strict(),
    annotations: WRITES,
    handler: (input, { app, caller }) => app.locks.release(caller, input),
  }),
  defineTool({
    name: 'lock_list',
    title: 'List locks',
    description:
      'List locks of this project: who holds which path and until when. Default: active locks (expired or abandoned ones never show as active). ' +
      'status "resolved" lists ended locks, newest first, with their endReason. Filter by owner to see what one agent (or you) holds. ' +
      'Returns {locks: [{path, kind, owner, token, expiresAt, note?}]}. Next: lock_acquire a free path, or note_append to ask a holder.',
    input: z
      .object({
        status: z.enum(['active', 'resolved']).optional().describe('Default active'),
        owner: z.string().min(1).max(100).optional().describe('Only locks of this agent'),
        limit: z.number().int().min(1).max(200).optional().describe('Default 50'),
      })
      .strict(),
    annotations: READ_ONLY,
    handler: async (input, { app, caller }) => ({ locks: await app.locks.list(caller, input) }),
  }),
];
