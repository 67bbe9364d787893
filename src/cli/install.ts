// `lockstep-mcp install` and `uninstall`: adds our server (a local command, or with --remote a server
// --http elsewhere) to, or removes it from, the MCP configuration of Claude Code and Codex, and tells
// the human what changed and whether the server really answers.

import { sep } from 'node:path';
import { DomainError } from '../core/errors.js';
import { describeTarget, type Scope } from '../integration/client-config.js';
import { installServer, uninstallServer, type EntryReport, type IntegrationReport } from '../integration/installer.js';
import { remoteServer } from '../integration/remote-server.js';
import { describeEntry, isRemote, serverCommand, type ServerEntry, type ServerFlags } from '../integration/server-entry.js';
import { chosenTargets, type TargetChoice } from '../integration/targets.js';
import { currentLocations, FAILED, OK, say, shortPath } from './output.js';

export interface ClientFlags {
  all?: boolean;
  claude?: boolean;
  codex?: boolean;
  scope?: unknown;
}

export interface RemoteFlags {
  remote?: unknown;
  tokenEnv?: unknown;
  insecure?: boolean;
}

export async function runInstall(flags: ClientFlags & ServerFlags & RemoteFlags, cliFile: string): Promise<void> {
  const locations = await currentLocations();
  const server = chosenServer(flags, cliFile);
  const report = await installServer(chosenTargets(locations, targetChoice(flags)), server, { cwd: locations.projectRoot, env: process.env });
  if (!printProblems(report)) return;
  for (const entry of report.entries) say(`${describeTarget(entry).padEnd(22)} ${changeText(entry)}`);
  if (!isRemote(server) && cliFile.includes(`${sep}_npx${sep}`)) {
    say(`Note: ${cliFile} is in npx's temporary cache, which npm may clean; install lockstep-mcp globally for a lasting path.`);
  }
  const probe = report.entries[0]?.probe;
  if (probe?.ok) {
    say(`${OK} The server ${isRemote(server) ? 'is reached and' : 'starts and'} answers tools/list (${probe.tools} tools): ${describeEntry(server)}`);
    say(`Restart Claude Code / Codex so they load it${isRemote(server) ? `, with $${server.tokenEnv} set in their environment` : ''}. Then, in your project: lockstep-mcp init`);
  } else if (probe) {
    say(`${FAILED} The configured ${isRemote(server) ? 'server' : 'command'} does not answer: ${probe.error}`);
    process.exitCode = 1;
  }
}

function chosenServer(flags: ServerFlags & RemoteFlags, cliFile: string): ServerEntry {
  if (flags.remote !== undefined) return remoteEntry(flags);
  if (flags.tokenEnv !== undefined || flags.insecure) {
    throw new DomainError('INVALID_INPUT', '--token-env and --insecure go with --remote', 'Add --remote URL, or drop them for a local server.');
  }
  return serverCommand(cliFile, flags, process.cwd());
}

/** The server flags configure a local server: a remote one has its own command line. */
function remoteEntry(flags: ServerFlags & RemoteFlags): ServerEntry {
  const local = (['mode', 'roots', 'storage', 'dbPath', 'databaseUrl', 'commandMode', 'commandAllow'] as const).filter((key) => flags[key] !== undefined);
  if (local.length > 0) {
    throw new DomainError('INVALID_INPUT', `--${local[0]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} configures a local server, not --remote`, 'Give server flags on the remote machine\'s server --http command line.');
  }
  if (flags.tokenEnv === undefined || typeof flags.tokenEnv === 'boolean') {
    throw new DomainError('INVALID_INPUT', 'install --remote needs --token-env VAR', 'Put the token (lockstep-mcp token create) in a variable and name it: --token-env LOCKSTEP_TOKEN');
  }
  return remoteServer(String(flags.remote), String(flags.tokenEnv), { insecure: flags.insecure === true });
}

export async function runUninstall(flags: ClientFlags): Promise<void> {
  const report = await uninstallServer(chosenTargets(await currentLocations(), targetChoice(flags)));
  if (!printProblems(report)) return;
  for (const entry of report.entries) say(`${describeTarget(entry).padEnd(22)} ${changeText(entry)}`);
}

/** No client flag means both clients, as --all does. */
function targetChoice(flags: ClientFlags): TargetChoice {
  const scope = flags.scope ?? 'user';
  if (scope !== 'user' && scope !== 'project') {
    throw new DomainError('INVALID_INPUT', `--scope must be "user" or "project", not "${String(scope)}"`);
  }
  const everything = flags.all || (!flags.claude && !flags.codex);
  return { claude: everything || flags.claude === true, codex: everything || flags.codex === true, scope: scope as Scope };
}

function changeText(entry: EntryReport): string {
  const file = shortPath(entry.file);
  const backup = entry.backup ? ` (previous version kept in ${shortPath(entry.backup)})` : '';
  switch (entry.change) {
    case 'added':
      return `added to ${file}${backup}`;
    case 'updated':
      return `updated in ${file}${backup}`;
    case 'unchanged':
      return `already in ${file}, nothing to change`;
    case 'removed':
      return `${entry.fileDeleted ? `removed, and ${file} deleted as it held nothing else` : `removed from ${file}`}${backup}`;
    case 'absent':
      return `not in ${file}, nothing to remove`;
  }
}

/** True when there are none; otherwise prints them and marks the command failed. */
function printProblems(report: IntegrationReport): boolean {
  if (report.problems.length === 0) return true;
  process.stderr.write('lockstep-mcp: nothing was changed, because:\n');
  for (const problem of report.problems) process.stderr.write(`  ${FAILED} ${problem.error}\n`);
  process.exitCode = 1;
  return false;
}
