// Launch family: the planner starts implementer agents (Claude Code or Codex) from inside its session.

import * as z from 'zod';
import { LAUNCHABLE_AGENTS } from '../../launch/agents.js';
import { ISOLATIONS } from '../../core/vocabulary.js';
import { defineTool, WRITES } from '../define.js';

const launchImplementer = defineTool({
  name: 'launch_implementer',
  title: 'Start a new implementer agent (planner)',
  description:
    'Planner only. Starts an implementer agent CLI (claude or codex) in a new tmux window if tmux runs, else in the ' +
    'background (log file), and returns once it has joined (called coordination_init). isolation "worktree" (best for ' +
    'codex) runs it in its own worktree on branch lockstep/<name>; "shared" (default) in the project root. Omit name to ' +
    'get one. Errors: ROLE_FORBIDDEN, INVALID_NAME, NAME_TAKEN, PROGRAM_NOT_FOUND, WORKTREE_BLOCKED, CONFIG_UNAPPROVED, ' +
    'LAUNCH_FAILED (it exited or never joined: the log tail and likely cause say why). Next: implementer_list.',
  input: z
    .object({
      type: z.enum(LAUNCHABLE_AGENTS).describe('Which agent CLI to start.'),
      name: z.string().min(1).max(64).optional().describe('Letters, digits, "-", "_", "."; becomes its branch lockstep/<name>.'),
      isolation: z.enum(ISOLATIONS).optional().describe('shared (default): the project root; worktree: its own worktree.'),
      arrivalTimeoutSeconds: z.number().int().min(1).max(600).optional().describe('Wait for it to join (default 30).'),
      projectRoot: z.string().min(1).optional().describe("A directory inside the project's repository; default: the server's working directory."),
    })
    .strict(),
  annotations: { ...WRITES, openWorldHint: true },
  async handler({ projectRoot: _root, ...request }, call) {
    return { launched: await call.app.implementers.launch(call.caller, request) };
  },
});

export const launchTools = [launchImplementer];
