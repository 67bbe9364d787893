// One scripted agent: a real `lockstep-mcp server` process spawned over stdio, exactly as Claude Code
// or Codex starts it, and an MCP client that calls its public tools. The demo has no other way in.

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { DemoWorkspace } from './scratch-repo.js';
import { SERVER_NODE_FLAGS } from '../core/server-node-flags.js';
import { NO_SCHEMA_VALIDATOR } from '../core/no-schema-validator.js';

export interface DemoAgent {
  name: string;
  role: 'planner' | 'implementer';
  /** Calls a tool; a tool error becomes an exception carrying the server's text. */
  call(tool: string, args?: Record<string, unknown>): Promise<Record<string, any>>;
  /** The `pending` block of the last result (news for this agent), if it had one. */
  lastPending(): Record<string, unknown> | undefined;
  close(): Promise<void>;
}

export interface AgentStart {
  cliFile: string;
  workspace: DemoWorkspace;
  name: string;
  role: 'planner' | 'implementer';
  type: 'claude' | 'codex' | 'other';
}

export async function startAgent(start: AgentStart): Promise<DemoAgent> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [...SERVER_NODE_FLAGS, start.cliFile, 'server'],
    cwd: start.workspace.repo,
    env: { ...(process.env as Record<string, string>), COORD_DATA_DIR: start.workspace.dataDir },
    stderr: 'pipe',
  });
  // A server logs to stderr; keep the tail to explain a failure, and never let the pipe fill.
  let stderrTail = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-4_096);
  });
  const client = new Client({ name: `lockstep-demo-${start.name}`, version: '1.0.0' }, { jsonSchemaValidator: NO_SCHEMA_VALIDATOR });
  await client.connect(transport).catch((error: Error) => {
    throw new Error(`the ${start.name} server did not start: ${error.message}\n${stderrTail}`);
  });
  let pending: Record<string, unknown> | undefined;
  const call = async (tool: string, args: Record<string, unknown> = {}) => {
    const result = await client.callTool({ name: tool, arguments: args });
    const text = (result.content as { type: string; text?: string }[])[0]?.text ?? '';
    if (result.isError) throw new Error(`${start.name}: ${tool} failed: ${text}`);
    const content = (result.structuredContent ?? {}) as Record<string, any>;
    pending = content.pending as Record<string, unknown> | undefined;
    return content;
  };
  await call('coordination_init', { role: start.role, name: start.name, type: start.type });
  return { name: start.name, role: start.role, call, lastPending: () => pending, close: () => client.close() };
}
