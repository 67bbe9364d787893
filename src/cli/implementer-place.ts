// Where `lockstep-mcp tmux` / `macos` put their implementer: its own worktree (created or resumed, as
// launch_implementer does), with the access and server a launched implementer gets there.

import { loadConfig } from '../config.js';
import { createApp } from '../domain/app.js';
import { commitPaths, launchedServerEntry } from '../domain/implementer-launch.js';
import { readLaunchSettings } from '../domain/launch-settings.js';
import type { ImplementerPlace } from '../launch/session-plan.js';

export async function implementerPlace(repo: string, name: string, cliFile: string): Promise<ImplementerPlace> {
  const config = loadConfig({}, process.env, repo);
  const app = await createApp(config, { cliFile });
  try {
    const project = { id: repo, root: repo };
    const extensions = await readLaunchSettings(config.dataDir, project);
    const { path, branch } = await app.worktrees.ensure({ project }, name);
    const paths = (await commitPaths(path, branch))!;
    return { name, worktree: { path, branch }, paths, server: launchedServerEntry(cliFile, config), extensions };
  } finally {
    app.close();
  }
}
