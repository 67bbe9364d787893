// `lockstep-mcp install` and `uninstall`: adds our server to (or removes it from) the MCP configuration
// of Claude Code and Codex, and tells the human what changed and whether the server really answers.

import { sep } from 'node:path';
import { DomainError } from '../core/errors.js';
import { describeTarget, type Scope } from '../integration/client-config.js';
import { installServer, uninstallServer, type EntryReport, type IntegrationReport } from '../integration/installer.js';
import { serverCommand, type ServerFlags } from '../integration/server-entry.js';
import { chosenTargets, type TargetChoice } from '../integration/targets.js';
import { currentLocations, FAILED, OK, say, shortPath } from './output.js';

export interface ClientFlags {
  all?: boolean;
  claude?: boolean;
  codex?: boolean;
  scope?: unknown;
}

export async function runInstall(flags: ClientFlags & ServerFlags, cliFile: string): Promise<void> {
  const locations = await currentLocations();
  const command = serverCommand(cliFile, flags, process.cwd());
  const report = await installServer(chosenTargets(locations, targetChoice(flags)), command, { cwd: locations.projectRoot });
  if (!printProblems(report)) return;
  for (const entry of report.entries) say(`${describeTarget(entry).padEnd(22)} ${changeText(entry)}`);
  if (cliFile.includes(`${sep}_npx${sep}`)) {
    say(`Note: ${cliFile} is in npx's temporary cache, which npm may clean; install lockstep-mcp globally for a lasting path.`);
  }
  const probe = report.entries[0]?.probe;
  if (probe?.ok) {
    say(`${OK} The server starts and answers tools/list (${probe.tools} tools): ${command.command} ${command.args.join(' ')}`);
    say('Restart Claude Code / Codex so they load it. Then, in your project: lockstep-mcp init');
  } else if (probe) {
    say(`${FAILED} The configured command does not answer: ${probe.error}`);
    process.exitCode = 1;
  }
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
