// Noticing that the store changed, at next to no cost while nothing happens: PostgreSQL pushes each
// commit; for the file stores, the file system tells us when their files (SQLite's database and -wal,
// the JSON document) are written. Only then is the store asked for its change version (SQLite: a cached
// `PRAGMA data_version`, not a table read). A slow poll of that version is the safety net; when it
// finds a change the watch never signalled, the watch is not to be trusted here and the poll goes
// fast, so the page stays within ~50 ms.

import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Store } from '../store/store.js';

export interface PollPeriods {
  /** While the file watch reports every change: only a safety net. */
  trusted: number;
  /** Once the watch missed a change (or cannot watch here): short enough for a ≤ 50 ms median. */
  untrusted: number;
}

export const POLL_MS: PollPeriods = { trusted: 250, untrusted: 40 };

/**
 * SQLite makes a commit visible through its memory-mapped -shm file, which raises no file event, so
 * the last event of a commit can come just before the commit shows: look once more shortly after.
 */
const SETTLE_MS = 5;
/** A watch event may still be on its way when the poll sees the commit: the watch has this long to show up. */
const GRACE_MS = 50;

export interface ChangeWatcherOptions {
  poll?: PollPeriods;
  /** false: no file watch at all, as on a file system without change events. */
  watchFiles?: boolean;
}

export class ChangeWatcher {
  private watcher: FSWatcher | undefined;
  private unsubscribe: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private settle: NodeJS.Timeout | undefined;
  private version: string | undefined;
  private checking = false;
  private again = false;
  /** Watch events so far: a change the poll found is a missed one if this does not move soon after. */
  private signals = 0;
  private trusted = false;

  constructor(
    private readonly store: Store,
    private readonly onChange: () => Promise<void>,
    private readonly options: ChangeWatcherOptions = {},
  ) {}

  /** The current safety-net period, undefined while stopped: tells whether the file watch is trusted. */
  get pollMs(): number | undefined {
    return this.timer ? this.period() : undefined;
  }

  start(): void {
    if (this.timer) return;
    this.trusted = this.options.watchFiles !== false && (this.hearCommits() || this.watchFiles());
    this.schedule();
    this.check(false); // the baseline: whatever the page has not seen yet is sent at once
  }

  stop(): void {
    clearInterval(this.timer);
    clearTimeout(this.settle);
    this.timer = undefined;
    this.watcher?.close();
    this.watcher = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.version = undefined;
  }

  private period(): number {
    const periods = this.options.poll ?? POLL_MS;
    return this.trusted ? periods.trusted : periods.untrusted;
  }

  private schedule(): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => this.check(true), this.period());
  }

  /** A store that pushes its commits (PostgreSQL) needs no file watch: each commit is a signal. */
  private hearCommits(): boolean {
    if (!this.store.onCommit) return false;
    this.unsubscribe = this.store.onCommit(() => {
      this.signals++;
      this.check(false);
    });
    return true;
  }

  private watchFiles(): boolean {
    const name = basename(this.store.location);
    try {
      this.watcher = watch(dirname(this.store.location), { persistent: false }, (_event, file) => {
        if (file !== null && !file.startsWith(name)) return;
        this.signals++;
        this.check(false);
        clearTimeout(this.settle);
        this.settle = setTimeout(() => this.check(false), SETTLE_MS);
      });
      this.watcher.on('error', () => this.distrust());
      return true;
    } catch {
      return false;
    }
  }

  private distrust(): void {
    this.watcher?.close();
    this.watcher = undefined;
    if (!this.trusted || !this.timer) return;
    this.trusted = false;
    this.schedule();
  }

  private judgeWatch(signalsBefore: number): void {
    setTimeout(() => {
      if (this.signals === signalsBefore) this.distrust();
    }, GRACE_MS).unref();
  }

  /** One check at a time; a trigger during a check runs one more afterwards, so no change is missed. */
  private check(byPoll: boolean): void {
    if (this.checking) {
      this.again = true;
      return;
    }
    this.checking = true;
    const signals = this.signals;
    void this.store
      .changeVersion()
      .then(async (version) => {
        if (version === this.version) return;
        // The first read only sets the baseline; after it, a change only the poll saw may be a missed event.
        if (byPoll && this.trusted && this.version !== undefined) this.judgeWatch(signals);
        this.version = version;
        await this.onChange();
      })
      .catch((error: unknown) => process.stderr.write(`lockstep-mcp dashboard: live feed: ${(error as Error).message}\n`))
      .finally(() => {
        this.checking = false;
        if (this.again) {
          this.again = false;
          this.check(false);
        }
      });
  }
}
