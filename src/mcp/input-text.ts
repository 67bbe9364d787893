// Two rules for the text agents send, applied to every tool by defineTool: an empty optional string
// means "not given" (agents fill every field of a schema), and text the stores cannot keep exactly is
// refused before any handler runs: SQLite turns an unpaired UTF-16 surrogate into U+FFFD, and NUL cuts
// paths, argv and C strings short.

import * as z from 'zod';
import { DomainError } from '../core/errors.js';
import type { ToolInput } from './define.js';

const blankAsAbsent = (value: unknown) => (value === '' ? undefined : value);

/**
 * The same object schema with each optional string field accepting "" as absent. The preprocess step
 * leaves the advertised JSON Schema unchanged (zod lists a preprocessed field by its target schema),
 * so clients still see minLength where there is one.
 */
export function acceptBlankOptionals<I extends ToolInput>(input: I): I {
  const lenient: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(input.shape)) {
    if (field instanceof z.ZodOptional && field.unwrap() instanceof z.ZodString) {
      lenient[key] = z.preprocess(blankAsAbsent, field);
    }
  }
  return (Object.keys(lenient).length === 0 ? input : input.extend(lenient)) as I;
}

/** Throws INVALID_INPUT naming the first string (value or key, at any depth) that is not well formed. */
export function assertStorableText(value: unknown, path = ''): void {
  if (typeof value === 'string') {
    if (!storable(value)) throw unstorable(path || 'input');
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => assertStorableText(item, `${path}[${index}]`));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (!storable(key)) throw unstorable(path || 'input');
      assertStorableText(item, at);
    }
  }
}

// Node 20 has String.prototype.isWellFormed, but the ES2023 lib types do not declare it yet.
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function storable(text: string): boolean {
  return !text.includes('\0') && !UNPAIRED_SURROGATE.test(text);
}

function unstorable(field: string): DomainError {
  return new DomainError(
    'INVALID_INPUT',
    `${field} holds a NUL character or an unpaired UTF-16 surrogate, which cannot be stored exactly`,
    `Send ${field} as well-formed text without NUL; for binary file content use encoding "base64".`,
  );
}
