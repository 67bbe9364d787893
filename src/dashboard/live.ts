// The live feed: a page opens /api/live?project=…&after=<its last seq> and receives the event log from
// there on, first the backlog and then every new event, as JSON arrays of events. Noticing change
// costs one Store.changeVersion() per tick (SQLite's data_version, a stat for JSON) while any page is
// connected, and nothing at all while none is; tables are read only after a change.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import * as z from 'zod';
import { EVENTS_PAGE_MAX, type EventView } from '../domain/activity.js';
import type { Caller } from '../domain/context.js';
import type { DashboardScope } from './scope.js';
import type { Guard } from './security.js';
import { checked } from './request.js';

/** How often the store is asked whether anything changed: well inside the 50 ms the page may lag. */
export const WATCH_INTERVAL_MS = 10;
const LIVE_PATH = '/api/live';

interface Subscriber {
  socket: WebSocket;
  caller: Caller;
  seq: number;
}

const liveQuery = z.object({ project: z.string().min(1).max(4_096).optional(), after: z.coerce.number().int().min(0).default(0) }).strict();

export class LiveFeed {
  private readonly sockets = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  private readonly subscribers = new Set<Subscriber>();
  private timer: NodeJS.Timeout | undefined;
  private version: string | undefined;
  private busy = false;

  constructor(
    private readonly scope: DashboardScope,
    private readonly guard: Guard,
  ) {}

  /** The http server's 'upgrade' handler: refused upgrades get a plain HTTP error before any WebSocket exists. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://dashboard');
    const refusal = url.pathname === LIVE_PATH ? this.guard.refuseUpgrade(req) : undefined;
    if (url.pathname !== LIVE_PATH || refusal) {
      const status = refusal?.code === 'TOKEN_REQUIRED' ? '401 Unauthorized' : url.pathname !== LIVE_PATH ? '404 Not Found' : '403 Forbidden';
      socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${JSON.stringify({ error: { code: refusal?.code ?? 'NOT_FOUND', message: refusal?.message ?? 'no such feed' } })}`);
      return;
    }
    let query: z.output<typeof liveQuery>;
    try {
      query = checked(liveQuery, Object.fromEntries(url.searchParams), 'query');
    } catch (error) {
      socket.end(`HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n${JSON.stringify({ error: { code: 'INVALID_INPUT', message: (error as Error).message } })}`);
      return;
    }
    const project = query.project ?? this.scope.selected?.id;
    if (!project) return void socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    this.sockets.handleUpgrade(req, socket, head, (ws) => this.subscribe(ws, { project: { id: project, root: project } }, query.after));
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const subscriber of this.subscribers) subscriber.socket.terminate();
    this.sockets.close();
  }

  private subscribe(socket: WebSocket, caller: Caller, after: number): void {
    const subscriber: Subscriber = { socket, caller, seq: after };
    this.subscribers.add(subscriber);
    socket.on('close', () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0) this.stopWatching();
    });
    socket.on('message', () => undefined); // The feed is one-way; anything a page sends is ignored.
    this.startWatching();
    void this.catchUp([subscriber]);
  }

  private startWatching(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), WATCH_INTERVAL_MS);
  }

  private stopWatching(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.version = undefined;
  }

  /** One cheap question per tick; only an answer that changed reads the event log. */
  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const version = await this.scope.app.context.store.changeVersion();
      if (version === this.version) return;
      this.version = version;
      await this.catchUp([...this.subscribers]);
    } catch (error) {
      process.stderr.write(`lockstep-mcp dashboard: live feed: ${(error as Error).message}\n`);
    } finally {
      this.busy = false;
    }
  }

  /** Sends each subscriber what it has not seen, reading each project's log once from the oldest seq needed. */
  private async catchUp(subscribers: Subscriber[]): Promise<void> {
    const byProject = new Map<string, Subscriber[]>();
    for (const subscriber of subscribers) byProject.set(subscriber.caller.project.id, [...(byProject.get(subscriber.caller.project.id) ?? []), subscriber]);
    for (const group of byProject.values()) {
      let from = Math.min(...group.map((subscriber) => subscriber.seq));
      // A long backlog arrives in pages, each one message.
      for (;;) {
        const { events } = await this.scope.app.activity.after(group[0]!.caller, from);
        for (const subscriber of group) this.send(subscriber, events);
        if (events.length < EVENTS_PAGE_MAX) break;
        from = events.at(-1)!.seq;
      }
    }
  }

  private send(subscriber: Subscriber, events: EventView[]): void {
    const fresh = events.filter((event) => event.seq > subscriber.seq);
    if (fresh.length === 0 || subscriber.socket.readyState !== subscriber.socket.OPEN) return;
    subscriber.seq = fresh.at(-1)!.seq;
    subscriber.socket.send(JSON.stringify(fresh.map(compactEvent)));
  }
}

/** Null fields are left out: most events carry only a kind, an actor and a subject. */
function compactEvent(event: EventView): Partial<EventView> {
  return Object.fromEntries(Object.entries(event).filter(([key, value]) => value !== null && !(key === 'data' && Object.keys(value as object).length === 0)));
}
