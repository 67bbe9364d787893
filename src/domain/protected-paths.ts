// Places the file tools never touch whatever the roots allow: git's own directories, whose config and
// hooks run code in every later git command (ours and the human's), and in strict mode the project
// configuration, which decides what agents may touch. Both are compared as real paths, after symlinks.

import { dirname, join, sep } from 'node:path';
import { GitCommandError, openGit } from '../../git/exec.js';
import { gitCommonDir } from '../../git/project-root.js';
import { DomainError } from '../core/errors.js';
import { isInside, realpathAllowMissing } from '../policy/paths.js';
import type { Project } from './context.js';
import { PROJECT_CONFIG_FILE } from './project-config.js';

export interface ProtectedPaths {
  /** Real path of the project's common git dir, which also holds every linked worktree's gitdir. */
  gitDirs: readonly string[];
  /** Real paths of the config folder and of the config file (either may be a symlink elsewhere). */
  config: readonly string[];
}

export type Access = 'read' | 'write';

/** Derived from facts each call: git's own answer for the common dir, the config's real location. */
export async function protectedPathsOf(project: Project): Promise<ProtectedPaths> {
  const commonDir = await gitCommonDir(openGit(project.root)).catch((error: unknown) => {
    if (error instanceof GitCommandError) return undefined; // a project outside git has no git dir
    throw error;
  });
  const configPlaces = [dirname(PROJECT_CONFIG_FILE), PROJECT_CONFIG_FILE].map((place) => join(project.root, place));
  const [gitDirs, config] = await Promise.all([
    Promise.all(commonDir === undefined ? [] : [realpathAllowMissing(commonDir)]),
    Promise.all(configPlaces.map((place) => realpathAllowMissing(place))),
  ]);
  return { gitDirs, config };
}

/**
 * A `.git` entry in any segment (a main checkout's directory, a linked worktree's pointer file, another
 * repository's) or anything inside the common dir.
 */
export function isGitInternal(real: string, paths: Pick<ProtectedPaths, 'gitDirs'>): boolean {
  return real.split(sep).includes('.git') || paths.gitDirs.some((dir) => isInside(real, dir));
}

export function isProjectConfig(real: string, paths: Pick<ProtectedPaths, 'config'>): boolean {
  return paths.config.some((place) => isInside(real, place));
}

/**
 * Git internals: never written, and not read in strict mode. The project config: not written in strict
 * mode, where it is the human's.
 */
export function refuseProtected(real: string, display: string, paths: ProtectedPaths, access: Access, strict: boolean): void {
  if ((access === 'write' || strict) && isGitInternal(real, paths)) {
    throw new DomainError(
      'PATH_PROTECTED',
      `${display} resolves to ${real}, inside a git directory`,
      'Leave git internals alone: change the repository with plain git commands (commit, branch) in your worktree.',
      { path: real },
    );
  }
  if (access === 'write' && strict && isProjectConfig(real, paths)) {
    throw new DomainError(
      'CONFIG_PROTECTED',
      `${display} resolves to ${real}, the project configuration a human owns`,
      'Leave .lockstep/ alone; ask the human (or the planner, via note_append) to change the project configuration.',
      { path: real },
    );
  }
}
