// The MCP server over Streamable HTTP (the SDK's transport) at /mcp: one McpServer per client session,
// exactly as a stdio process serves one agent, so identity binding, `pending` and task_wait behave the
// same. Every request passes the site check and then the token check (http-guard.ts) before the SDK
// sees it; a session stays bound to the token that opened it, acts only on the served projects its
// token may use (session-projects.ts), and ends after a time without requests (idle-sessions.ts).

import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Config } from '../config.js';
import { DomainError, isDomainError } from '../core/errors.js';
import type { App } from '../domain/app.js';
import type { Credential } from '../domain/context.js';
import { ServedProjects } from '../domain/served-projects.js';
import { authenticate, checkSite, refusalStatus, sameSiteOrigins, type SitePolicy } from './http-guard.js';
import { IdleSessions } from './idle-sessions.js';
import { createMcpServer } from './server.js';
import { MAX_MESSAGE_BYTES } from './stdio-transport.js';

export const MCP_PATH = '/mcp';

/** How long an MCP session may go without a request before it is closed (`--session-idle`). */
export const DEFAULT_SESSION_IDLE_MS = 30 * 60_000;

export interface HttpServeOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Host header values accepted besides the ones the listening address implies (a reverse proxy's). */
  allowedHosts: readonly string[];
  allowedOrigins: readonly string[];
  /** false only for a loopback conformance run; the CLI refuses it anywhere else. */
  auth: boolean;
  tls?: { cert: Buffer; key: Buffer };
  /** Host names the listening address answers to (the CLI knows loopback and interface names). */
  addressNames: readonly string[];
  version: string;
  catalog?: Tool[];
  /** The projects remote agents may work on; default: the project of the server's directory. */
  served?: ServedProjects;
  /** Default DEFAULT_SESSION_IDLE_MS. */
  sessionIdleMs?: number;
}

export interface HttpMcpServer {
  url: string;
  /** Open MCP sessions right now. */
  sessionCount(): number;
  close(): Promise<void>;
}

interface OpenSession {
  transport: StreamableHTTPServerTransport;
  credential?: Credential;
}

export async function serveHttp(app: App, config: Config, options: HttpServeOptions): Promise<HttpMcpServer> {
  const sessions = new Map<string, OpenSession>();
  let site: SitePolicy = { hosts: [], origins: [] };
  const served = options.served ?? (await ServedProjects.load([config.cwd]));
  // Closing the transport closes its server, whose onclose forgets the session (openSession below).
  const idle = new IdleSessions(options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS, (id) => void sessions.get(id)?.transport.close());

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (new URL(request.url ?? '/', 'http://path.invalid').pathname !== MCP_PATH) return reply(response, 404, `not found: the MCP endpoint is ${MCP_PATH}`);
    let credential: Credential | undefined;
    try {
      checkSite(request.headers, site);
      if (options.auth) credential = await authenticate(request.headers, app.tokens);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      return refuse(response, error);
    }
    const sessionId = request.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const open = sessions.get(sessionId);
      if (!open) return reply(response, 404, 'session not found: initialize a new one');
      if (open.credential?.name !== credential?.name || open.credential?.role !== credential?.role) {
        return refuse(response, new DomainError('IDENTITY_MISMATCH', 'this session was opened with another token', 'Use the token the session was opened with, or initialize a new session.'));
      }
      if (request.method !== 'POST') {
        idle.touch(sessionId);
        return open.transport.handleRequest(request, response);
      }
      const done = idle.begin(sessionId);
      response.once('close', done);
      return open.transport.handleRequest(request, response).finally(done);
    }
    if (!served.admits(credential)) return refuse(response, projectForbidden(credential!));
    await openSession(request, response, credential);
  };

  /** A request without a session id must be an initialize; the SDK refuses anything else. */
  const openSession = async (request: IncomingMessage, response: ServerResponse, credential: Credential | undefined) => {
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, ...(credential && { credential }) });
        idle.touch(id);
      },
      // Ours ran first (so it comes before the token); the SDK's own check repeats it with the same lists.
      enableDnsRebindingProtection: true,
      allowedHosts: [...site.hosts],
      allowedOrigins: [...site.origins],
      maxRequestBodySize: MAX_MESSAGE_BYTES,
    });
    const server = createMcpServer(app, config, { version: options.version, served, ...(options.catalog && { catalog: options.catalog }), ...(credential && { credential }) });
    const closed = server.server.onclose;
    server.server.onclose = () => {
      closed?.();
      if (transport.sessionId) {
        sessions.delete(transport.sessionId);
        idle.forget(transport.sessionId);
      }
    };
    server.server.onerror = (error) => process.stderr.write(`lockstep-mcp: ${error.message}\n`);
    await server.connect(transport);
    await transport.handleRequest(request, response);
    if (!transport.sessionId) await server.close(); // not an initialize: nothing to keep
  };

  const listener = (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response).catch((error: unknown) => {
      process.stderr.write(`lockstep-mcp: HTTP request failed: ${(error as Error)?.stack ?? String(error)}\n`);
      if (!response.headersSent) reply(response, 500, 'internal error');
      else response.end();
    });
  };
  const http: Server = options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, listener) : createHttpServer(listener);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const hosts = [...options.addressNames.map((name) => `${name}:${port}`), ...options.allowedHosts].map((host) => host.toLowerCase());
  site = { hosts, origins: [...sameSiteOrigins(hosts, options.tls !== undefined), ...options.allowedOrigins].map((origin) => origin.toLowerCase()) };

  return {
    url: `${options.tls ? 'https' : 'http'}://${hosts[0]}${MCP_PATH}`,
    sessionCount: () => sessions.size,
    async close() {
      idle.stop();
      await Promise.all([...sessions.values()].map(({ transport }) => transport.close()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** A token limited to projects this server does not serve opens no session here (and learns none of its projects). */
function projectForbidden(credential: Credential): DomainError {
  return new DomainError(
    'PROJECT_FORBIDDEN',
    `your access token "${credential.name}" is limited to ${credential.projects!.join(', ')}, which this server does not serve`,
    'Connect to the server of your project, or ask the human for a token for this one.',
  );
}

function refuse(response: ServerResponse, error: DomainError): void {
  const status = refusalStatus(error);
  if (status === 401) response.setHeader('WWW-Authenticate', 'Bearer realm="lockstep-mcp"');
  reply(response, status, `${error.code}: ${error.message}.${error.next ? ` Next: ${error.next}` : ''}`);
}

/** A JSON-RPC error without an id, as the SDK answers requests it refuses at the HTTP level. */
function reply(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}
