// What one server process remembers about the heartbeats of the agents it serves, so that a call
// writes only when it must: the heartbeat is due, or there is news to deliver (agents.ts touch).

/** lastSeenAt is at most this stale for an agent that keeps calling; liveness (implementers.ts) allows for it. */
const HEARTBEAT_MAX_INTERVAL_MS = 30_000;

/**
 * How often a busy agent's calls write its heartbeat: a tenth of the lease, so an agent that calls at
 * least every 0.9 × lease keeps its locks (a call renews them only when the beat is due).
 */
export function heartbeatIntervalMs(lockLeaseMs: number): number {
  return Math.min(lockLeaseMs / 10, HEARTBEAT_MAX_INTERVAL_MS);
}

interface Beat {
  /** When this process last wrote the agent's heartbeat. */
  writtenAt: number;
  /** Events up to this seq were scanned and held no news for the agent: later scans start after it. */
  quietUpTo: number;
  /** Store.foreignVersion when that scan began. */
  foreign: number;
}

export class Heartbeats {
  private readonly beats = new Map<string, Beat>();

  constructor(private readonly intervalMs: number) {}

  due(key: string, now: number): boolean {
    const beat = this.beats.get(key);
    return !beat || now - beat.writtenAt >= this.intervalMs;
  }

  /** Where a news scan may start: past the stored cursor and past what was already found quiet. */
  scanFrom(key: string, storedCursor: number): number {
    return Math.max(storedCursor, this.beats.get(key)?.quietUpTo ?? 0);
  }

  /** Whether no other process has written since the last scan (NaN, "unknown", never equals). */
  unchangedSince(key: string, foreign: number): boolean {
    return this.beats.get(key)?.foreign === foreign;
  }

  written(key: string, now: number, cursor: number, foreign: number): void {
    this.beats.set(key, { writtenAt: now, quietUpTo: cursor, foreign });
  }

  quiet(key: string, upTo: number, foreign: number): void {
    const beat = this.beats.get(key);
    if (!beat) return;
    beat.quietUpTo = Math.max(beat.quietUpTo, upTo);
    beat.foreign = foreign;
  }
}
