// The MCP handshake as the SDK answers it, recorded at build time (dist/handshake.json) so that a
// started server can answer `initialize` without loading the SDK. A test compares the recorded answer
// with the SDK's live one for every protocol version it supports, so they cannot drift.

import { readFileSync } from 'node:fs';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { InitializeResult, JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export interface Handshake {
  /** The versions the SDK agrees to; any other request gets the first (the SDK's latest). */
  protocolVersions: string[];
  /** The initialize result without its protocolVersion, which depends on the request. */
  initialize: Pick<InitializeResult, 'capabilities' | 'serverInfo' | 'instructions'>;
}

/** What the built server answers the handshake with; undefined when a file is missing (from source). */
export interface ShippedAnswers {
  handshake: Handshake;
  /** tools/list's `tools` as JSON text, spliced into answers as is: never parsed on the handshake path. */
  toolsJson: string;
}

export function readShippedAnswers(handshakeFile: string, catalogFile: string): ShippedAnswers | undefined {
  try {
    return { handshake: JSON.parse(readFileSync(handshakeFile, 'utf8')) as Handshake, toolsJson: readFileSync(catalogFile, 'utf8') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The initialize result the SDK would give for `requested`. */
export function initializeResult(handshake: Handshake, requested: string): InitializeResult {
  const protocolVersion = handshake.protocolVersions.includes(requested) ? requested : handshake.protocolVersions[0]!;
  return { protocolVersion, ...handshake.initialize } as InitializeResult;
}

/**
 * Asks a connected SDK server for its handshake, as a client would, over `clientSide` (the other end
 * of an in-memory pair). Build time and tests only: it loads the SDK.
 */
export async function recordHandshake(clientSide: Transport): Promise<Handshake> {
  const { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } = await import('@modelcontextprotocol/sdk/types.js');
  const answer = await new Promise<JSONRPCMessage>((resolve) => {
    clientSide.onmessage = resolve;
    void clientSide.start().then(() =>
      clientSide.send({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'lockstep-build', version: '1' } },
      }),
    );
  });
  if (!('result' in answer)) throw new Error(`the SDK refused initialize: ${JSON.stringify(answer)}`);
  const { protocolVersion, ...initialize } = answer.result as InitializeResult;
  if (protocolVersion !== LATEST_PROTOCOL_VERSION) throw new Error(`unexpected protocol version ${protocolVersion}`);
  return { protocolVersions: [LATEST_PROTOCOL_VERSION, ...SUPPORTED_PROTOCOL_VERSIONS.filter((v) => v !== LATEST_PROTOCOL_VERSION)], initialize };
}
