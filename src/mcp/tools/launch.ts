// Launch family: the planner starts implementer agents (Claude Code or Codex) from inside its session.

import * as z from 'zod';
import { LAUNCHABLE_AGENTS } from '../../launch/agents.js';
import { ISOLATIONS } from '../../core/vocabulary.js';
import { defineTool, WRITES } from '../define.js';

const launchImplementer = defineTool({
  name: 'launch_implementer',
  title: 'Start a new implementer agent (planner)',
  description:
    'Planner only. Starts an implementer agent CLI (claude or codex) that joins this project by itself: in a new tmux ' +
    'window when a tmux server is reachable, otherwise as a background process whose output goes to a log file. ' +
    'isolation "worktree" gives it its own git worktree on branch lockstep/<name> (created or resumed); "shared" (default) ' +
    'runs it in the project root, where file locks keep agents apart. Its pid is recorded, so implementer_list shows when ' +
    'it dies. Omit name to get one generated. Errors: ROLE_FORBIDDEN, INVALID_NAME, NAME_TAKEN (a live implementer has ' +
    'that name), PROGRAM_NOT_FOUND (that CLI is not installed), WORKTREE_BLOCKED. Next: implementer_list to watch it join.',
  input: z
    .object({
      type: z.enum(LAUNCHABLE_AGENTS).describe('Which agent CLI to start.'),
      name: z.string().min(1).max(64).optional().describe('Letters, digits, "-", "_", "."; becomes its branch lockstep/<name>.'),
      isolation: z.enum(ISOLATIONS).optional().describe('shared (default): the project root; worktree: its own worktree.'),
      projectRoot: z.string().min(1).optional().describe("A directory inside the project's repository; default: the server's working directory."),
    })
    .strict(),
  annotations: { ...WRITES, openWorldHint: true },
  async handler({ projectRoot: _root, ...request }, call) {
    return { launched: await call.app.implementers.launch(call.caller, request) };
  },
});

export const launchTools = [launchImplementer];
