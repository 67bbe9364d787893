// A landing that changes anything under `.lockstep/` changes the human's project configuration, so
// worktree_status, worktree_diff and the landing result call it out for the reviewer; the risky settings
// it sets still wait for a human's approval (config-approval.ts) before they take effect.

import { changedPathsUnder } from '../../git/diff.js';
import type { Git } from '../../git/exec.js';

const PROJECT_CONFIG_DIR = '.lockstep';

export interface ProjectConfigCallout {
  /** Repository paths under .lockstep/ that the landing changes; absent when there are none. */
  touchesProjectConfig?: string[];
}

/** From paths git already listed (a diff stat): no extra git call. */
export function projectConfigCallout(paths: readonly string[]): ProjectConfigCallout {
  // The folder itself too: a branch may turn `.lockstep` into a symlink to a folder it controls.
  const touched = paths.filter((path) => path === PROJECT_CONFIG_DIR || path.startsWith(`${PROJECT_CONFIG_DIR}/`));
  return touched.length > 0 ? { touchesProjectConfig: touched } : {};
}

/** What a change from `from` to `to` does under .lockstep/, asked of git (one `diff --name-only`). */
export async function projectConfigCalloutBetween(git: Git, from: string, to: string): Promise<ProjectConfigCallout> {
  return projectConfigCallout(await changedPathsUnder(git, from, to, PROJECT_CONFIG_DIR));
}
