#!/usr/bin/env node
// The lockstep-mcp command: a table of commands, each loaded only when it runs so that the server
// (started once per agent) never pays for the others. The only place that calls process.exit.

import { cac } from 'cac';
import { fileURLToPath } from 'node:url';
import packageJson from '../package.json' with { type: 'json' };
import { isDomainError } from './domain/errors.js';

const cli = cac('lockstep-mcp');

cli
  .command('server', 'Run the MCP server over stdio (started by Claude Code, Codex and other MCP clients)')
  .option('--mode <mode>', 'File access: open, or strict (only inside --roots)')
  .option('--roots <dirs>', 'Comma-separated directories allowed in strict mode (default: the project root)')
  .option('--storage <backend>', 'Store backend: sqlite (default) or json')
  .option('--db-path <file>', 'Store file (default: <data-dir>/coordinator.db)')
  .option('--data-dir <dir>', 'Data directory (default: ~/.lockstep-mcp/data)')
  .option('--log-dir <dir>', 'Log directory (default: ~/.lockstep-mcp/logs)')
  .option('--command-mode <mode>', 'command_run policy: open, or allowlist')
  .option('--command-allow <names>', 'Comma-separated executables allowed in allowlist mode')
  .option('--lock-lease-ms <ms>', 'How long a lock survives without activity from its owner')
  .action(async (flags: Record<string, unknown>) => {
    const { runServer } = await import('./cli/server.js');
    await runServer(flags, {
      version: packageJson.version,
      catalogFile: fileURLToPath(new URL('./tool-catalog.json', import.meta.url)),
    });
  });

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
