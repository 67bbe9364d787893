// Waiting for SQLite's write lock held by another process. SQLite's own busy handler sleeps in steps
// that grow to 100 ms, so under contention a waiter slept long after the lock was free (p99 62 ms for
// 8 processes). Here a waiter retries after a short jittered pause instead, on the event loop, so the
// process keeps answering while it waits.

import { setTimeout as sleep } from 'node:timers/promises';

/** Pauses grow from about 1 ms to this, so a long wait costs few attempts and a short one stays short. */
const LONGEST_PAUSE_MS = 8;

export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

export type Attempt<R> = { value: R } | { busy: unknown; repeatable: boolean };

/**
 * One try of a transaction. BEGIN IMMEDIATE fails busy before the body runs, and only then may a write
 * be tried again (its body may have had effects outside the store); a read may always be.
 */
export function tryTransaction<R>(begin: (body: () => R) => R, body: () => R, readOnly: boolean): Attempt<R> {
  let ran = false;
  try {
    return {
      value: begin(() => {
        ran = true;
        return body();
      }),
    };
  } catch (error) {
    if (!isBusy(error)) throw error;
    return { busy: error, repeatable: readOnly || !ran };
  }
}

/**
 * Runs `attempt` until it does not fail busy, or `patienceMs` ran out (then the busy error is thrown).
 * `attempt` reports whether it may be repeated: a write whose function already ran may not.
 */
export async function retryWhileBusy<R>(patienceMs: number, attempt: () => Attempt<R>): Promise<R> {
  const deadline = performance.now() + patienceMs;
  for (let tries = 0; ; tries++) {
    const outcome = attempt();
    if ('value' in outcome) return outcome.value;
    if (!outcome.repeatable || performance.now() >= deadline) throw outcome.busy;
    // Jitter keeps waiters from retrying in lockstep and colliding again.
    await sleep((0.5 + Math.random()) * Math.min(1 + tries / 4, LONGEST_PAUSE_MS));
  }
}
