// How a waiter (task_wait, a lock waiter) waits for the board to change: a store that pushes commits
// wakes it at the next one; any other store is simply looked at again after a pause.

import type { Store } from '../store/store.js';

/** A missed notification (a dropped connection) costs at most this long: the waiter then looks again anyway. */
const PUSHED_SAFETY_MS = 2_000;

/**
 * Hears a pushing store's commits from the moment it is made, so a commit between the read that made
 * the caller wait and the wait itself ends the wait at once instead of being missed. Costs no query:
 * it only counts notifications. Make it before that read; stop it when done.
 */
export class CommitWatch {
  private heard = false;
  private wake: (() => void) | undefined;
  private readonly unsubscribe: (() => void) | undefined;

  constructor(store: Store) {
    this.unsubscribe = store.onCommit?.(() => {
      this.heard = true;
      this.wake?.();
    });
  }

  /**
   * Resolves once a commit was pushed since the watch began or since the last `next()` resolved, or
   * after `pollMs` when the store cannot push; never later than `leftMs`.
   */
  next(leftMs: number, pollMs: number): Promise<void> {
    const ms = Math.max(0, Math.min(leftMs, this.unsubscribe ? PUSHED_SAFETY_MS : pollMs));
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.heard = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      if (this.heard) done();
      else this.wake = done;
    });
  }

  stop(): void {
    this.unsubscribe?.();
  }
}
