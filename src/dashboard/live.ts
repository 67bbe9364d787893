// The live feed: a page opens /api/live?project=…&after=<its last seq> and receives the event log from
// there on, first the backlog and then every new event, as JSON arrays of events. The event log is read
// only when the ChangeWatcher saw the store change, and nothing is watched while no page is connected.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import * as z from 'zod';
import { EVENTS_PAGE_MAX, type EventView } from '../domain/activity.js';
import type { Caller } from '../domain/context.js';
import type { DashboardScope } from './scope.js';
import type { Guard } from './security.js';
import { ChangeWatcher } from './change-watch.js';
import { checked } from './request.js';

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
  private readonly changes: ChangeWatcher;

  constructor(
    private readonly scope: DashboardScope,
    private readonly guard: Guard,
  ) {
    this.changes = new ChangeWatcher(scope.app.context.store, () => this.catchUp([...this.subscribers]));
  }

  /** The http server's 'upgrade' handler: refused upgrades get a plain HTTP error before any WebSocket exists. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://dashboard');
    const refusal = url.pathname === LIVE_PATH ? this.guard.refuseUpgrade(req) : undefined;
    if (url.pathname !== LIVE_PATH || refusal) {
      const status = refusal?.code === 'TOKEN_INVALID' ? '401 Unauthorized' : url.pathname !== LIVE_PATH ? '404 Not Found' : '403 Forbidden';
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
    this.changes.stop();
    for (const subscriber of this.subscribers) subscriber.socket.terminate();
    this.sockets.close();
  }

  private subscribe(socket: WebSocket, caller: Caller, after: number): void {
    const subscriber: Subscriber = { socket, caller, seq: after };
    this.subscribers.add(subscriber);
    socket.on('close', () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0) this.changes.stop();
    });
    socket.on('message', () => undefined); // The feed is one-way; anything a page sends is ignored.
    this.changes.start();
    void this.catchUp([subscriber]).catch(() => socket.terminate());
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
