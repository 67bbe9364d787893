// Starting the dashboard from an MCP server (`dashboard_open`): a detached `lockstep-mcp dashboard`
// process on the same store, unless one already serves it. Its output, which carries the token, goes
// to a log inside the data directory, which agents cannot read.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { DomainError } from '../core/errors.js';
import { storeArguments, type StoreSettings } from '../core/store-arguments.js';
import { openInBrowser } from './browser.js';
import { runningDashboard, tokenUrl, type InstanceSlot } from './dashboard-instance.js';
import { startDetached } from './headless.js';

/** How long a fresh dashboard may take to listen and leave its record. */
const START_TIMEOUT_MS = 10_000;
const POLL_MS = 50;

export interface DashboardStoreFlags extends StoreSettings {
  dataDir: string;
  shownLocation: string;
}

export interface OpenedDashboard {
  /** Its address, without the access token. */
  url: string;
  started: boolean;
  /** A browser opener was started (with the token, straight to the human's browser). */
  browser: boolean;
}

export async function ensureDashboard(store: DashboardStoreFlags, projectRoot: string, env: NodeJS.ProcessEnv = process.env): Promise<OpenedDashboard> {
  // The record names the store as the dashboard command does: the file, or the URL without its password.
  const slot: InstanceSlot = { dataDir: store.dataDir, store: store.shownLocation };
  let record = runningDashboard(slot);
  const started = !record;
  if (!record) {
    const argv = [process.execPath, builtCli(), 'dashboard', '--no-open', ...storeArguments(store), '--data-dir', store.dataDir];
    await startDetached({ argv, cwd: projectRoot, logFile: join(store.dataDir, 'dashboard', 'dashboard.log'), env });
    record = await waitForRecord(slot);
  }
  const browser = openInBrowser(tokenUrl(record, projectRoot), env);
  return { url: record.url, started, browser };
}

async function waitForRecord(slot: InstanceSlot) {
  for (let waited = 0; waited < START_TIMEOUT_MS; waited += POLL_MS) {
    const record = runningDashboard(slot);
    if (record) return record;
    await sleep(POLL_MS);
  }
  throw new DomainError('COMMAND_FAILED', `the dashboard did not start within ${START_TIMEOUT_MS} ms`, `Ask the human to run lockstep-mcp dashboard; its log is ${join(slot.dataDir, 'dashboard', 'dashboard.log')}.`);
}

/** dist/cli.js, whether this module runs from the bundle (dist/ or dist/chunks/) or from source. */
function builtCli(): string {
  for (const relative of ['./cli.js', '../cli.js', '../../dist/cli.js']) {
    const file = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(file)) return file;
  }
  throw new DomainError('PROGRAM_NOT_FOUND', 'lockstep-mcp is not built (no dist/cli.js)', 'Run npm run build, then call dashboard_open again.');
}
