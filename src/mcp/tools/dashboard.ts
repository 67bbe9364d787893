// dashboard_open: the planner offers the human the browser view without handing any agent its token.

import * as z from 'zod';
import { shownStoreLocation } from '../../config.js';
import { ensureDashboard } from '../../launch/dashboard-process.js';
import { defineTool, WRITES } from '../define.js';
import { projectRoot } from '../params.js';

const dashboardOpen = defineTool({
  name: 'dashboard_open',
  title: 'Open the human dashboard',
  // The url carries no token: the dashboard acts with a human's authority, so no agent may hold it.
  description: "Start the human's review dashboard; share its url.",
  input: z.object({ projectRoot }).strict(),
  annotations: { ...WRITES, idempotentHint: true, openWorldHint: true },
  handler: (_input, { config, caller }) => ensureDashboard({ ...config, shownLocation: shownStoreLocation(config) }, caller.project.root),
});

export const dashboardTools = [dashboardOpen];
