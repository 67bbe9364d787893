// Change push for the PostgreSQL store: every write transaction that changed a row sends one NOTIFY on
// CHANNEL (delivered at COMMIT, never on ROLLBACK) naming the store instance that wrote it, and one
// dedicated connection per store LISTENs. Counting those notifications gives foreignVersion (other
// instances' commits) and changeVersion (all commits) without reading a table, and subscribers are
// woken the moment a commit lands. A lost listener reconnects by itself; what it may have missed
// meanwhile counts as a change.

import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { unavailable } from './postgres-faults.js';

export const CHANGE_CHANNEL = 'lockstep_change';

const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 2_000;

export class ChangeFeed {
  /** Names this store's own commits in their notifications, so they do not count as foreign. */
  readonly instance = randomUUID();
  private client: pg.Client | undefined;
  private connected = false;
  private closed = false;
  private retryMs = FIRST_RETRY_MS;
  private retry: NodeJS.Timeout | undefined;
  private foreign = 0;
  private all = 0;
  private lastError: unknown = new Error('not connected yet');
  private readonly subscribers = new Set<() => void>();

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly location: string,
  ) {}

  /** Connects and listens; rejects when the first connection fails (the store does not open then). */
  async start(): Promise<void> {
    await this.connect();
  }

  /** While the listener is down nothing can be known: NaN differs from every value, meaning "maybe changed". */
  foreignVersion(): number {
    return this.connected ? this.foreign : Number.NaN;
  }

  /**
   * A round trip on the listening connection first: the server delivers pending notifications before
   * it answers, so a commit that returned before this call is already counted.
   */
  async changeVersion(): Promise<string> {
    if (!this.connected || !this.client) throw unavailable(this.location, this.lastError);
    await this.client.query('SELECT 1').catch((error: unknown) => {
      throw unavailable(this.location, error);
    });
    return String(this.all);
  }

  subscribe(listener: () => void): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    this.subscribers.clear();
    void this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.config);
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('Connection terminated')));
    client.on('notification', (message) => {
      if (message.channel !== CHANGE_CHANNEL) return;
      this.all++;
      if (message.payload !== this.instance) this.foreign++;
      this.emit();
    });
    this.client = client;
    await client.connect();
    await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    if (this.closed) return void client.end().catch(() => undefined);
    this.connected = true;
    this.retryMs = FIRST_RETRY_MS;
  }

  private lost(client: pg.Client, error: unknown): void {
    if (client !== this.client || this.closed) return;
    this.client = undefined;
    this.lastError = error;
    const wasConnected = this.connected;
    this.connected = false;
    void client.end().catch(() => undefined);
    if (wasConnected) this.reconnectLater();
  }

  private reconnectLater(): void {
    this.retry = setTimeout(() => {
      this.connect().then(
        () => {
          // Commits while nobody listened were not counted: say "changed" to everyone once.
          this.foreign++;
          this.all++;
          this.emit();
        },
        (error: unknown) => {
          this.lastError = error;
          this.client = undefined;
          this.retryMs = Math.min(this.retryMs * 2, LAST_RETRY_MS);
          this.reconnectLater();
        },
      );
    }, this.retryMs);
    this.retry.unref();
  }

  private emit(): void {
    for (const listener of this.subscribers) listener();
  }
}
