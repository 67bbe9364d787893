// `lockstep-mcp dashboard`: serves every project of the store to a browser, with the current
// directory's project selected, and prints the address with its access token. One per store: a plain
// second start prints the running one's address instead; an explicit --port starts another.

import { mainWorktreeRoot } from '../../git/project-root.js';
import { loadConfig, shownStoreLocation, type Settings } from '../config.js';
import { DomainError } from '../core/errors.js';
import { humanName } from '../dashboard/human.js';
import { startDashboard } from '../dashboard/server.js';
import { createApp } from '../domain/app.js';
import { openInBrowser } from '../launch/browser.js';
import { claimSlot, releaseSlot, runningDashboard, tokenUrl, type InstanceSlot } from '../launch/dashboard-instance.js';
import { say } from './output.js';

export interface DashboardFlags extends Partial<Record<keyof Settings, unknown>> {
  host?: string;
  port?: unknown;
  open?: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export async function runDashboard(flags: DashboardFlags): Promise<void> {
  const config = loadConfig(flags);
  const host = flags.host ?? '127.0.0.1';
  const port = flags.port === undefined ? undefined : parsePort(flags.port);
  const slot: InstanceSlot = { dataDir: config.dataDir, store: shownStoreLocation(config), port };
  const project = await mainWorktreeRoot(config.cwd).catch(() => undefined);
  const open = (url: string) => flags.open ?? Boolean(process.stdout.isTTY) ? openInBrowser(url) : false;

  const running = runningDashboard(slot);
  if (running) {
    say(`A dashboard already serves this store (pid ${running.pid}): ${tokenUrl(running, project)}`);
    open(tokenUrl(running, project));
    return;
  }
  if (!LOOPBACK.has(host)) process.stderr.write(`lockstep-mcp: warning: --host ${host} exposes the dashboard beyond this machine; anyone with the URL and token acts as you.\n`);

  const app = await createApp(config);
  const dashboard = await startDashboard({ app, config, human: humanName(config.cwd), selected: project ? { id: project, root: project } : undefined }, { host, port: port ?? 0 });
  const record = { pid: process.pid, url: dashboard.url, token: dashboard.token, store: slot.store, startedAt: Date.now() };
  if (!claimSlot(slot, record)) {
    // Another plain start won the race for this store between our check and now: defer to it.
    await dashboard.close();
    app.close();
    const winner = runningDashboard(slot);
    if (winner) say(`A dashboard already serves this store (pid ${winner.pid}): ${tokenUrl(winner, project)}`);
    return;
  }
  const stop = () => {
    releaseSlot(slot);
    void dashboard.close().then(() => {
      app.close();
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  say(`lockstep dashboard for ${slot.store}`);
  say(`Open: ${tokenUrl(record, project)}`);
  say('The link carries this run\'s access token: do not share it. Ctrl-C stops the dashboard.');
  open(tokenUrl(record, project));
}

function parsePort(value: unknown): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new DomainError('INVALID_INPUT', `--port must be a port number, not "${String(value)}"`, 'Pass --port 0..65535, or leave it out.');
  }
  return port;
}
