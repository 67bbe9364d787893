// Parameters several tool families share, declared once so their validation cannot drift apart.

import * as z from 'zod';

/** A directory inside the project's repository; default: the server's working directory. */
export const projectRoot = z.string().min(1).optional();

export const agentName = z.string().min(1).max(64);
