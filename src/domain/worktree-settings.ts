// Where a project's implementer worktrees live and which branch their work lands on, from the
// repository's `.lockstep/config.json` (read fresh each time) and the server's data directory.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Git } from '../../git/exec.js';
import { resolveTargetBranch } from '../../git/target.js';
import type { Config } from '../config.js';
import type { Project } from './context.js';
import { PROJECT_CONFIG_FILE, readProjectConfig } from './project-config.js';

export interface WorktreeSettings {
  /** Local branch approved work lands on. */
  target: string;
  /** Absolute directory holding `<name>` worktrees. */
  worktreeRoot: string;
  verifyCommand?: string;
  gateCommand?: string;
}

/**
 * Outside the repository by default, so the human's checkout never sees them; named after the
 * repository plus a hash of the project id, so two repositories with one basename never share it.
 */
export function defaultWorktreeRoot(dataDir: string, project: Project): string {
  const hash = createHash('sha256').update(project.id).digest('hex').slice(0, 8);
  return join(dataDir, 'worktrees', `${basename(project.root)}-${hash}`);
}

export function worktreeRootOf(dataDir: string, project: Project, configured: string | undefined): string {
  return configured === undefined ? defaultWorktreeRoot(dataDir, project) : resolve(project.root, configured);
}

export async function readWorktreeSettings(git: Git, config: Pick<Config, 'dataDir'>, project: Project): Promise<WorktreeSettings> {
  const projectConfig = await readProjectConfig(project.root);
  return {
    target: await resolveTargetBranch(git, projectConfig.targetBranch),
    worktreeRoot: worktreeRootOf(config.dataDir, project, projectConfig.worktreeRoot),
    ...(projectConfig.verifyCommand !== undefined && { verifyCommand: projectConfig.verifyCommand }),
    ...(projectConfig.gateCommand !== undefined && { gateCommand: projectConfig.gateCommand }),
  };
}

/**
 * The worktree root for path policy, which runs synchronously on every file_* call: an unreadable or
 * invalid config falls back to the default root (the file tools report the config error elsewhere).
 */
export function worktreeRootForPolicy(dataDir: string, project: Project): string {
  let configured: unknown;
  try {
    configured = (JSON.parse(readFileSync(join(project.root, PROJECT_CONFIG_FILE), 'utf8')) as { worktreeRoot?: unknown }).worktreeRoot;
  } catch {
    configured = undefined;
  }
  return worktreeRootOf(dataDir, project, typeof configured === 'string' && configured.length > 0 ? configured : undefined);
}
