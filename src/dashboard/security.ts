// The dashboard acts with a human's authority, so every request proves three things: it names this
// server in Host (no DNS rebinding), it carries the per-run token or the cookie it was exchanged for
// (no other local process or site), and, when it changes state or opens the live feed, its Origin is
// this dashboard's own (no cross-site request). Pages get a CSP that allows only our own files.

import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';
import { hostHeaderValidation } from '@modelcontextprotocol/sdk/server/middleware/hostHeaderValidation.js';
import { DomainError } from '../core/errors.js';
import { sendError } from './responses.js';

export const SESSION_COOKIE = 'lockstep_session';

/** Only our own scripts, styles and feed: agent-written text can never become running code. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface Guard {
  /** polka middleware: Host, token or cookie, Origin on state changes, security headers. */
  middleware(req: IncomingMessage, res: ServerResponse, next: () => void): void;
  /** The same checks for a WebSocket upgrade (which skips the middleware); the refusal, if any. */
  refuseUpgrade(req: IncomingMessage): DomainError | undefined;
  /** Set once the server listens: the origins its own pages have. */
  setPort(port: number): void;
}

export function createGuard(options: { host: string; token: string }): Guard {
  const names = hostNames(options.host);
  let origins = new Set<string>();
  const hostCheck = hostHeaderValidation(names);
  const tokenMatches = (given: string | undefined) => given !== undefined && sameSecret(given, options.token);
  const authenticated = (req: IncomingMessage) => tokenMatches(cookieValue(req, SESSION_COOKIE));
  const hostRefusal = (req: IncomingMessage): DomainError | undefined => {
    let refusal: DomainError | undefined;
    // The SDK's middleware speaks Express (res.status().json()); it only reports here.
    const probe = { status: () => ({ json: (body: { error: { message: string } }) => (refusal = hostForbidden(body.error.message)) }) };
    hostCheck(req as never, probe as never, () => undefined);
    return refusal;
  };
  const originRefusal = (req: IncomingMessage): DomainError | undefined => {
    const origin = req.headers.origin;
    if (origin !== undefined && origins.has(origin)) return undefined;
    return new DomainError('ORIGIN_FORBIDDEN', `Origin ${origin ?? '(none)'} is not this dashboard`, 'Use the page the dashboard serves; other sites may not act on it.');
  };
  return {
    setPort(port) {
      origins = new Set(names.map((name) => `http://${name}:${port}`));
    },
    refuseUpgrade(req) {
      return hostRefusal(req) ?? originRefusal(req) ?? (authenticated(req) ? undefined : tokenRequired());
    },
    middleware(req, res, next) {
      setSecurityHeaders(res);
      const refusal = hostRefusal(req) ?? (SAFE_METHODS.has(req.method ?? 'GET') ? undefined : originRefusal(req));
      if (refusal) return sendError(req, res, refusal);
      const url = new URL(req.url ?? '/', 'http://dashboard');
      const token = url.searchParams.get('token') ?? undefined;
      if (token !== undefined && req.method === 'GET' && tokenMatches(token)) return exchangeToken(res, url, options.token);
      if (!authenticated(req)) return sendError(req, res, tokenRequired());
      next();
    },
  };
}

/**
 * The names this dashboard answers to: loopback ones, plus the host it was told to listen on; on a
 * wildcard address, this machine's name and interface addresses (what another machine would type).
 */
function hostNames(host: string): string[] {
  const bracketed = (address: string) => (address.includes(':') ? `[${address}]` : address);
  const wildcard = host === '0.0.0.0' || host === '::';
  const own = wildcard
    ? [hostname(), ...Object.values(networkInterfaces()).flatMap((entries) => (entries ?? []).map((entry) => bracketed(entry.address)))]
    : [bracketed(host)];
  return [...new Set([...LOOPBACK_NAMES, ...own])];
}

/** The token leaves the address bar (and history, and Referer) at once: a cookie carries it from now on. */
function exchangeToken(res: ServerResponse, url: URL, token: string): void {
  url.searchParams.delete('token');
  res.statusCode = 303;
  res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
  res.setHeader('Location', `${url.pathname}${url.search}`);
  res.end();
}

function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function tokenRequired(): DomainError {
  return new DomainError('TOKEN_INVALID', 'this dashboard needs its access token', 'Open the URL that `lockstep-mcp dashboard` prints (it carries the token).');
}

function hostForbidden(message: string): DomainError {
  return new DomainError('HOST_FORBIDDEN', `${message}: not an address this dashboard serves`, 'Open the dashboard by the address it printed.');
}
