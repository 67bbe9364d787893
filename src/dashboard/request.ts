// Reading what a request asks for: a JSON body within a size cap and query parameters, each checked
// against a zod schema, so a bad request is refused with a code before any domain call runs.

import type { IncomingMessage } from 'node:http';
import type * as z from 'zod';
import { DomainError } from '../core/errors.js';

/** Every action the page sends is a few fields; anything larger is not from it. */
export const BODY_MAX_BYTES = 64 * 1024;

export async function jsonBody<S extends z.ZodType>(req: IncomingMessage, schema: S): Promise<z.output<S>> {
  if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
    throw new DomainError('INVALID_INPUT', 'the body must be application/json', 'Send JSON with Content-Type: application/json.');
  }
  const text = await readCapped(req);
  let value: unknown;
  try {
    value = text.length === 0 ? {} : JSON.parse(text);
  } catch (error) {
    throw new DomainError('INVALID_INPUT', `malformed JSON: ${(error as Error).message}`, 'Send a valid JSON object.');
  }
  return checked(schema, value, 'body');
}

export function queryOf<S extends z.ZodType>(req: IncomingMessage, schema: S): z.output<S> {
  const url = new URL(req.url ?? '/', 'http://dashboard');
  return checked(schema, Object.fromEntries(url.searchParams), 'query');
}

export function checked<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.join('.') : where;
  throw new DomainError('INVALID_INPUT', `${field}: ${issue.message}`, 'Fix that field and send the request again.');
}

async function readCapped(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > BODY_MAX_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_MAX_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(): DomainError {
  return new DomainError('MESSAGE_TOO_LARGE', `request bodies are limited to ${BODY_MAX_BYTES} bytes`, 'Send less: long text belongs in a note or a file.');
}
