// Launch family: the planner starts implementer agents (Claude Code or Codex) from inside its session.

import * as z from 'zod';
import { LAUNCHABLE_AGENTS } from '../../launch/agents.js';
import { ISOLATIONS } from '../../core/vocabulary.js';
import { defineTool, WRITES } from '../define.js';
import { projectRoot } from '../params.js';

const launchImplementer = defineTool({
  name: 'launch_implementer',
  title: 'Start a new implementer agent (planner)',
  description: 'Planner: start an implementer agent.',
  input: z
    .object({
      type: z.enum(LAUNCHABLE_AGENTS),
      name: z.string().min(1).max(64).optional(),
      isolation: z.enum(ISOLATIONS).optional(),
      arrivalTimeoutSeconds: z.number().int().min(1).max(600).optional(),
      projectRoot,
    })
    .strict(),
  annotations: { ...WRITES, openWorldHint: true },
  async handler({ projectRoot: _root, ...request }, call) {
    return { launched: await call.app.implementers.launch(call.caller, request) };
  },
});

export const launchTools = [launchImplementer];
