// Where a project's implementer worktrees live and which branch their work lands on, from the
// repository's `.lockstep/config.json` (read fresh each time) and the server's data directory; and the
// path policy those worktrees widen in strict mode.

import { createHash } from 'node:crypto';
import { basename, join, resolve } from 'node:path';
import type { Git } from '../../git/exec.js';
import { resolveTargetBranch } from '../../git/target.js';
import type { WorktreeInfo } from '../../git/worktree-list.js';
import type { Config } from '../config.js';
import { isInside, projectPathPolicy, realpathAllowMissing, type PathPolicy } from '../policy/paths.js';
import type { Project } from './context.js';
import { DomainError, isDomainError } from '../core/errors.js';
import { guardUnapproved, readApprovedProjectConfig } from './config-approval.js';
import { PROJECT_CONFIG_FILE } from './project-config.js';
import { isGitInternal, isProjectConfig, protectedPathsOf } from './protected-paths.js';

export interface WorktreeSettings {
  /** Local branch approved work lands on. */
  target: string;
  /** Absolute directory holding `<name>` worktrees. */
  worktreeRoot: string;
  verifyCommand?: string;
  gateCommand?: string;
  /** The shared remote (URL, or absolute path) remote implementers push to; absent in local mode. */
  remote?: string;
}

/**
 * Outside the repository by default, so the human's checkout never sees them; named after the
 * repository plus a hash of the project id, so two repositories with one basename never share it.
 */
export function defaultWorktreeRoot(dataDir: string, project: Project): string {
  const hash = createHash('sha256').update(project.id).digest('hex').slice(0, 8);
  return join(dataDir, 'worktrees', `${basename(project.root)}-${hash}`);
}

function worktreeRootOf(dataDir: string, project: Project, configured: string | undefined): string {
  return configured === undefined ? defaultWorktreeRoot(dataDir, project) : resolve(project.root, configured);
}

/**
 * The one place a project's worktree settings are read. `worktrees` is the repository's listing for
 * this call (main working tree first): with no targetBranch configured, the main checkout's branch is it.
 */
export async function readWorktreeSettings(
  git: Git,
  config: Pick<Config, 'mode' | 'dataDir'>,
  project: Project,
  worktrees: readonly WorktreeInfo[],
): Promise<WorktreeSettings> {
  const { config: projectConfig, unapproved } = await readApprovedProjectConfig(config.dataDir, project);
  const settings = {
    target: await resolveTargetBranch(git, worktrees, projectConfig.targetBranch),
    worktreeRoot: await checkedWorktreeRoot(config, project, projectConfig.worktreeRoot),
    ...(projectConfig.verifyCommand !== undefined && { verifyCommand: projectConfig.verifyCommand }),
    ...(projectConfig.gateCommand !== undefined && { gateCommand: projectConfig.gateCommand }),
    ...(projectConfig.remote !== undefined && { remote: remoteLocation(project, projectConfig.remote) }),
  };
  return guardUnapproved(settings, unapproved, config.dataDir, project);
}

/** A relative path (`../shared.git`) is from the repository root; URLs and absolute paths stay as written. */
function remoteLocation(project: Project, remote: string): string {
  return remote.startsWith('./') || remote.startsWith('../') ? resolve(project.root, remote) : remote;
}

/**
 * The policy of file_* and command cwd for a project: strict mode adds its worktree root, so an
 * implementer can work in its own worktree (outside the project by default). A broken config, or a
 * worktreeRoot no human has approved, counts as unset here, so the file tools keep working meanwhile.
 */
export async function pathPolicyFor(config: Pick<Config, 'mode' | 'roots' | 'dataDir' | 'dbPath'>, project: Project): Promise<PathPolicy> {
  if (config.mode !== 'strict') return projectPathPolicy(config, project.root);
  const configured = await readApprovedProjectConfig(config.dataDir, project).then((approved) => approved.config.worktreeRoot, () => undefined);
  const worktreeRoot = await confinedWorktreeRoot(config.dataDir, project, configured);
  return projectPathPolicy(config, project.root, worktreeRoot === undefined ? [] : [worktreeRoot]);
}

/**
 * In strict mode the worktree root widens what agents may touch, and an agent may have written the
 * config itself (a program it runs is not confined): a root that is neither inside the repository nor
 * the project's own folder is refused rather than honoured.
 */
async function checkedWorktreeRoot(config: Pick<Config, 'mode' | 'dataDir'>, project: Project, configured: string | undefined): Promise<string> {
  if (config.mode !== 'strict') return worktreeRootOf(config.dataDir, project, configured);
  const root = await confinedWorktreeRoot(config.dataDir, project, configured);
  if (root !== undefined) return root;
  const file = join(project.root, PROJECT_CONFIG_FILE);
  const ownFolder = defaultWorktreeRoot(config.dataDir, project);
  throw new DomainError(
    'CONFIG_INVALID',
    `${file}: worktreeRoot ${configured} must lie inside the repository or be the project's own folder (${ownFolder}) in strict mode`,
    `Ask the human to move worktreeRoot in ${file} inside the repository (not .git or .lockstep), or to remove it for the default.`,
    { file, worktreeRoot: configured },
  );
}

/**
 * The worktree root when it really lies (symlinks followed) inside the project's own default folder, or
 * inside the repository but outside its git and config folders. Never the data directory as such: it
 * holds the store and every other project's worktrees and artifacts.
 */
async function confinedWorktreeRoot(dataDir: string, project: Project, configured: string | undefined): Promise<string | undefined> {
  const root = worktreeRootOf(dataDir, project, configured);
  try {
    const real = await realpathAllowMissing(root);
    if (isInside(real, await realpathAllowMissing(defaultWorktreeRoot(dataDir, project)))) return root;
    if (!isInside(real, await realpathAllowMissing(project.root))) return undefined;
    const paths = await protectedPathsOf(project);
    return isGitInternal(real, paths) || isProjectConfig(real, paths) ? undefined : root;
  } catch (error) {
    if (isDomainError(error)) return undefined;
    throw error;
  }
}
