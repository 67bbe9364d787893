// A lockstep server reached over Streamable HTTP (`server --http` on another machine). Only the NAME of
// the environment variable holding the bearer token is ever written to a client's file: both clients
// read the secret from their own environment when they connect.

import { DomainError } from '../core/errors.js';
import { isLoopback } from '../core/loopback.js';

export interface RemoteServer {
  url: string;
  /** The variable the client reads the token from; undefined for an entry that names none. */
  tokenEnv?: string;
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Checks what a human typed. Plain http beyond loopback would send the token in clear across a network,
 * so it needs `insecure` (a private network or VPN the human vouches for).
 */
export function remoteServer(url: string, tokenEnv: string, options: { insecure?: boolean } = {}): RemoteServer {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DomainError('INVALID_INPUT', `--remote "${url}" is not a URL`, 'Give the server\'s address, e.g. --remote https://mcp.example.com/mcp');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new DomainError('INVALID_INPUT', `--remote must be an http(s) URL, not ${parsed.protocol}`, 'Give the https:// address of lockstep-mcp server --http.');
  }
  if (parsed.username || parsed.password) {
    throw new DomainError('INVALID_INPUT', '--remote must not carry credentials', 'Drop the user:password@ part; the token comes from --token-env.');
  }
  if (parsed.protocol === 'http:' && !isLoopback(parsed.hostname) && !options.insecure) {
    throw new DomainError(
      'INVALID_INPUT',
      `plain http to ${parsed.hostname} would send the token in clear across the network`,
      'Use https:// (server --http --tls-cert, or a TLS reverse proxy), or add --insecure on a network you trust.',
    );
  }
  if (!VARIABLE_NAME.test(tokenEnv) || tokenEnv.startsWith('lsk_')) {
    throw new DomainError(
      'INVALID_INPUT',
      `--token-env must be the NAME of an environment variable (letters, digits, _), not "${tokenEnv.startsWith('lsk_') ? 'lsk_…' : tokenEnv}"`,
      'Put the token in a variable (export LOCKSTEP_TOKEN=lsk_…) and pass --token-env LOCKSTEP_TOKEN: the token itself is never written to a file.',
    );
  }
  return { url: parsed.href, tokenEnv };
}

/** The variable named by a `Bearer ${VAR}` header value, as Claude Code expands it. */
export function bearerVariable(header: unknown): string | undefined {
  const match = typeof header === 'string' ? /^Bearer \$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(header) : null;
  return match?.[1];
}
