// Which configuration files a command works on, from the home directory, Codex's home and the project
// root — all parameters, so tests run against a temporary HOME.

import { join } from 'node:path';
import { claudeTarget } from './claude-config.js';
import type { ConfigTarget, Scope } from './client-config.js';
import { codexTarget } from './codex-config.js';

export interface Locations {
  home: string;
  /** Codex reads $CODEX_HOME/config.toml, default ~/.codex. */
  codexHome: string;
  /** The main working tree of the current project (project-scope .mcp.json lives there). */
  projectRoot: string;
}

export function locationsFor(home: string, projectRoot: string, env: NodeJS.ProcessEnv = {}): Locations {
  return { home, codexHome: env.CODEX_HOME || join(home, '.codex'), projectRoot };
}

export interface TargetChoice {
  claude: boolean;
  codex: boolean;
  /** Claude Code only: Codex has one, user-level, file. */
  scope: Scope;
}

export function chosenTargets(locations: Locations, choice: TargetChoice): ConfigTarget[] {
  return [...(choice.claude ? [claudeTarget(choice.scope, locations)] : []), ...(choice.codex ? [codexTarget(locations)] : [])];
}

/** Every place an entry of ours can be: what status inspects. */
export function everyTarget(locations: Locations): ConfigTarget[] {
  return [claudeTarget('user', locations), claudeTarget('project', locations), codexTarget(locations)];
}
