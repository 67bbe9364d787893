// `lockstep-mcp status`: what a human (or, with --json, a script) needs to know to trust the set-up —
// is the server configured, does it answer, and what is going on in this project.

import { loadConfig, type Settings } from '../config.js';
import { describeTarget } from '../integration/client-config.js';
import type { RemoteFailure } from '../integration/probe.js';
import { describeEntry } from '../integration/server-entry.js';
import { collectStatus, type ClientReport, type StatusReport } from '../integration/status-report.js';
import { currentLocations, FAILED, OK, say, shortPath } from './output.js';

export interface StatusFlags extends Partial<Record<keyof Settings, unknown>> {
  json?: boolean;
}

export async function runStatus({ json, ...settings }: StatusFlags): Promise<void> {
  const report = await collectStatus(await currentLocations(), loadConfig(settings));
  say(json ? JSON.stringify(report, null, 2) : formatStatus(report));
  if (!report.ok) process.exitCode = 1;
}

export function formatStatus(report: StatusReport): string {
  const { project, store } = report;
  const tasks = Object.entries(project.tasks).filter(([, count]) => count > 0);
  const lines = [
    'Clients',
    ...report.clients.map(clientLine),
    '',
    `Project ${shortPath(project.root)}`,
    `  project id     ${project.root}${project.remotes.length > 0 ? ` (shared remote ${project.remotes.join(', ')})` : ''}`,
    `  coordination   ${project.error ? `${FAILED} ${project.error}` : coordinationText(report)}`,
    `  status         ${project.status}`,
    `  tasks          ${tasks.length > 0 ? tasks.map(([status, count]) => `${count} ${status}`).join(', ') : 'none'}`,
    `  implementers   ${project.liveImplementers.length > 0 ? `${project.liveImplementers.length} live: ${project.liveImplementers.join(', ')}` : 'none live'}`,
    `  locks held     ${project.locks}`,
    `  worktrees      ${project.worktrees} (lockstep/*)`,
    '',
    `Store ${store.backend} ${shortPath(store.path)}${store.exists ? '' : ' (not created yet: no agent has used it)'}`,
    ...(store.error ? [`  ${FAILED} ${store.error}`] : []),
  ];
  return lines.join('\n');
}

function clientLine(client: ClientReport): string {
  const [mark, state] = !client.installed && !client.error
    ? ['-', 'not installed']
    : client.answers
      ? [OK, `answers tools/list (${client.tools} tools)`]
      : [FAILED, client.installed ? (client.reason ? REMOTE_FAILURES[client.reason] : 'does not answer') : 'cannot read the file'];
  const line = `  ${mark} ${describeTarget(client).padEnd(22)} ${state.padEnd(32)} ${shortPath(client.file)}`;
  const remote = client.remote ? `\n      remote ${describeEntry(client.remote)}` : '';
  return `${line}${remote}${client.error ? `\n      ${client.error}` : ''}`;
}

const REMOTE_FAILURES: Record<RemoteFailure, string> = {
  'token-variable-missing': 'token variable not set',
  unauthorized: 'token refused (401)',
  forbidden: 'Host/Origin refused (403)',
  'not-found': 'no MCP server at that URL',
  unreachable: 'cannot connect',
  failed: 'does not answer',
};

function coordinationText({ project }: StatusReport): string {
  if (!project.enabled) return 'disabled (lockstep-mcp enable turns it on)';
  if (project.instructions.length === 0) return 'enabled, no agent instructions yet (run lockstep-mcp init)';
  return `enabled, instructions in ${project.instructions.join(' and ')}`;
}
