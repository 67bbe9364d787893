// `lockstep-mcp server`: one MCP server over stdio for one agent. stdout carries the protocol, so
// everything this process says for humans goes to stderr.

import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { loadConfig, type Settings } from '../config.js';
import { createApp } from '../domain/app.js';
import { readCatalog } from '../mcp/catalog.js';
import { createMcpServer } from '../mcp/server.js';

export interface ServerBuild {
  version: string;
  /** dist/tool-catalog.json beside the built entry; absent when running from source. */
  catalogFile: string;
}

export async function runServer(flags: Partial<Record<keyof Settings, unknown>>, build: ServerBuild): Promise<void> {
  const config = loadConfig(flags);
  const app = await createApp(config);
  const server = createMcpServer(app, config, { version: build.version, catalog: readCatalog(build.catalogFile) });
  const shutdown = () => {
    app.close();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  process.stdin.on('end', shutdown);
  await server.connect(new StdioServerTransport());
}
