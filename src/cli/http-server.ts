// `lockstep-mcp server --http`: the HTTP flags, the rules for leaving loopback (a warning, and never
// without a token), and the process around serveHttp. Loaded only with --http, so a stdio server never
// pays for it.

import { readFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import * as z from 'zod';
import { loadConfig, type Settings } from '../config.js';
import { DomainError } from '../core/errors.js';
import { isLoopback } from '../core/loopback.js';
import { createApp } from '../domain/app.js';
import { ServedProjects } from '../domain/served-projects.js';
import { readCatalog } from '../mcp/catalog.js';
import { DEFAULT_SESSION_IDLE_MS, serveHttp, type HttpServeOptions } from '../mcp/http-server.js';
import { duration } from './duration.js';
import type { ServerBuild } from './server.js';

const list = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((item) => item.trim()).filter(Boolean));

const httpFlags = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65_535).default(8788),
  tlsCert: z.string().min(1).optional(),
  tlsKey: z.string().min(1).optional(),
  allowedHosts: list.default([]),
  allowedOrigins: list.default([]),
  auth: z.boolean().default(true),
  sessionIdle: duration.refine((ms) => ms >= 1_000, 'at least 1s').default(DEFAULT_SESSION_IDLE_MS),
  serve: list.default([]),
});

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const WILDCARDS = ['0.0.0.0', '::', '[::]'];

export async function runHttpServer(flags: Partial<Record<keyof Settings, unknown>> & Record<string, unknown>, build: ServerBuild): Promise<void> {
  const parsed = httpFlags.safeParse(flags);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DomainError('INVALID_INPUT', `bad HTTP setting --${String(issue.path[0]).replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}: ${issue.message}`, 'Fix the flag and start again.');
  }
  const http = parsed.data;
  const config = loadConfig(flags);
  const app = await createApp(config);
  try {
    await refuseUnsafeExposure(http, () => app.tokens.anyActive());
    const served = await ServedProjects.load([config.cwd, ...http.serve]);
    const server = await serveHttp(app, config, {
      host: http.host === '[::1]' ? '::1' : http.host,
      port: http.port,
      allowedHosts: http.allowedHosts,
      allowedOrigins: http.allowedOrigins,
      auth: http.auth,
      addressNames: addressNames(http.host),
      version: build.version,
      catalog: readCatalog(build.catalogFile),
      served,
      sessionIdleMs: http.sessionIdle,
      ...tlsFiles(http.tlsCert, http.tlsKey),
    } satisfies HttpServeOptions);
    // Remote agents name their project by these (coordination_init's `project`), so they are printed.
    for (const project of served.all) {
      process.stderr.write(`lockstep-mcp: project ${project.id}${project.remotes.length > 0 ? ` (shared remote ${project.remotes.join(', ')})` : ''}\n`);
    }
    process.stderr.write(`lockstep-mcp: serving MCP over Streamable HTTP at ${server.url}${http.auth ? '' : ' (authentication OFF)'}\n`);
    const shutdown = () => void server.close().finally(() => {
      app.close();
      process.exit(0);
    });
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  } catch (error) {
    app.close();
    throw error;
  }
}

/** Beyond loopback anyone on the network can connect: only with tokens, and never quietly. */
async function refuseUnsafeExposure(http: z.output<typeof httpFlags>, anyToken: () => Promise<boolean>): Promise<void> {
  if (isLoopback(http.host)) return;
  if (!http.auth) {
    throw new DomainError('INVALID_INPUT', `--no-auth is allowed only on a loopback address, not on ${http.host}`, 'Drop --no-auth, or bind to 127.0.0.1.');
  }
  if (!(await anyToken())) {
    throw new DomainError(
      'INVALID_INPUT',
      `binding to ${http.host} makes the server reachable from other machines, and there is no token yet`,
      'Create one first: lockstep-mcp token create --name NAME --role implementer',
    );
  }
  process.stderr.write(
    `lockstep-mcp: WARNING: listening on ${http.host}, reachable from other machines. Every request needs a token; ` +
      `${http.tlsCert ? 'traffic is encrypted (TLS)' : 'traffic is NOT encrypted: use --tls-cert/--tls-key or a TLS reverse proxy'}.\n`,
  );
}

/** The host names a request may carry for this listening address (the bound one first: it makes the URL). */
function addressNames(host: string): string[] {
  if (isLoopback(host)) return [...new Set([host === '::1' ? '[::1]' : host, ...LOOPBACK_NAMES])];
  if (!WILDCARDS.includes(host)) return [host.includes(':') && !host.startsWith('[') ? `[${host}]` : host];
  const addresses = Object.values(networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .map((entry) => (entry.family === 'IPv6' ? `[${entry.address}]` : entry.address));
  return [...new Set([hostname(), ...LOOPBACK_NAMES, ...addresses])];
}

function tlsFiles(cert: string | undefined, key: string | undefined): { tls?: { cert: Buffer; key: Buffer } } {
  if (cert === undefined && key === undefined) return {};
  if (cert === undefined || key === undefined) {
    throw new DomainError('INVALID_INPUT', '--tls-cert and --tls-key go together', 'Give both files (PEM), or neither.');
  }
  return { tls: { cert: readFileSync(cert), key: readFileSync(key) } };
}
