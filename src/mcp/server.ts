// Builds the MCP server: registers every tool of the registry behind one wrapper that resolves the
// caller, runs the handler, attaches the caller's pending news and turns failures into results.

import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Config } from '../config.js';
import { NO_SCHEMA_VALIDATOR } from '../core/no-schema-validator.js';
import type { App } from '../domain/app.js';
import type { Caller, Credential } from '../domain/context.js';
import type { ServedProjects } from '../domain/served-projects.js';
import { catalogOf, serveCatalog } from './catalog.js';
import type { Session, ToolCall, ToolDefinition } from './define.js';
import { SERVER_INSTRUCTIONS } from './instructions.js';
import { errorResult, successResult } from './results.js';
import { LocalProjects, RemoteProjects } from './session-projects.js';
import { ALL_TOOLS } from './tools/index.js';

const SERVER_NAME = 'lockstep-mcp';

export interface McpServerOptions {
  version: string;
  tools?: readonly ToolDefinition[];
  /** A tools/list answer prepared at build time for exactly these tools (see catalog.ts). */
  catalog?: Tool[];
  /** The access token a remote session proved (HTTP): it fixes the name and role it may register as. */
  credential?: Credential;
  /** A remote (HTTP) session's projects: named by id or shared-remote URL, never by a path (session-projects.ts). */
  served?: ServedProjects;
}

export function createMcpServer(app: App, config: Config, options: McpServerOptions): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, version: options.version },
    { instructions: SERVER_INSTRUCTIONS, capabilities: { tools: {} }, jsonSchemaValidator: NO_SCHEMA_VALIDATOR },
  );
  const session: Session = { id: randomUUID(), ...(options.credential && { credential: options.credential }) };
  app.context.openSessions.add(session.id);
  server.server.onclose = () => app.context.openSessions.delete(session.id);
  const projects = options.served ? new RemoteProjects(options.served) : new LocalProjects(config);

  const tools = options.tools ?? ALL_TOOLS;
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.input, annotations: tool.annotations },
      async (input: Record<string, unknown>) => {
        try {
          const caller: Caller = { project: await projects.forCall(input, session), agent: session.agent, session };
          const call: ToolCall = { app, caller, session, config };
          const value = await tool.handler(input, call);
          // coordination_init may have just bound an identity: news is for whoever the session is now.
          const pending = session.agent ? await app.agents.touch({ ...caller, agent: session.agent }, tool.name) : null;
          return successResult(pending ? { ...value, pending } : value);
        } catch (error) {
          return errorResult(error, tool.name);
        }
      },
    );
  }
  const { catalog } = options;
  serveCatalog(server, catalog ? () => catalog : () => catalogOf(tools));
  return server;
}
