// `lockstep-mcp server`: one MCP server over stdio for one agent. stdout carries the protocol, so
// everything this process says for humans goes to stderr.

import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { loadConfig, type Settings } from '../config.js';
import { createApp } from '../domain/app.js';
import { createMcpServer } from '../mcp/server.js';

export async function runServer(flags: Partial<Record<keyof Settings, unknown>>, version: string): Promise<void> {
  const config = loadConfig(flags);
  const app = await createApp(config);
  const server = createMcpServer(app, config, { version });
  const shutdown = () => {
    app.close();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  process.stdin.on('end', shutdown);
  await server.connect(new StdioServerTransport());
}
