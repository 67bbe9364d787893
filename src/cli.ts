#!/usr/bin/env node
// The lockstep-mcp command: a table of commands, each loaded only when it runs so that the server
// (started once per agent) never pays for the others. The only place that calls process.exit.

import { cac } from 'cac';
import { fileURLToPath } from 'node:url';
import packageJson from '../package.json' with { type: 'json' };
import { isDomainError } from './core/errors.js';

const cli = cac('lockstep-mcp');

/** The server settings an installed entry can carry, shared by `server` and `install`. */
function withServerSettings<T extends ReturnType<typeof cli.command>>(command: T): T {
  return command
    .option('--mode <mode>', 'File access: open, or strict (only inside --roots)')
    .option('--roots <dirs>', 'Comma-separated directories allowed in strict mode (default: the project root)')
    .option('--storage <backend>', 'Store backend: sqlite (default), json, or postgres (team store, with --database-url)')
    .option('--db-path <file>', 'Store file (default: <data-dir>/coordinator.db)')
    .option('--database-url <url>', 'With --storage postgres: postgres://user@host:5432/db (password in PGPASSWORD or ~/.pgpass)')
    .option('--command-mode <mode>', 'command_run policy: open, or allowlist')
    .option('--command-allow <names>', 'Comma-separated executables allowed in allowlist mode') as T;
}

/** Our own built entry: what an installed client entry runs, by absolute path. */
const CLI_FILE = fileURLToPath(new URL('./cli.js', import.meta.url));

withServerSettings(cli.command('server', 'Run the MCP server over stdio (started by Claude Code, Codex and other MCP clients)'))
  .option('--data-dir <dir>', 'Data directory (default: ~/.lockstep-mcp/data)')
  .option('--log-dir <dir>', 'Log directory (default: ~/.lockstep-mcp/logs)')
  .option('--lock-lease-ms <ms>', 'How long a lock survives without activity from its owner')
  .option('--host-id <name>', 'This machine\'s name in agent and lock rows (default: the host name)')
  .option('--http', 'Serve MCP over Streamable HTTP at /mcp instead of stdio (remote agents, with tokens)')
  .option('--host <address>', 'HTTP: address to listen on (default 127.0.0.1; anything else needs a token and warns)')
  .option('--port <port>', 'HTTP: port (default 8788)')
  .option('--tls-cert <file>', 'HTTP: serve HTTPS with this PEM certificate (with --tls-key)')
  .option('--tls-key <file>', 'HTTP: the PEM private key of --tls-cert')
  .option('--allowed-hosts <hosts>', 'HTTP: more Host values to accept, comma-separated (e.g. a reverse proxy\'s name)')
  .option('--allowed-origins <origins>', 'HTTP: browser Origins to accept, comma-separated (default: none but our own)')
  .option('--no-auth', 'HTTP on loopback only: accept requests without a token (conformance tests)')
  .option('--session-idle <duration>', 'HTTP: close an MCP session after this long without a request (default 30m)')
  .option('--serve <dirs>', 'HTTP: also serve these repositories, comma-separated (default: only the current one)')
  .action(async (flags: Record<string, unknown>) => {
    const { runServer } = await import('./cli/server.js');
    await runServer(flags, {
      version: packageJson.version,
      catalogFile: fileURLToPath(new URL('./tool-catalog.json', import.meta.url)),
      handshakeFile: fileURLToPath(new URL('./handshake.json', import.meta.url)),
      cliFile: CLI_FILE,
    });
  });

/** Which clients install and uninstall touch. */
function withClientChoice<T extends ReturnType<typeof cli.command>>(command: T): T {
  return command
    .option('--all', 'Claude Code and Codex (the default when no client is named)')
    .option('--claude', 'Claude Code only')
    .option('--codex', 'Codex only')
    .option('--scope <scope>', 'Claude Code: user (~/.claude.json, default) or project (.mcp.json at the project root)') as T;
}

withClientChoice(withServerSettings(cli.command('install', 'Add the lockstep server to Claude Code and/or Codex, then check that it answers')))
  .option('--remote <url>', 'A server --http elsewhere: write its URL instead of a local command')
  .option('--token-env <var>', 'With --remote: the environment variable the clients read the token from (only its name is written)')
  .option('--insecure', 'With --remote: allow plain http to a host that is not loopback (the token crosses the network in clear)')
  .action(async (flags: Record<string, unknown>) => {
    const { runInstall } = await import('./cli/install.js');
    await runInstall(flags, CLI_FILE);
  });

withClientChoice(cli.command('uninstall', 'Remove the lockstep server from Claude Code and/or Codex, leaving everything else'))
  .action(async (flags: Record<string, unknown>) => {
    const { runUninstall } = await import('./cli/install.js');
    await runUninstall(flags);
  });

cli.command('init', 'Enable coordination in this project: write agent instructions into CLAUDE.md and AGENTS.md').action(async () => {
  const { runEnable } = await import('./cli/project.js');
  await runEnable();
});

cli.command('enable', 'Turn coordination back on in this project (restores the agent instructions)').action(async () => {
  const { runEnable } = await import('./cli/project.js');
  await runEnable();
});

cli.command('disable', 'Turn coordination off in this project (removes the agent instructions)').action(async () => {
  const { runDisable } = await import('./cli/project.js');
  await runDisable();
});

cli
  .command('status', 'Show whether the server is installed and answers, and the state of this project')
  .option('--json', 'Print one JSON object (for scripts)')
  .option('--storage <backend>', 'Store backend to read (as for server)')
  .option('--db-path <file>', 'Store file to read (as for server)')
  .option('--database-url <url>', 'PostgreSQL database (as for server)')
  .option('--data-dir <dir>', 'Data directory (as for server)')
  .action(async (flags: Record<string, unknown>) => {
    const { runStatus } = await import('./cli/status.js');
    await runStatus(flags);
  });

cli
  .command('config <action> [...settings]', 'Project settings that run commands or move code: status, approve (asks at the terminal), revoke [setting...]')
  .option('--project <dir>', 'The repository (default: the current directory)')
  .option('--data-dir <dir>', 'Data directory where approvals are kept (as for server)')
  .action(async (action: string, settings: string[], flags: Record<string, unknown>) => {
    const { runConfig } = await import('./cli/config.js');
    await runConfig(action, settings, flags);
  });

cli
  .command('dashboard', 'Serve the human dashboard (every project of the store) and print its URL with the access token')
  .option('--host <host>', 'Address to listen on (default: 127.0.0.1; anything else is reachable from elsewhere)')
  .option('--port <port>', 'Port (default: any free one); an explicit port may start a second dashboard on the store')
  .option('--open', 'Open a browser (default when run in a terminal)')
  .option('--no-open', 'Do not open a browser')
  .option('--storage <backend>', 'Store backend (as for server)')
  .option('--db-path <file>', 'Store file (as for server)')
  .option('--database-url <url>', 'PostgreSQL database (as for server)')
  .option('--data-dir <dir>', 'Data directory (as for server)')
  .action(async (flags: Record<string, unknown>) => {
    const { runDashboard } = await import('./cli/dashboard.js');
    await runDashboard(flags);
  });

cli
  .command('demo', 'See it work: a scratch repository, the dashboard, and a scripted planner and three implementers')
  .option('--fast', 'No pauses, and stop when the story ends (instead of keeping the dashboard up)')
  .option('--stay', 'With --fast: keep the dashboard up until Ctrl-C all the same')
  .option('--no-open', 'Do not open a browser (the URL is printed either way)')
  .option('--dir <dir>', 'Make the scratch repository in this new or empty directory (default: a temporary one)')
  .action(async (flags: Record<string, unknown>) => {
    const { runDemoCommand } = await import('./cli/demo.js');
    await runDemoCommand(flags, { cliFile: CLI_FILE });
  });

cli
  .command('planner <action> <name>', 'planner admit NAME: let one more planner join this project (or take over a dead planner\'s name)')
  .option('--project <dir>', 'A directory in the project (default: the current directory)')
  .option('--storage <backend>', 'Store backend (as for server)')
  .option('--db-path <file>', 'Store file (as for server)')
  .option('--database-url <url>', 'PostgreSQL database (as for server)')
  .option('--data-dir <dir>', 'Data directory (as for server)')
  .action(async (action: string, name: string, flags: Record<string, unknown>) => {
    if (action !== 'admit') throw new Error(`unknown planner action "${action}"; the only one is: planner admit NAME`);
    const { runPlannerAdmit } = await import('./cli/planner.js');
    await runPlannerAdmit(name, flags);
  });

cli
  .command('token <action> [name]', 'Access tokens for remote agents (server --http): create --name NAME [--role R] [--expires 30d] [--project ID]..., list, revoke NAME')
  .option('--name <name>', 'create: the agent name the token binds')
  .option('--role <role>', 'create: planner or implementer (default implementer)')
  .option('--expires <duration>', 'create: lifetime such as 30d, 12h or 90m (default: never)')
  .option('--project <id>', 'create: limit the token to this project (id, directory or shared-remote URL); repeat for more')
  .option('--storage <backend>', 'Store backend (as for server)')
  .option('--db-path <file>', 'Store file (as for server)')
  .option('--database-url <url>', 'PostgreSQL database (as for server)')
  .option('--data-dir <dir>', 'Data directory (as for server)')
  .action(async (action: string, name: string | undefined, flags: Record<string, unknown>) => {
    const { runToken } = await import('./cli/token.js');
    await runToken(action, name, flags);
  });

cli
  .command('join <url>', 'Implementer on another machine: clone the shared remote with branch lockstep/<name> checked out')
  .option('--name <name>', 'Your implementer name (branch lockstep/<name>)')
  .option('--dir <dir>', 'Where to clone (default: ./<repository>-<name>)')
  .option('--base <commit>', 'Where a new branch starts (default: the remote\'s HEAD); the claim result gives it')
  .action(async (url: string, flags: Record<string, unknown>) => {
    const { runJoin } = await import('./cli/join.js');
    await runJoin(url, flags);
  });

/** Flags both launchers share: which repository, what to start, and with which commands. */
function withLaunchSettings<T extends ReturnType<typeof cli.command>>(command: T): T {
  return command
    .option('--repo <dir>', 'The repository the agents work on (default: the current directory)')
    .option('--no-dashboard', 'Do not start the dashboard')
    .option('--no-prompts', 'Start the agents without their first message (how to join lockstep)')
    .option('--planner-command <command>', 'Planner agent command (default: claude)')
    .option('--implementer-command <command>', 'Implementer agent command (default: codex)')
    .option('--implementer-name <name>', 'Implementer name and branch lockstep/<name> (default: implementer)')
    .option('--no-worktree', 'Start the implementer in the repository instead of its own worktree')
    .option('--dashboard-command <command>', 'Dashboard command (default: lockstep-mcp dashboard)') as T;
}

const launchBuild = () => ({ cliFile: CLI_FILE });

withLaunchSettings(cli.command('tmux', 'Start a planner (Claude), an implementer (Codex) and the dashboard in a tmux session'))
  .option('--session <name>', 'tmux session name (default: lockstep)')
  .option('--layout <layout>', 'windows (one window each, default) or panes (one window, split)')
  .option('--socket <name>', 'Use the tmux server with this socket name (tmux -L)')
  .action(async (flags: Record<string, unknown>) => {
    const { runTmux } = await import('./cli/launch.js');
    await runTmux(flags, launchBuild());
  });

withLaunchSettings(cli.command('macos', 'Start a planner, an implementer and the dashboard in macOS Terminal windows')).action(
  async (flags: Record<string, unknown>) => {
    const { runMacos } = await import('./cli/launch.js');
    await runMacos(flags, launchBuild());
  },
);

cli.command('help [command]', 'Show help for all commands, or for one');

cli.help();
cli.version(packageJson.version);

/** `help` and `help <command>` read better than flags; cac answers them as `--help`. */
function helpAsFlag(argv: string[]): string[] {
  const [node, script, first, ...rest] = argv;
  return first === 'help' ? [node!, script!, ...rest, '--help'] : argv;
}

async function main(): Promise<void> {
  try {
    cli.parse(helpAsFlag(process.argv), { run: false });
    if (!cli.matchedCommand && cli.args.length > 0) {
      throw new Error(`unknown command "${cli.args[0]}"; run lockstep-mcp help`);
    }
    if (!cli.matchedCommand && !cli.options.help && !cli.options.version) {
      cli.outputHelp();
      return;
    }
    await cli.runMatchedCommand();
  } catch (error) {
    const message = isDomainError(error) ? `${error.code}: ${error.message}` : (error as Error).message;
    process.stderr.write(`lockstep-mcp: ${message}\n`);
    process.exit(1);
  }
}

await main();
