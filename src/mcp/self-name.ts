// The parameter that names the caller itself (owner, author, decidedBy, agent): kept for compatibility
// with the reference tools, it only restates the session's identity; the domain refuses any other name.

import * as z from 'zod';

export const selfName = z.string().min(1).max(64).optional();
