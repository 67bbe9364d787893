// What a launched implementer may do, per client: the least that lets it edit its worktree, commit
// there with plain git and call our tools, expressed in each CLI's own terms (Claude permission rules,
// Codex sandbox writable roots). Pure: the caller supplies the git paths and the project's extensions.

import { join } from 'node:path';
import { SERVER_ENTRY_NAME } from '../server-name.js';
import type { LaunchableAgent } from './agents.js';

/** How a launched agent starts our server: the launching server's own command and store flags. */
export interface ServerEntry {
  command: string;
  args: string[];
}

/** Where a worktree's commit writes, from `git rev-parse --git-dir --git-common-dir` in the worktree. */
export interface CommitPaths {
  /** `<repo>/.git/worktrees/<name>`: its index, HEAD and logs (the main checkout's own .git when shared). */
  gitDir: string;
  /** `<repo>/.git`. */
  commonDir: string;
  /** Its branch, e.g. lockstep/w1. */
  branch: string;
}

/** What a project's approved `.lockstep/config.json` `launch` adds to the defaults. */
export interface AccessExtensions {
  /** Claude permission rules added to --allowedTools, e.g. "Bash(npm test:*)". */
  claudeAllowedTools?: string[];
  /** Absolute directories Codex may also write. */
  codexWritableRoots?: string[];
}

/**
 * Claude: our tools, and the git subcommands an implementer's loop uses (stage, commit, inspect, merge
 * the target when told it moved). Edits come from --permission-mode acceptEdits, which covers the
 * working directory (the worktree) and nothing else; any other command is refused, not prompted.
 */
export const CLAUDE_DEFAULT_TOOLS = [
  `mcp__${SERVER_ENTRY_NAME}`,
  ...['add', 'commit', 'status', 'diff', 'log', 'show', 'restore', 'rm', 'mv', 'merge'].map((sub) => `Bash(git ${sub}:*)`),
] as const;

/**
 * Codex writes inside its workspace (the worktree) and, for a commit on its own branch, the worktree's
 * gitdir, the object store and the directories of lockstep branch refs and their reflogs. A ref is
 * updated by renaming a sibling `<ref>.lock`, and Codex's sandbox takes directories only, so the ref
 * directory `refs/heads/lockstep` (every implementer's branch) is the narrowest root that works. The
 * repository's config, hooks, other refs and packed-refs stay read-only, as do /tmp and $TMPDIR.
 */
export function codexWritableRoots(paths: CommitPaths): string[] {
  const branchDir = paths.branch.split('/').slice(0, -1);
  const roots = [join(paths.commonDir, 'objects'), join(paths.commonDir, 'refs', 'heads', ...branchDir), join(paths.commonDir, 'logs', 'refs', 'heads', ...branchDir)];
  // Shared isolation commits in the main checkout: its index and HEAD live in the common dir itself.
  return paths.gitDir === paths.commonDir ? [paths.commonDir] : [paths.gitDir, ...roots];
}

/** The options that give an agent our server, whatever the user did or did not install for that client. */
function serverOptions(type: LaunchableAgent, server: ServerEntry): string[] {
  if (type === 'claude') {
    const config = { mcpServers: { [SERVER_ENTRY_NAME]: { type: 'stdio', command: server.command, args: server.args, env: {} } } };
    return ['--mcp-config', JSON.stringify(config), '--strict-mcp-config'];
  }
  // JSON strings and arrays of strings are valid TOML values, which is how -c parses its right side.
  const key = `mcp_servers.${SERVER_ENTRY_NAME}`;
  return ['-c', `${key}.command=${JSON.stringify(server.command)}`, '-c', `${key}.args=${JSON.stringify(server.args)}`, '-c', `${key}.default_tools_approval_mode="approve"`];
}

/** Claude's permission flags, or Codex's sandbox flags, for an implementer with these commit paths. */
function accessOptions(type: LaunchableAgent, paths: CommitPaths, extensions: AccessExtensions): string[] {
  if (type === 'claude') {
    return ['--permission-mode', 'acceptEdits', '--allowedTools', [...CLAUDE_DEFAULT_TOOLS, ...(extensions.claudeAllowedTools ?? [])].join(',')];
  }
  const roots = [...codexWritableRoots(paths), ...(extensions.codexWritableRoots ?? [])];
  return [
    '--sandbox', 'workspace-write',
    '-c', `sandbox_workspace_write.writable_roots=${JSON.stringify(roots)}`,
    '-c', 'sandbox_workspace_write.exclude_slash_tmp=true',
    '-c', 'sandbox_workspace_write.exclude_tmpdir_env_var=true',
  ];
}

export interface AgentLaunch {
  type: LaunchableAgent;
  prompt: string;
  server: ServerEntry;
  paths: CommitPaths;
  extensions: AccessExtensions;
  /** Without a terminal: claude -p / codex exec. */
  headless: boolean;
}

/**
 * An implementer's access and our server as options of its CLI. Claude's --allowedTools takes several
 * words: the options end with a flag (--strict-mcp-config), so a prompt after them stays the prompt.
 */
export function implementerOptions(launch: Omit<AgentLaunch, 'prompt' | 'headless'>): string[] {
  return [...accessOptions(launch.type, launch.paths, launch.extensions), ...serverOptions(launch.type, launch.server)];
}

/** The whole argv of a launched implementer; the prompt is always the last word. */
export function implementerArgv(launch: AgentLaunch): string[] {
  const options = implementerOptions(launch);
  // Headless Claude logs every event, MCP server status included, so a failed launch can say why.
  if (launch.type === 'claude') return ['claude', ...options, ...(launch.headless ? ['-p', '--output-format', 'stream-json', '--verbose'] : []), launch.prompt];
  return ['codex', ...(launch.headless ? ['exec'] : []), ...options, launch.prompt];
}
