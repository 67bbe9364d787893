// Who may talk to the HTTP server, checked on every request in a fixed order: first the site (Host and
// Origin, against DNS rebinding and cross-site pages), then the bearer token. A foreign Host is refused
// as such before any token is looked at, so a rebinding page learns nothing about the tokens.

import type { IncomingHttpHeaders } from 'node:http';
import { DomainError } from '../core/errors.js';
import type { Credential } from '../domain/context.js';
import type { TokenService } from '../domain/tokens.js';

export interface SitePolicy {
  /** Exact Host header values accepted ("127.0.0.1:8788", or "mcp.example.com" behind a proxy). */
  hosts: readonly string[];
  /** Exact Origin values a browser may send; requests without an Origin (agent CLIs) pass. */
  origins: readonly string[];
}

/** The Origins of pages served from the accepted hosts themselves: what same-origin means here. */
export function sameSiteOrigins(hosts: readonly string[], tls: boolean): string[] {
  return hosts.map((host) => `${tls ? 'https' : 'http'}://${host}`);
}

export function checkSite(headers: IncomingHttpHeaders, policy: SitePolicy): void {
  const host = headers.host;
  if (host === undefined || !policy.hosts.includes(host.toLowerCase())) {
    throw new DomainError(
      'HOST_FORBIDDEN',
      `Host ${JSON.stringify(host ?? null)} is not one this server answers to`,
      `Connect through one of: ${policy.hosts.join(', ')}; or start the server with --allowed-hosts naming this one.`,
    );
  }
  const origin = headers.origin;
  if (origin !== undefined && !policy.origins.includes(origin.toLowerCase())) {
    throw new DomainError(
      'ORIGIN_FORBIDDEN',
      `Origin ${JSON.stringify(origin)} may not call this server`,
      'Browser pages of other sites are refused; start the server with --allowed-origins to allow one.',
    );
  }
}

/** The credential the request's "Authorization: Bearer …" proves (TOKEN_INVALID when it proves none). */
export function authenticate(headers: IncomingHttpHeaders, tokens: TokenService): Promise<Credential> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return tokens.verify(match?.[1]);
}

/** The HTTP status a refusal of this module maps to. */
export function refusalStatus(error: DomainError): number {
  return error.code === 'TOKEN_INVALID' ? 401 : 403;
}
