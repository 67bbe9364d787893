// The environment a launched agent gets: an explicit list, not whatever the launching server happened
// to inherit. A server under Codex sees only HOME, LANG, PATH, SHELL and TERM while one under Claude sees
// everything (including CLAUDECODE, which changes how a nested claude behaves), so passing the list
// below makes a launch behave the same from either.

import type { LaunchableAgent } from './agents.js';

/** What any program needs to find its files, speak the locale and reach the network through a proxy. */
const COMMON = [
  'HOME', 'PATH', 'SHELL', 'TERM', 'LANG', 'LC_ALL', 'LC_CTYPE', 'USER', 'LOGNAME', 'TZ',
  'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_STATE_HOME', 'XDG_RUNTIME_DIR',
  'HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY', 'https_proxy', 'http_proxy', 'no_proxy', 'NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE',
] as const;

/** Each CLI's own login, endpoint and privacy switches (credentials normally live under HOME instead). */
export const CLIENT_ENV: Record<LaunchableAgent, readonly string[]> = {
  claude: [
    'ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_MODEL', 'CLAUDE_CONFIG_DIR',
    'CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC', 'DISABLE_TELEMETRY', 'DISABLE_ERROR_REPORTING', 'DISABLE_AUTOUPDATER', 'ENABLE_TOOL_SEARCH',
  ],
  codex: ['CODEX_HOME', 'OPENAI_API_KEY', 'OPENAI_BASE_URL'],
};

/** Names a project may add through `launch.env`: plain variable names, and never one of ours. */
export const ENV_NAME = /^(?!LOCKSTEP_)[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The variables passed to a launched agent: COMMON, its client's list and the project's approved
 * extras, each only when set here, plus who the agent is (LOCKSTEP_AGENT_NAME, LOCKSTEP_AGENT_ROLE).
 */
export function agentEnvironment(type: LaunchableAgent, from: NodeJS.ProcessEnv, identity: { name: string }, extra: readonly string[] = []): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of [...COMMON, ...CLIENT_ENV[type], ...extra]) {
    const value = from[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, LOCKSTEP_AGENT_NAME: identity.name, LOCKSTEP_AGENT_ROLE: 'implementer' };
}
