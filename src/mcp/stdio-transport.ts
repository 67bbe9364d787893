// The server's stdio transport: newline-delimited JSON-RPC, as the SDK's StdioServerTransport speaks it,
// with our own limit on one message enforced while it streams in. The SDK's version buffers up to
// 10 MiB and then closes the session without a word (issue 7, item 10); this one answers an oversized
// request with MESSAGE_TOO_LARGE, skips blank lines for free, and keeps the session alive.
// What counts as a JSON-RPC message is its user's `check`: loading the SDK's schema costs start-up
// time (zod builds every protocol schema), so the server checks the handshake itself (lazy-server.ts).

import type { Readable, Writable } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { DomainError } from '../core/errors.js';
import { errorResult } from './results.js';

/** Below the SDK's 10 MiB; a base64 file_write of MAX_WRITE_BYTES still fits (a test keeps it so). */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
/** How much of an oversized message is kept to find its id: the SDK writes the id last, others first. */
const EDGE_BYTES = 1_024;
const NEWLINE = 0x0a;
const INVALID_REQUEST = -32600;

/** Turns one line's JSON into a message, or throws to have the line dropped with a report. */
export type MessageCheck = (value: unknown) => JSONRPCMessage;

/** The report for a line that is not a message, the same wherever the line is checked. */
export function unreadableMessage(characters: number, error: Error): Error {
  return new Error(`dropped an unreadable message of ${characters} characters: ${error.message.slice(0, 200)}`);
}

interface Oversized {
  bytes: number;
  head: Buffer;
  tail: Buffer;
}

export class LineLimitedStdioTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;
  /** Why the stream ended, when it ended by failing rather than by the client closing stdin. */
  failure?: Error;

  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private oversized?: Oversized;
  private closed = false;

  constructor(
    private readonly input: Readable = process.stdin,
    private readonly output: Writable = process.stdout,
    private readonly maxMessageBytes = MAX_MESSAGE_BYTES,
    /** Swappable: the lazy server checks with the SDK's schema once it has loaded it. */
    public check: MessageCheck = (value) => value as JSONRPCMessage,
  ) {}

  async start(): Promise<void> {
    this.input.on('data', this.onData);
    this.input.on('end', this.onEnd);
    this.input.on('error', this.onFatal);
    this.output.on('error', this.onFatal);
  }

  send(message: JSONRPCMessage): Promise<void> {
    return this.sendLine(JSON.stringify(message));
  }

  /** Sends one message already serialized (JSON without newlines), such as an answer kept as text. */
  sendLine(json: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error('the stdio transport is closed'));
      if (this.output.write(`${json}\n`)) resolve();
      else this.output.once('drain', resolve);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.input.off('data', this.onData);
    this.input.off('end', this.onEnd);
    this.input.pause();
    this.pending = [];
    this.onclose?.();
  }

  private readonly onData = (chunk: Buffer): void => {
    let start = 0;
    for (let newline = chunk.indexOf(NEWLINE); newline !== -1 && !this.closed; newline = chunk.indexOf(NEWLINE, start)) {
      this.take(chunk.subarray(start, newline));
      this.finishLine();
      start = newline + 1;
    }
    if (start < chunk.length) this.take(chunk.subarray(start));
  };

  private readonly onEnd = (): void => {
    void this.close();
  };

  private readonly onFatal = (error: Error): void => {
    this.failure ??= error;
    this.onerror?.(error);
    void this.close();
  };

  /** Adds part of the current line; past the limit only its first and last bytes are kept. */
  private take(part: Buffer): void {
    if (part.length === 0) return;
    if (this.oversized) {
      this.oversized.bytes += part.length;
      this.oversized.tail = lastBytes(Buffer.concat([this.oversized.tail, part]));
      return;
    }
    this.pending.push(part);
    this.pendingBytes += part.length;
    if (this.pendingBytes > this.maxMessageBytes) {
      const line = Buffer.concat(this.pending);
      this.oversized = { bytes: line.length, head: Buffer.from(line.subarray(0, EDGE_BYTES)), tail: lastBytes(line) };
      this.pending = [];
      this.pendingBytes = 0;
    }
  }

  private finishLine(): void {
    const oversized = this.oversized;
    if (!oversized && this.pendingBytes === 0) return; // a blank line: many of them must cost nothing
    const line = oversized ? '' : Buffer.concat(this.pending).toString('utf8');
    this.pending = [];
    this.pendingBytes = 0;
    this.oversized = undefined;
    if (oversized) return this.refuse(oversized);
    if (line.trim() === '') return;
    let message: JSONRPCMessage;
    try {
      message = this.check(JSON.parse(line));
    } catch (error) {
      this.onerror?.(unreadableMessage(line.length, error as Error));
      return;
    }
    this.onmessage?.(message);
  }

  /** Answers an oversized request, so the agent learns why and the session stays usable. */
  private refuse({ bytes, head, tail }: Oversized): void {
    const error = new DomainError(
      'MESSAGE_TOO_LARGE',
      `a message of ${bytes} bytes is more than the ${this.maxMessageBytes} this server reads`,
      'Send less per call: write a large file in parts (file_write with mode "append"), or split the work.',
    );
    const start = head.toString('utf8');
    // Only a request has an id worth answering; a client's response or notification is just dropped.
    const method = /"method"\s*:\s*"([^"]*)"/.exec(start)?.[1];
    const id = method === undefined ? undefined : requestId(start, tail.toString('utf8'));
    this.onerror?.(new Error(`${error.message}; ${id === undefined ? 'dropped it (no id found)' : `answered request ${JSON.stringify(id)}`}`));
    if (id === undefined) return;
    const result = errorResult(error, 'transport');
    // A tool call gets a tool error the agent reads; any other request a JSON-RPC error with the same text.
    const answer = method === 'tools/call'
      ? { jsonrpc: '2.0' as const, id, result }
      : { jsonrpc: '2.0' as const, id, error: { code: INVALID_REQUEST, message: (result.content[0] as { text: string }).text } };
    this.send(answer).catch((sendError: Error) => this.onerror?.(sendError));
  }
}

function lastBytes(buffer: Buffer): Buffer {
  return buffer.length <= EDGE_BYTES ? buffer : Buffer.from(buffer.subarray(buffer.length - EDGE_BYTES));
}

const ID = String.raw`(-?\d+|"(?:[^"\\]|\\.)*")`;
/** `{"jsonrpc":"2.0","id":…` or `{"method":"…","id":…` at the start of the line. */
const ID_AT_START = new RegExp(String.raw`^\s*\{\s*(?:"(?:jsonrpc|method)"\s*:\s*"[^"]*"\s*,\s*)*"id"\s*:\s*${ID}`);
/** `,"id":…}` closing the line: the last member of the top-level object (the SDK's order). */
const ID_AT_END = new RegExp(String.raw`[,{]\s*"id"\s*:\s*${ID}\s*\}\s*$`);

function requestId(head: string, tail: string): string | number | undefined {
  const found = ID_AT_START.exec(head) ?? ID_AT_END.exec(tail);
  if (!found) return undefined;
  try {
    return JSON.parse(found[1]!) as string | number;
  } catch {
    return undefined;
  }
}
