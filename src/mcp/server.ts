// Builds the MCP server: registers every tool of the registry behind one wrapper that resolves the
// caller, runs the handler, attaches the caller's pending news and turns failures into results.

import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { mainWorktreeRoot } from '../../git/project-root.js';
import type { Config } from '../config.js';
import { DomainError } from '../core/errors.js';
import type { App } from '../domain/app.js';
import type { Caller, Credential, Project } from '../domain/context.js';
import { pathPolicyFor } from '../domain/worktree-settings.js';
import { resolvePath } from '../policy/paths.js';
import { catalogOf, serveCatalog } from './catalog.js';
import type { Session, ToolCall, ToolDefinition } from './define.js';
import { SERVER_INSTRUCTIONS } from './instructions.js';
import { errorResult, successResult } from './results.js';
import { ALL_TOOLS } from './tools/index.js';

const SERVER_NAME = 'lockstep-mcp';

export interface McpServerOptions {
  version: string;
  tools?: readonly ToolDefinition[];
  /** A tools/list answer prepared at build time for exactly these tools (see catalog.ts). */
  catalog?: Tool[];
  /** The access token a remote session proved (HTTP): it fixes the name and role it may register as. */
  credential?: Credential;
}

export function createMcpServer(app: App, config: Config, options: McpServerOptions): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, version: options.version },
    { instructions: SERVER_INSTRUCTIONS, capabilities: { tools: {} } },
  );
  const session: Session = { id: randomUUID(), ...(options.credential && { credential: options.credential }) };
  app.context.openSessions.add(session.id);
  server.server.onclose = () => app.context.openSessions.delete(session.id);
  const projects = new ProjectResolver(config);

  const tools = options.tools ?? ALL_TOOLS;
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.input, annotations: tool.annotations },
      async (input: Record<string, unknown>) => {
        try {
          const directory = typeof input.projectRoot === 'string' ? input.projectRoot : config.cwd;
          const caller: Caller = { project: await projects.resolve(directory), agent: session.agent, session };
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

class ProjectResolver {
  private readonly known = new Map<string, Promise<Project>>();

  constructor(private readonly config: Config) {}

  resolve(directory: string): Promise<Project> {
    let project = this.known.get(directory);
    if (!project) {
      project = directory === this.config.cwd || this.config.mode !== 'strict' ? findProject(directory) : this.resolveConfined(directory);
      project.catch(() => this.known.delete(directory));
      this.known.set(directory, project);
    }
    return project;
  }

  /**
   * In strict mode a projectRoot may not lead out of the roots the server's own project allows, or
   * the file tools would confine to it instead; its main worktree is checked too, since a linked
   * worktree inside the roots can belong to a repository outside them.
   */
  private async resolveConfined(directory: string): Promise<Project> {
    const home = await this.resolve(this.config.cwd).catch(() => ({ id: this.config.cwd, root: this.config.cwd }));
    const policy = await pathPolicyFor(this.config, home);
    await resolvePath(directory, this.config.cwd, policy);
    const project = await findProject(directory);
    await resolvePath(project.root, this.config.cwd, policy);
    return project;
  }
}

async function findProject(directory: string): Promise<Project> {
  const root = await mainWorktreeRoot(directory).catch(() => {
    throw new DomainError('PATH_NOT_FOUND', `project directory ${directory} does not exist`, 'Pass an existing projectRoot, or omit it.');
  });
  return { id: root, root };
}
