// The input schema a client is shown, derived from the one zod schema that validates. Claude Code
// forwards the JSON Schema to the model byte for byte and Codex keeps only types, descriptions,
// properties, required, items, enums and unions, on every model request; so the advertised schema
// keeps what tells a model how to call and leaves limits to the validator, which still enforces them
// (INVALID_INPUT names the field). Measured in README "Performance: what a model request costs".

import * as z from 'zod';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ToolInput } from './define.js';

/** Keywords the validator enforces that a model does not need up front. */
const VALIDATOR_ONLY = new Set([
  '$schema',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minItems',
  'maxItems',
  'propertyNames',
  'definitions',
]);

export function advertisedSchema(input: ToolInput): Tool['inputSchema'] {
  return lean(z.toJSONSchema(input, { target: 'draft-7', io: 'input' })) as Tool['inputSchema'];
}

type Json = Record<string, unknown>;

function lean(schema: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (VALIDATOR_ONLY.has(key)) continue;
    // Objects are closed by .strict() in the validator; saying so costs 28 bytes per tool per request.
    if (key === 'additionalProperties' && (value === false || isAnyValue(value))) continue;
    // An enum says its type already.
    if (key === 'type' && 'enum' in schema) continue;
    if (key === 'properties') out[key] = mapValues(value as Record<string, Json>, lean);
    else if (key === 'items' || key === 'additionalProperties') out[key] = lean(value as Json);
    else if (key === 'anyOf' || key === 'oneOf') out[key] = (value as Json[]).map(lean);
    else out[key] = value;
  }
  // zod's recursive JSON value (metadata, payloads) is a $ref into definitions: advertise it as any value.
  return '$ref' in out ? {} : out;
}

function isAnyValue(value: unknown): boolean {
  return typeof value === 'object' && value !== null && ('$ref' in value || Object.keys(value).length === 0);
}

function mapValues<T, U>(record: Record<string, T>, map: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}
