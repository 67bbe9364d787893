// Noticing that the store changed, at next to no cost while nothing happens: the file system tells us
// when the store's files (SQLite's database and -wal, the JSON document) are written, and only then is
// the store asked for its change version. A slow poll covers file systems whose watch misses events.

import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Store } from '../store/store.js';

/** The safety net's period: the longest a change can wait when the file watch says nothing. */
export const FALLBACK_POLL_MS = 250;
/**
 * SQLite makes a commit visible through its memory-mapped -shm file, which raises no file event, so
 * the last event of a commit can come just before the commit shows: look once more shortly after.
 */
const SETTLE_MS = 10;

export class ChangeWatcher {
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private settle: NodeJS.Timeout | undefined;
  private version: string | undefined;
  private checking = false;
  private again = false;

  constructor(
    private readonly store: Store,
    private readonly onChange: () => Promise<void>,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.check(), FALLBACK_POLL_MS);
    const name = basename(this.store.location);
    try {
      this.watcher = watch(dirname(this.store.location), { persistent: false }, (_event, file) => {
        if (file !== null && !file.startsWith(name)) return;
        this.check();
        clearTimeout(this.settle);
        this.settle = setTimeout(() => this.check(), SETTLE_MS);
      });
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // No watch here: the poll alone keeps the page current.
    }
  }

  stop(): void {
    clearInterval(this.timer);
    clearTimeout(this.settle);
    this.timer = undefined;
    this.watcher?.close();
    this.watcher = undefined;
    this.version = undefined;
  }

  /** One check at a time; a trigger during a check runs one more afterwards, so no change is missed. */
  private check(): void {
    if (this.checking) {
      this.again = true;
      return;
    }
    this.checking = true;
    void this.store
      .changeVersion()
      .then(async (version) => {
        if (version === this.version) return;
        this.version = version;
        await this.onChange();
      })
      .catch((error: unknown) => process.stderr.write(`lockstep-mcp dashboard: live feed: ${(error as Error).message}\n`))
      .finally(() => {
        this.checking = false;
        if (this.again) {
          this.again = false;
          this.check();
        }
      });
  }
}
