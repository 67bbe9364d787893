// How the dashboard answers: compact JSON (gzipped when large and accepted), and every failure as a
// 4xx/5xx with {error: {code, message, next}} so the page and scripts act on the code, never on text.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { isDomainError, type ErrorCode } from '../core/errors.js';

/** Below this a gzip frame costs more than it saves. */
const GZIP_FROM_BYTES = 1024;

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  INVALID_INPUT: 400,
  INVALID_NAME: 400,
  IDENTITY_REQUIRED: 400,
  TOKEN_INVALID: 401,
  HOST_FORBIDDEN: 403,
  ORIGIN_FORBIDDEN: 403,
  ROLE_FORBIDDEN: 403,
  NOT_OWNER: 403,
  NOT_FOUND: 404,
  PATH_NOT_FOUND: 404,
  BRANCH_NOT_FOUND: 404,
  MESSAGE_TOO_LARGE: 413,
  STORE_BUSY: 503,
  REPOSITORY_BUSY: 503,
  INTERNAL: 500,
};

export function sendJson(req: IncomingMessage, res: ServerResponse, value: unknown, status = 200): void {
  const body = Buffer.from(JSON.stringify(value));
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  if (body.length >= GZIP_FROM_BYTES && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Vary', 'Accept-Encoding');
    res.end(gzipSync(body));
    return;
  }
  res.end(body);
}

/** A domain refusal keeps its code; anything else is an INTERNAL 500 whose message is still shown. */
export function sendError(req: IncomingMessage, res: ServerResponse, error: unknown): void {
  if (isDomainError(error)) {
    // A rule that refused (wrong state, lock held, conflict) is a conflict with the current state.
    const status = STATUS_BY_CODE[error.code] ?? 409;
    sendJson(req, res, { error: { code: error.code, message: error.message, next: error.next, ...(error.details && { details: error.details }) } }, status);
    return;
  }
  sendJson(req, res, { error: { code: 'INTERNAL', message: (error as Error)?.message ?? String(error), next: 'See the dashboard log; retry.' } }, 500);
}
