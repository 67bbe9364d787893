// The advertised input schema is derived from the validating zod schema by one documented transform.

import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { advertisedSchema } from '../../src/mcp/advertised-schema.js';

describe('the advertised schema of a tool input', () => {
  it('keeps types, enums, items, required and descriptions, and leaves out what only the validator needs', () => {
    const input = z
      .object({
        title: z.string().min(1).max(200).describe('Shown to people.'),
        status: z.enum(['todo', 'done']).optional(),
        ids: z.array(z.coerce.number().int().positive()).min(1).max(100),
        env: z.record(z.string(), z.string()).optional(),
        metadata: z.record(z.string(), z.json()).optional(),
      })
      .strict();
    expect(advertisedSchema(input)).toEqual({
      type: 'object',
      properties: {
        title: { type: 'string', description: 'Shown to people.' },
        status: { enum: ['todo', 'done'] },
        ids: { type: 'array', items: { type: 'integer' } },
        env: { type: 'object', additionalProperties: { type: 'string' } },
        metadata: { type: 'object' },
      },
      required: ['title', 'ids'],
    });
  });
});
