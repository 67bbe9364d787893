// A dependency-free stdio MCP server with one tool that carries every part a client could forward to
// the model, each marked, for test/bench/forwarding-probe.ts. Writes nothing but protocol to stdout.

import { createInterface } from 'node:readline';

const PROBE_TOOL = {
  name: 'probe',
  title: 'TITLE_MARK',
  description: 'DESCRIPTION_MARK',
  annotations: { title: 'ANNOTATION_MARK', readOnlyHint: true },
  outputSchema: { type: 'object', properties: { out: { type: 'string', description: 'OUTPUT_SCHEMA_MARK' } } },
  _meta: { mark: 'META_MARK' },
  inputSchema: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: {
      text: { type: 'string', minLength: 1, maxLength: 9, pattern: '^a', format: 'uri', default: 'a', description: 'PARAM_MARK' },
      count: { type: 'integer', minimum: 1, maximum: 5 },
      kind: { enum: ['x', 'y'] },
      fixed: { const: 'k' },
      list: { type: 'array', items: { type: 'object', properties: { inner: { type: 'string', description: 'NESTED_MARK' } } }, maxItems: 3 },
      record: { type: 'object', propertyNames: { type: 'string' }, additionalProperties: { type: 'number' } },
      ref: { $ref: '#/$defs/D' },
    },
    required: ['text'],
    additionalProperties: false,
    $defs: { D: { type: 'string', description: 'DEFS_MARK' } },
  },
};
const INSTRUCTIONS = 'INSTRUCTIONS_MARK';

const send = (message) => process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
const answers = {
  initialize: (params) => ({
    protocolVersion: params?.protocolVersion ?? '2025-06-18',
    capabilities: { tools: {} },
    serverInfo: { name: 'probe', version: '1.0.0' },
    instructions: INSTRUCTIONS,
  }),
  'tools/list': () => ({ tools: [PROBE_TOOL] }),
  ping: () => ({}),
};

createInterface({ input: process.stdin }).on('line', (line) => {
  const message = JSON.parse(line);
  if (message.id === undefined || message.id === null) return;
  const answer = answers[message.method];
  send(answer ? { id: message.id, result: answer(message.params) } : { id: message.id, error: { code: -32601, message: 'not found' } });
});
