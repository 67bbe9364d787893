// Which dashboard serves a store: each running dashboard leaves a record (pid, address, token) in the
// data directory, which the path policy fences off from agents. A plain start claims the store's
// default record, so there is one dashboard per store unless an explicit --port asks for another.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPidAlive } from '../../git/pid.js';

export interface DashboardRecord {
  pid: number;
  /** The address it serves, e.g. http://127.0.0.1:4321 */
  url: string;
  /** The per-run access token: only humans (the CLI, the browser opener) may see it. */
  token: string;
  store: string;
  startedAt: number;
}

export interface InstanceSlot {
  dataDir: string;
  /** The store file the dashboard serves. */
  store: string;
  /** An explicit --port gets a slot of its own; the default slot is the store's one dashboard. */
  port?: number;
}

export function recordFile(slot: InstanceSlot): string {
  const storeKey = createHash('sha256').update(slot.store).digest('hex').slice(0, 12);
  return join(slot.dataDir, 'dashboard', `${storeKey}-${slot.port ?? 'default'}.json`);
}

/** The slot's record if its process still runs; a dead process's record is removed on the way. */
export function runningDashboard(slot: InstanceSlot): DashboardRecord | undefined {
  const file = recordFile(slot);
  let record: DashboardRecord;
  try {
    record = JSON.parse(readFileSync(file, 'utf8')) as DashboardRecord;
  } catch {
    return undefined;
  }
  if (record.store === slot.store && typeof record.pid === 'number' && isPidAlive(record.pid)) return record;
  rmSync(file, { force: true });
  return undefined;
}

/**
 * Claims the slot for this process: false when another live dashboard holds it. The exclusive create
 * decides between two plain starts racing for the same store.
 */
export function claimSlot(slot: InstanceSlot, record: DashboardRecord): boolean {
  const file = recordFile(slot);
  mkdirSync(join(slot.dataDir, 'dashboard'), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(record), { flag: 'wx', mode: 0o600 });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (runningDashboard(slot)) return false;
    }
  }
  return false;
}

/** Removes the record only if it is still this process's. */
export function releaseSlot(slot: InstanceSlot, pid = process.pid): void {
  const file = recordFile(slot);
  try {
    if ((JSON.parse(readFileSync(file, 'utf8')) as DashboardRecord).pid === pid) rmSync(file, { force: true });
  } catch {
    // Already gone.
  }
}

/** The address a human opens: the token is exchanged for a cookie on the first request. */
export function tokenUrl(record: Pick<DashboardRecord, 'url' | 'token'>, project?: string): string {
  const query = new URLSearchParams({ token: record.token, ...(project && { project }) });
  return `${record.url}/?${query}`;
}
