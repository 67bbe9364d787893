// dashboard_open: the planner offers the human the browser view without handing any agent its token.

import * as z from 'zod';
import { ensureDashboard } from '../../launch/dashboard-process.js';
import { defineTool, WRITES } from '../define.js';

const dashboardOpen = defineTool({
  name: 'dashboard_open',
  title: 'Open the human dashboard',
  description:
    'Starts the browser dashboard for this store if none runs and returns its url (without the access token: ' +
    'the human gets it from `lockstep-mcp dashboard` or the browser window this opens where a display exists). Tell the human the url.',
  input: z.object({ projectRoot: z.string().min(1).optional() }).strict(),
  annotations: { ...WRITES, idempotentHint: true, openWorldHint: true },
  handler: (_input, { config, caller }) => ensureDashboard(config, caller.project.root),
});

export const dashboardTools = [dashboardOpen];
