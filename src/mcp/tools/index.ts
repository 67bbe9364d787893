// The registry: every tool family the server offers, in the order agents see them.

import type { ToolDefinition } from '../define.js';
import { commandTools } from './commands.js';
import { coordinationTools } from './coordination.js';
import { dashboardTools } from './dashboard.js';
import { discussionTools } from './discussions.js';
import { fileTools } from './files.js';
import { launchTools } from './launch.js';
import { lockTools } from './locks.js';
import { noteTools } from './notes.js';
import { reviewCommentTools } from './review-comments.js';
import { taskTools } from './tasks.js';
import { worktreeTools } from './worktrees.js';

export const ALL_TOOLS: readonly ToolDefinition[] = [
  ...coordinationTools,
  ...launchTools,
  ...taskTools,
  ...reviewCommentTools,
  ...lockTools,
  ...noteTools,
  ...discussionTools,
  ...fileTools,
  ...commandTools,
  ...worktreeTools,
  ...dashboardTools,
];
