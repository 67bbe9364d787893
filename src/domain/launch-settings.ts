// A project's extensions to what launched implementers get (`launch` in .lockstep/config.json). They
// widen an agent's access, so they apply only once a human has approved their exact value.

import { resolve } from 'node:path';
import type { AccessExtensions } from '../launch/agent-access.js';
import { readApprovedProjectConfig, unapprovedSetting } from './config-approval.js';
import type { Project } from './context.js';

export interface LaunchSettings extends AccessExtensions {
  /** Extra variable names passed through to the agent. */
  env: string[];
  arrivalTimeoutSeconds?: number;
}

/** The approved `launch` settings (none set: the defaults); an unapproved value refuses the launch. */
export async function readLaunchSettings(dataDir: string, project: Project): Promise<LaunchSettings> {
  const { config, unapproved } = await readApprovedProjectConfig(dataDir, project);
  const pending = unapproved.find((state) => state.setting === 'launch');
  if (pending) throw unapprovedSetting(dataDir, project, pending);
  const launch = config.launch ?? {};
  return {
    env: launch.env ?? [],
    ...(launch.claudeAllowedTools && { claudeAllowedTools: launch.claudeAllowedTools }),
    ...(launch.codexWritableRoots && { codexWritableRoots: launch.codexWritableRoots.map((root) => resolve(project.root, root)) }),
    ...(launch.arrivalTimeoutSeconds !== undefined && { arrivalTimeoutSeconds: launch.arrivalTimeoutSeconds }),
  };
}
