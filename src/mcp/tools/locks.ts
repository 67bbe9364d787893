// The lock tool family: take, release and list exclusive path locks before editing shared files.

import * as z from 'zod';
import { MAX_LOCK_WAIT_MS } from '../../domain/locks.js';
import { IDEMPOTENT_WRITE, READ_ONLY, WRITES, defineTool } from '../define.js';
import { selfName } from '../self-name.js';

const lockPath = z.string().min(1).max(1024);

export const lockTools = [
  defineTool({
    name: 'lock_acquire',
    title: 'Lock a path',
    description: 'Lock file, dir/ or glob before editing.',
    input: z
      .object({
        path: lockPath,
        owner: selfName,
        note: z.string().max(500).optional(),
        waitMs: z.number().int().min(0).max(MAX_LOCK_WAIT_MS).optional(),
      })
      .strict(),
    annotations: IDEMPOTENT_WRITE,
    handler: (input, { app, caller }) => app.locks.acquire(caller, input),
  }),
  defineTool({
    name: 'lock_release',
    title: 'Release a lock',
    description: 'Release your lock when done.',
    input: z
      .object({
        path: lockPath,
        owner: selfName,
        force: z.boolean().optional(),
      })
      .strict(),
    annotations: WRITES,
    handler: (input, { app, caller }) => app.locks.release(caller, input),
  }),
  defineTool({
    name: 'lock_list',
    title: 'List locks',
    description: 'Who holds which path, until when.',
    input: z
      .object({
        status: z.enum(['active', 'resolved']).optional(),
        owner: z.string().min(1).max(100).optional(),
        limit: z.number().int().min(1).max(200).optional(),
      })
      .strict(),
    annotations: READ_ONLY,
    handler: async (input, { app, caller }) => ({ locks: await app.locks.list(caller, input) }),
  }),
];
