// `lockstep-mcp server`: one MCP server over stdio for one agent. stdout carries the protocol, so
// everything this process says for humans goes to stderr. The process lives exactly as long as its
// transport: when stdin ends or the stream fails, it says why on stderr and exits.

import { loadConfig, type Settings } from '../config.js';
import { createApp } from '../domain/app.js';
import { readCatalog } from '../mcp/catalog.js';
import { createMcpServer } from '../mcp/server.js';
import { LineLimitedStdioTransport } from '../mcp/stdio-transport.js';

export interface ServerBuild {
  version: string;
  /** dist/tool-catalog.json beside the built entry; absent when running from source. */
  catalogFile: string;
  /** The built entry itself: launched implementers run it as their server. */
  cliFile: string;
}

export async function runServer(flags: Partial<Record<keyof Settings, unknown>> & { http?: unknown }, build: ServerBuild): Promise<void> {
  if (flags.http) {
    const { runHttpServer } = await import('./http-server.js');
    return runHttpServer(flags, build);
  }
  const config = loadConfig(flags);
  const app = await createApp(config, { cliFile: build.cliFile });
  const server = createMcpServer(app, config, { version: build.version, catalog: readCatalog(build.catalogFile) });
  const transport = new LineLimitedStdioTransport();
  const shutdown = (code: number) => {
    app.close();
    process.exit(code);
  };
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));
  // Protocol and transport problems (an unreadable or oversized message, a broken pipe) were silent.
  server.server.onerror = (error) => process.stderr.write(`lockstep-mcp: ${error.message}\n`);
  server.server.onclose = () => {
    if (transport.failure) process.stderr.write(`lockstep-mcp: the stdio transport failed, exiting: ${transport.failure.message}\n`);
    shutdown(transport.failure ? 1 : 0);
  };
  await server.connect(transport);
}
