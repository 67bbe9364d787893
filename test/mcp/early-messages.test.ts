// The handshake messages the server answers before loading the SDK: every one it takes, the SDK's own
// schemas take too (so it never answers what the SDK would refuse), and what real clients send is taken.

import {
  InitializeRequestSchema,
  InitializedNotificationSchema,
  JSONRPCMessageSchema,
  ListToolsRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { earlyMessage } from '../../src/mcp/early-messages.js';

const clientInfo = { name: 'claude-code', version: '2.1.197' };
const init = (params: object, extra: object = {}) => ({ jsonrpc: '2.0', id: 0, method: 'initialize', params, ...extra });
const plainParams = { protocolVersion: '2025-06-18', capabilities: {}, clientInfo };

const TAKEN = [
  init(plainParams),
  init({ ...plainParams, capabilities: { roots: {}, elicitation: {} } }),
  init({ ...plainParams, capabilities: { roots: { listChanged: true }, sampling: {}, experimental: {} }, clientInfo: { ...clientInfo, title: 'Claude Code' } }),
  init({ ...plainParams, protocolVersion: '2099-01-01' }),
  // Claude Code 2.1.197, as it sends it (order of members included)
  {
    method: 'initialize',
    params: {
      protocolVersion: '2025-11-25', capabilities: { roots: {}, elicitation: {} },
      clientInfo: { name: 'claude-code', title: 'Claude Code', version: '2.1.197', description: "Anthropic's agentic coding tool", websiteUrl: 'https://claude.com/claude-code' },
    },
    jsonrpc: '2.0', id: 0,
  },
  // Codex 0.169.0, as it sends them
  {
    jsonrpc: '2.0', id: 0, method: 'initialize',
    params: {
      protocolVersion: '2025-06-18', capabilities: { experimental: { 'codex/auth-change': {} }, elicitation: { form: {}, url: {} } },
      clientInfo: { name: 'codex-mcp-client', title: 'Codex', version: '0.169.0' },
    },
  },
  { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { progressToken: 0 } } },
  init({ ...plainParams, _meta: { progressToken: 'p' } }),
  { jsonrpc: '2.0', method: 'notifications/initialized' },
  { jsonrpc: '2.0', method: 'notifications/initialized', params: {} },
  { jsonrpc: '2.0', id: 'a-1', method: 'tools/list' },
  { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} },
  { jsonrpc: '2.0', id: 3, method: 'tools/list', params: { cursor: 'next' } },
];

const LEFT_TO_THE_SDK = [
  init(plainParams, { extra: true }),
  init({ ...plainParams, _meta: { progressToken: 1.5 } }),
  init({ ...plainParams, _meta: { 'io.modelcontextprotocol/related-task': {} } }),
  init({ ...plainParams, capabilities: { elicitation: { form: { applyDefaults: 'yes' } } } }),
  init({ ...plainParams, capabilities: { experimental: { x: 1 } } }),
  init({ ...plainParams, capabilities: { constructor: { x: 1 } } }),
  init({ ...plainParams, capabilities: { sampling: { context: 'yes' } } }),
  init({ ...plainParams, capabilities: { roots: { listChanged: 'yes' } } }),
  init({ ...plainParams, clientInfo: { name: 'x' } }),
  init({ ...plainParams, clientInfo: { ...clientInfo, icons: [] } }),
  init({ ...plainParams, clientInfo: { ...clientInfo, websiteUrl: 5 } }),
  init({ ...plainParams, protocolVersion: 7 }),
  { ...init(plainParams), id: 1.5 },
  { ...init(plainParams), id: null },
  { ...init(plainParams), jsonrpc: '1.0' },
  { jsonrpc: '2.0', id: 1, method: 'notifications/initialized' },
  { jsonrpc: '2.0', method: 'notifications/initialized', params: { other: 1 } },
  { jsonrpc: '2.0', id: 2, method: 'tools/list', params: { _meta: { progressToken: null } } },
  { jsonrpc: '2.0', id: 2, method: 'tools/list', params: { cursor: 5 } },
  { jsonrpc: '2.0', method: 'tools/list' },
  { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'task_list' } },
  { jsonrpc: '2.0', id: 5, method: 'ping' },
  [init(plainParams)],
  'initialize',
  null,
];

const SCHEMA_OF = { initialize: InitializeRequestSchema, 'notifications/initialized': InitializedNotificationSchema, 'tools/list': ListToolsRequestSchema };

describe('earlyMessage', () => {
  it.each(TAKEN.map((message) => [JSON.stringify(message), message]))('takes %s, which the SDK accepts too', (_, message) => {
    const early = earlyMessage(message);
    expect(early).toBeDefined();
    expect(JSONRPCMessageSchema.safeParse(message).success).toBe(true);
    const { jsonrpc: _jsonrpc, id: _id, ...request } = message as Record<string, unknown>;
    expect(SCHEMA_OF[early!.method].safeParse(request).success).toBe(true);
  });

  it.each(LEFT_TO_THE_SDK.map((message) => [JSON.stringify(message), message]))('leaves %s to the SDK', (_, message) => {
    expect(earlyMessage(message)).toBeUndefined();
  });
});
