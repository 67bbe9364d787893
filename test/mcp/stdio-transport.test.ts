// The stdio transport on real streams: what it does with a message over its limit, whatever the order
// of the message's members, and with lines that are not JSON-RPC.

import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { LineLimitedStdioTransport } from '../../src/mcp/stdio-transport.js';

const LIMIT = 1_000;

async function transportPair() {
  const input = new PassThrough();
  const output = new PassThrough();
  const transport = new LineLimitedStdioTransport(input, output, LIMIT);
  const received: JSONRPCMessage[] = [];
  const errors: string[] = [];
  transport.onmessage = (message) => received.push(message);
  transport.onerror = (error) => errors.push(error.message);
  await transport.start();
  const lines = createInterface({ input: output })[Symbol.asyncIterator]();
  return {
    transport, received, errors,
    send: (text: string) => input.write(text),
    end: () => input.end(),
    answer: async () => JSON.parse((await lines.next()).value) as Record<string, any>,
  };
}

describe('LineLimitedStdioTransport', () => {
  it('finds the id of an oversized request at the start of the line as well as at its end', async () => {
    const pair = await transportPair();
    const padding = 'z'.repeat(LIMIT);

    pair.send(`{"jsonrpc":"2.0","id":"first","method":"tools/call","params":{"name":"file_write","arguments":{"content":"${padding}"}}}\n`);
    pair.send(`{"method":"resources/read","params":{"uri":"${padding}"},"jsonrpc":"2.0","id":42}\n`);

    expect(await pair.answer()).toMatchObject({ id: 'first', result: { isError: true, structuredContent: { error: { code: 'MESSAGE_TOO_LARGE' } } } });
    expect(await pair.answer()).toMatchObject({ id: 42, error: { code: -32600, message: expect.stringMatching(/^MESSAGE_TOO_LARGE/) } });
    expect(pair.received).toEqual([]);
  });

  it('delivers a message split across chunks, drops unreadable lines with a report, and closes when input ends', async () => {
    const pair = await transportPair();
    let closed = false;
    pair.transport.onclose = () => (closed = true);

    pair.send('not json\n\r\n\n{"jsonrpc":"2.0",');
    pair.send('"id":1,"method":"ping"}\n');
    pair.send(`{"jsonrpc":"2.0","result":{"x":"${'r'.repeat(LIMIT)}"},"id":9}\n`); // a client's response: never answered
    pair.end();
    await new Promise((resolve) => setImmediate(resolve));

    expect(pair.received).toEqual([{ jsonrpc: '2.0', id: 1, method: 'ping' }]);
    expect(pair.errors).toEqual([expect.stringContaining('unreadable message'), expect.stringContaining('dropped it (no id found)')]);
    expect(closed).toBe(true);
    expect(pair.transport.failure).toBeUndefined();
  });
});
