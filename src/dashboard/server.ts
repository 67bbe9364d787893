// The dashboard's HTTP server: polka routes the JSON API, sirv serves the built page from web/dist, the
// guard checks every request first, and the live feed takes over WebSocket upgrades. One per process.

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import polka from 'polka';
import sirv from 'sirv';
import { DomainError } from '../core/errors.js';
import { actionRoutes } from './action-routes.js';
import { LiveFeed } from './live.js';
import { readRoutes } from './read-routes.js';
import { sendError } from './responses.js';
import type { DashboardScope } from './scope.js';
import { createGuard } from './security.js';

export interface DashboardOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The built page; default: web/dist of this package. */
  webRoot?: string;
  /** Default: a fresh random one per run. */
  token?: string;
}

export interface RunningDashboard {
  /** http://host:port, without the token. */
  url: string;
  port: number;
  token: string;
  server: Server;
  close(): Promise<void>;
}

export async function startDashboard(scope: DashboardScope, options: DashboardOptions): Promise<RunningDashboard> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  // The dashboard writes for humans: counted as a session, so no agent session in this process takes
  // itself for the process's only writer and skips reading news (AgentService.touch).
  const presence = `dashboard:${randomBytes(6).toString('hex')}`;
  scope.app.context.openSessions.add(presence);
  const guard = createGuard({ host: options.host, token });
  const live = new LiveFeed(scope, guard);
  const notFound = (req: Parameters<typeof sendError>[0], res: Parameters<typeof sendError>[1]) =>
    sendError(req, res, new DomainError('NOT_FOUND', `nothing at ${new URL(req.url ?? '/', 'http://dashboard').pathname}`, 'See the API routes in the README.'));
  const app = polka({ onNoMatch: notFound });
  app.use(guard.middleware);
  readRoutes(app, scope);
  actionRoutes(app, scope);
  const webRoot = options.webRoot ?? findWebRoot();
  // The page's files change only with a new build: revalidated by ETag, precompressed when built so.
  if (webRoot) app.use(sirv(webRoot, { etag: true, gzip: true, brotli: true, dev: false }) as never);

  const server = createServer(app.handler);
  server.on('upgrade', (req, socket, head) => live.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  guard.setPort(port);
  // A wildcard address is not one to browse to; this machine's loopback is.
  const shown = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  const host = shown.includes(':') ? `[${shown}]` : shown;
  return {
    url: `http://${host}:${port}`,
    port,
    token,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        scope.app.context.openSessions.delete(presence);
        live.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** web/dist of this package, whether running from src/ or from the bundle in dist/ (chunks one level deeper). */
function findWebRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 4; depth++, dir = dirname(dir)) {
    const candidate = join(dir, 'web', 'dist');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
  }
  return undefined;
}
