// `lockstep-mcp planner admit NAME`: a human lets one more planner join a project. The shell account
// running it is the proof: an agent limited to the MCP tools cannot run it.

import { mainWorktreeRoot } from '../../git/project-root.js';
import { loadConfig, type Settings } from '../config.js';
import { createApp } from '../domain/app.js';
import { say, shortPath } from './output.js';

export interface PlannerFlags extends Partial<Record<keyof Settings, unknown>> {
  project?: string;
}

export async function runPlannerAdmit(name: string, { project, ...settings }: PlannerFlags): Promise<void> {
  const root = await mainWorktreeRoot(project ?? process.cwd());
  const app = await createApp(loadConfig(settings));
  try {
    const { admitted } = await app.admissions.admitByHuman({ id: root, root }, name);
    say(`Admitted planner "${admitted}" in ${shortPath(root)}: the next coordination_init with role planner and that name may join.`);
  } finally {
    app.close();
  }
}
