// Connects to a remote entry the way Claude Code and Codex will — Streamable HTTP, the bearer token read
// from the named variable of this environment — and lists the tools. A failure says which of the usual
// mistakes it is, so status can tell a human what to fix.

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { ProbeOptions, ProbeResult, RemoteFailure } from './probe.js';
import type { RemoteServer } from './remote-server.js';
import { NO_SCHEMA_VALIDATOR } from '../core/no-schema-validator.js';

export async function probeRemote(server: RemoteServer, options: ProbeOptions, timeout: number): Promise<ProbeResult> {
  if (server.tokenEnv === undefined) {
    return failed('token-variable-missing', `${server.url}: the entry names no token variable (Authorization: Bearer \${VAR})`);
  }
  const token = (options.env ?? process.env)[server.tokenEnv];
  if (!token) {
    return failed('token-variable-missing', `$${server.tokenEnv} is not set here, so the client would send no token; set it where the client runs`);
  }
  const transport = new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
  const client = new Client({ name: 'lockstep-mcp-probe', version: '1.0.0' }, { jsonSchemaValidator: NO_SCHEMA_VALIDATOR });
  try {
    await client.connect(transport, { timeout });
    const { tools } = await client.listTools(undefined, { timeout });
    return { ok: true, tools: tools.length };
  } catch (error) {
    return classify(server, error as Error);
  } finally {
    // Ends the session on the server at once instead of leaving it to time out.
    await transport.terminateSession().catch(() => undefined);
    await client.close().catch(() => undefined);
  }
}

function classify(server: RemoteServer, error: Error): ProbeResult {
  if (error instanceof StreamableHTTPError) {
    const status = error.code ?? 0;
    if (status === 401) return failed('unauthorized', `${server.url}: 401, the server refused the token in $${server.tokenEnv} (unknown, revoked or expired)`);
    if (status === 403) return failed('forbidden', `${server.url}: 403, the server refuses this Host or Origin (server --http --allowed-hosts)`);
    if (status === 404 || status === 405 || status === -1) return failed('not-found', `${server.url}: no MCP endpoint here (${status === -1 ? 'not an MCP answer' : status}); server --http serves /mcp`);
    return failed('failed', `${server.url}: ${error.message}`);
  }
  // fetch puts the network error (ECONNREFUSED, ENOTFOUND, a certificate) in its cause.
  const cause = (error.cause as { code?: string; message?: string } | undefined);
  const why = cause?.code ?? cause?.message ?? error.message;
  return failed('unreachable', `${server.url}: cannot connect (${why})`);
}

function failed(reason: RemoteFailure, error: string): ProbeResult {
  return { ok: false, error, reason };
}
