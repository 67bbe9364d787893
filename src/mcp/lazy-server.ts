// Serves one stdio session, answering the handshake (initialize, tools/list) from the build's recorded
// answers and loading the real server only for the first message that needs it. Loading the SDK's
// protocol schemas, the tools and the domain was most of a server's start-up, paid before the client
// had its tool list; now it is paid on the first tool call. The real server is first told the
// handshake it missed, so from then on it behaves exactly as if it had served from the start.

import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { earlyMessage, type RequestId } from './early-messages.js';
import { initializeResult, type ShippedAnswers } from './handshake.js';
import { unreadableMessage, type LineLimitedStdioTransport } from './stdio-transport.js';

/** Builds the real server (an SDK server with every tool) and connects it to the given transport. */
export type LoadServer = () => Promise<(transport: Transport) => Promise<void>>;

export class LazyServer {
  onerror?: (error: Error) => void;
  /** The session is over: the client closed stdin, the stream failed, or the real server closed it. */
  onclose?: () => void;
  /** Set when the real server could not be loaded: the session then ends. */
  failed = false;

  /** The handshake answered here, for the real server to hear before anything else. */
  private readonly missed: JSONRPCMessage[] = [];
  /** What arrived while the real server was loading, not yet checked against the SDK's schema. */
  private readonly waiting: unknown[] = [];
  private loading?: Promise<void>;
  private relay?: RelayTransport;

  constructor(
    private readonly stdio: LineLimitedStdioTransport,
    /** Undefined when running from source: every message then goes to the real server. */
    private readonly answers: ShippedAnswers | undefined,
    private readonly load: LoadServer,
  ) {}

  async start(): Promise<void> {
    this.stdio.onmessage = (message) => this.receive(message);
    this.stdio.onerror = (error) => this.onerror?.(error);
    this.stdio.onclose = () => {
      this.relay?.onclose?.();
      this.onclose?.();
    };
    await this.stdio.start();
  }

  private receive(value: unknown): void {
    if (this.relay) return this.relay.onmessage?.(value as JSONRPCMessage); // checked by the transport
    if (!this.loading && this.answerEarly(value)) return;
    this.waiting.push(value);
    this.loading ??= this.handOver().catch((error: Error) => {
      this.failed = true;
      this.onerror?.(new Error(`the server failed to start: ${error.stack ?? error.message}`));
      void this.stdio.close();
    });
  }

  private answerEarly(value: unknown): boolean {
    const message = this.answers && earlyMessage(value);
    if (!message) return false;
    if (message.method === 'notifications/initialized') {
      this.missed.push(value as JSONRPCMessage);
    } else if (message.method === 'initialize') {
      this.missed.push(value as JSONRPCMessage);
      this.reply(message.id, JSON.stringify(initializeResult(this.answers!.handshake, message.protocolVersion)));
    } else {
      this.reply(message.id, `{"tools":${this.answers!.toolsJson}}`);
    }
    return true;
  }

  /** Answers as the SDK serializes a response, so the bytes are the same whoever answers. */
  private reply(id: RequestId, resultJson: string): void {
    this.stdio.sendLine(`{"result":${resultJson},"jsonrpc":"2.0","id":${JSON.stringify(id)}}`).catch((error: Error) => this.onerror?.(error));
  }

  private async handOver(): Promise<void> {
    const [connect, { JSONRPCMessageSchema }] = await Promise.all([this.load(), import('@modelcontextprotocol/sdk/types.js')]);
    const check = (value: unknown) => JSONRPCMessageSchema.parse(value) as JSONRPCMessage;
    const relay = new RelayTransport(this.stdio);
    await connect(relay);
    for (const message of this.missed) await relay.replay(message);
    // From here on the transport checks each line with the SDK's schema, as it did before this class.
    this.stdio.check = check;
    for (const value of this.waiting.splice(0)) {
      let message: JSONRPCMessage;
      try {
        message = check(value);
      } catch (error) {
        this.onerror?.(unreadableMessage(JSON.stringify(value).length, error as Error));
        continue;
      }
      relay.onmessage?.(message);
    }
    this.relay = relay;
  }
}

/** The real server's transport: stdio underneath, with the answers to replayed requests held back. */
class RelayTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;
  private held?: { id: RequestId; answered: () => void };

  constructor(private readonly stdio: LineLimitedStdioTransport) {}

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.held && !('method' in message) && 'id' in message && message.id === this.held.id) return this.held.answered();
    return this.stdio.send(message);
  }

  close(): Promise<void> {
    return this.stdio.close();
  }

  /** Delivers a message the client sent earlier; a request's answer (already given) is not sent again. */
  replay(message: JSONRPCMessage): Promise<void> {
    const id = 'id' in message ? message.id : undefined;
    if (id === undefined) return Promise.resolve(this.onmessage?.(message));
    return new Promise<void>((answered) => {
      this.held = { id, answered };
      this.onmessage?.(message);
    }).finally(() => (this.held = undefined));
  }
}
