// Ends HTTP sessions that no request has used for a while, so a client that vanished without ending
// its session does not keep a server and a transport forever. Only the session goes: the agent's
// identity and claims live in the store, and its liveness comes from heartbeats, not from sessions.
// Real time on purpose: this is about this process's memory, not about domain time.

/** How often idle sessions are looked for, at most: a session lives at most this much beyond its limit. */
const LONGEST_SWEEP_MS = 60_000;

interface Use {
  lastAt: number;
  /** Calls still running (a task_wait): a session in use is never idle. */
  running: number;
}

export class IdleSessions {
  private readonly uses = new Map<string, Use>();
  private readonly timer: NodeJS.Timeout;

  /** @param end closes the session; it is forgotten here first */
  constructor(
    private readonly idleMs: number,
    private readonly end: (sessionId: string) => void,
  ) {
    this.timer = setInterval(() => this.sweep(), Math.min(Math.max(idleMs / 2, 10), LONGEST_SWEEP_MS));
    this.timer.unref();
  }

  /**
   * A call of the session (a POST) starts; call the returned function when its response is over. The
   * standalone SSE stream (a GET) only counts as a request when it starts: a stream left open by a
   * client that then does nothing, or a dead peer's never-closed connection, must not keep a session.
   */
  begin(sessionId: string): () => void {
    const use = this.touch(sessionId);
    use.running += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      use.running -= 1;
      use.lastAt = Date.now();
    };
  }

  touch(sessionId: string): Use {
    let use = this.uses.get(sessionId);
    if (!use) this.uses.set(sessionId, (use = { lastAt: 0, running: 0 }));
    use.lastAt = Date.now();
    return use;
  }

  forget(sessionId: string): void {
    this.uses.delete(sessionId);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [sessionId, use] of this.uses) {
      if (use.running > 0 || now - use.lastAt < this.idleMs) continue;
      this.uses.delete(sessionId);
      this.end(sessionId);
    }
  }
}
