// Starts a configured server command (or connects to a remote entry) the way an MCP client would and
// asks it to initialize and list its tools: the only honest answer to "will Claude Code / Codex be able
// to use this entry?".

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { probeRemote } from './remote-probe.js';
import { isRemote, type ServerCommand, type ServerEntry } from './server-entry.js';
import { NO_SCHEMA_VALIDATOR } from '../core/no-schema-validator.js';

export const PROBE_TIMEOUT_MS = 20_000;

/** Why a remote entry does not answer; a stdio command's failure is told by its stderr instead. */
export type RemoteFailure = 'token-variable-missing' | 'unauthorized' | 'forbidden' | 'not-found' | 'unreachable' | 'failed';

export type ProbeResult = { ok: true; tools: number } | { ok: false; error: string; reason?: RemoteFailure };

export interface ProbeOptions {
  cwd: string;
  timeoutMs?: number;
  /** Where a remote entry's token variable is read (default: this process's environment). */
  env?: NodeJS.ProcessEnv;
}

export async function probeServer(entry: ServerEntry, options: ProbeOptions): Promise<ProbeResult> {
  const timeout = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  return isRemote(entry) ? probeRemote(entry, options, timeout) : probeCommand(entry, options, timeout);
}

async function probeCommand(server: ServerCommand, options: ProbeOptions, timeout: number): Promise<ProbeResult> {
  // Codex hands a server only a few basic variables; probing with the same keeps us honest for both.
  const transport = new StdioClientTransport({ ...server, cwd: options.cwd, env: getDefaultEnvironment(), stderr: 'pipe' });
  let stderrTail = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-2_000);
  });
  const client = new Client({ name: 'lockstep-mcp-probe', version: '1.0.0' }, { jsonSchemaValidator: NO_SCHEMA_VALIDATOR });
  try {
    await client.connect(transport, { timeout });
    const { tools } = await client.listTools(undefined, { timeout });
    return { ok: true, tools: tools.length };
  } catch (error) {
    return { ok: false, error: failureText(server, (error as Error).message, stderrTail) };
  } finally {
    await client.close().catch(() => undefined);
  }
}

function failureText(server: ServerCommand, message: string, stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim()).filter(Boolean);
  // Node ends a crash with its version; the line naming the error says what went wrong.
  const telling = lines.find((line) => /error/i.test(line)) ?? lines.at(-1);
  const started = `${server.command} ${server.args.join(' ')}`;
  return `${started}: ${message}${telling ? ` (stderr: ${telling})` : ''}`;
}
