// How a waiter (task_wait) sleeps between looks at the store: until the store pushes a change, where it
// can (PostgreSQL), or for a poll period where it cannot. Subscribed before the first look, so a commit
// between a look and the sleep still ends the sleep at once.

import type { Store } from './store.js';

export class ChangeSignal {
  private changed = false;
  private wake: (() => void) | undefined;
  private readonly unsubscribe: (() => void) | undefined;

  constructor(store: Store) {
    this.unsubscribe = store.subscribe?.(() => {
      this.changed = true;
      this.wake?.();
    });
  }

  /** Whether the store pushes: then a sleep can last until the deadline. */
  get pushes(): boolean {
    return this.unsubscribe !== undefined;
  }

  /** Resolves after `ms`, or sooner at a pushed change (at once if one came since the last sleep). */
  async sleep(ms: number): Promise<void> {
    if (!this.changed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.wake = undefined;
    this.changed = false;
  }

  close(): void {
    this.unsubscribe?.();
    this.wake?.();
  }
}
