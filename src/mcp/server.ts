// Builds the MCP server: registers every tool of the registry behind one wrapper that resolves the
// caller, runs the handler, attaches the caller's pending news and turns failures into results.

import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { mainWorktreeRoot } from '../../git/project-root.js';
import type { Config } from '../config.js';
import { DomainError } from '../domain/errors.js';
import type { App } from '../domain/app.js';
import type { Caller, Project } from '../domain/context.js';
import { serveCatalog } from './catalog.js';
import type { Session, ToolCall, ToolDefinition } from './define.js';
import { SERVER_INSTRUCTIONS } from './instructions.js';
import { errorResult, successResult } from './results.js';
import { ALL_TOOLS } from './tools/index.js';

export const SERVER_NAME = 'lockstep-mcp';

export interface McpServerOptions {
  version: string;
  tools?: readonly ToolDefinition[];
  /** A tools/list answer prepared at build time for exactly these tools (see catalog.ts). */
  catalog?: Tool[];
}

export function createMcpServer(app: App, config: Config, options: McpServerOptions): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, version: options.version },
    { instructions: SERVER_INSTRUCTIONS, capabilities: { tools: {} } },
  );
  const session: Session = {};
  const projects = new ProjectResolver();

  for (const tool of options.tools ?? ALL_TOOLS) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.input, annotations: tool.annotations },
      async (input: Record<string, unknown>) => {
        try {
          const directory = typeof input.projectRoot === 'string' ? input.projectRoot : config.cwd;
          const caller: Caller = { project: await projects.resolve(directory), agent: session.agent };
          const call: ToolCall = { app, caller, session, config };
          const value = await tool.handler(input, call);
          // coordination_init may have just bound an identity: news is for whoever the session is now.
          const pending = session.agent ? await app.agents.touch({ ...caller, agent: session.agent }) : null;
          return successResult(pending ? { ...value, pending } : value);
        } catch (error) {
          return errorResult(error, tool.name);
        }
      },
    );
  }
  if (options.catalog) serveCatalog(server, options.catalog);
  return server;
}

class ProjectResolver {
  private readonly known = new Map<string, Promise<Project>>();

  resolve(directory: string): Promise<Project> {
    let project = this.known.get(directory);
    if (!project) {
      project = mainWorktreeRoot(directory).then(
        (root) => ({ id: root, root }),
        () => {
          throw new DomainError('PATH_NOT_FOUND', `project directory ${directory} does not exist`, 'Pass an existing projectRoot, or omit it.');
        },
      );
      project.catch(() => this.known.delete(directory));
      this.known.set(directory, project);
    }
    return project;
  }
}
