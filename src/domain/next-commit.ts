// How a waiter (task_wait, a lock waiter) waits for the board to change: a store that pushes commits
// wakes it at the next one; any other store is simply looked at again after `pollMs`.

import type { Store } from '../store/store.js';

/** A missed notification (a dropped connection) costs at most this long: the waiter then looks again anyway. */
const PUSHED_SAFETY_MS = 2_000;

/**
 * Where the waiter stands, taken before the read that made it wait: a commit between that read and the
 * wait then ends the wait at once instead of being missed. Free for a store that cannot push.
 */
export function commitMark(store: Store): Promise<string | undefined> {
  return store.onCommit ? store.changeVersion() : Promise.resolve(undefined);
}

/** Resolves once a commit after `mark` is pushed, or after `pollMs` when the store cannot push; never after `leftMs`. */
export function nextCommit(store: Store, mark: string | undefined, leftMs: number, pollMs: number): Promise<void> {
  const subscribe = store.onCommit?.bind(store);
  const ms = Math.max(0, Math.min(leftMs, subscribe ? PUSHED_SAFETY_MS : pollMs));
  return new Promise((resolve) => {
    let unsubscribe: (() => void) | undefined;
    const done = () => {
      clearTimeout(timer);
      unsubscribe?.();
      resolve();
    };
    const timer = setTimeout(done, ms);
    if (!subscribe) return;
    unsubscribe = subscribe(done);
    void store.changeVersion().then((version) => version !== mark && done(), done);
  });
}
