// `lockstep-mcp server`: one MCP server over stdio for one agent. stdout carries the protocol, so
// everything this process says for humans goes to stderr. The process lives exactly as long as its
// transport: when stdin ends or the stream fails, it says why on stderr and exits. The settings are
// checked at once; the tools, the domain and the SDK load on the first message the handshake answers
// recorded at build time cannot serve (see mcp/lazy-server.ts).

import { loadConfig, type Settings } from '../config.js';
import type { App } from '../domain/app.js';
import { readShippedAnswers } from '../mcp/handshake.js';
import { LazyServer } from '../mcp/lazy-server.js';
import { LineLimitedStdioTransport } from '../mcp/stdio-transport.js';

export interface ServerBuild {
  version: string;
  /** dist/tool-catalog.json and dist/handshake.json beside the built entry; absent when running from source. */
  catalogFile: string;
  handshakeFile: string;
  /** The built entry itself: launched implementers run it as their server. */
  cliFile: string;
}

export async function runServer(flags: Partial<Record<keyof Settings, unknown>> & { http?: unknown }, build: ServerBuild): Promise<void> {
  if (flags.http) {
    const { runHttpServer } = await import('./http-server.js');
    return runHttpServer(flags, build);
  }
  const config = loadConfig(flags);
  const transport = new LineLimitedStdioTransport();
  const report = (error: Error) => process.stderr.write(`lockstep-mcp: ${error.message}\n`);
  let app: App | undefined;
  const shutdown = (code: number) => {
    app?.close();
    process.exit(code);
  };
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));

  const shipped = readShippedAnswers(build.handshakeFile, build.catalogFile);
  const server = new LazyServer(transport, shipped, async () => {
    const [{ createApp }, { createMcpServer }] = await Promise.all([import('../domain/app.js'), import('../mcp/server.js')]);
    app = await createApp(config, { cliFile: build.cliFile });
    // Without shipped answers (running from source) the SDK lists the tools live.
    const catalog = shipped && JSON.parse(shipped.toolsJson);
    const mcp = createMcpServer(app, config, { version: build.version, catalog });
    // Protocol problems the SDK meets (a message it cannot route, a failed answer) were silent.
    mcp.server.onerror = report;
    return (relay) => mcp.connect(relay);
  });
  // Transport problems (an unreadable or oversized message, a broken pipe) likewise.
  server.onerror = report;
  server.onclose = () => {
    if (transport.failure) report(new Error(`the stdio transport failed, exiting: ${transport.failure.message}`));
    shutdown(transport.failure || server.failed ? 1 : 0);
  };
  await server.start();
}
