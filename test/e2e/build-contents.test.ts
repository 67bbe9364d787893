// What the build leaves out (src/build/not-bundled.js): libraries the MCP SDK loads with its server for
// features lockstep never uses, which cost memory in every server process. Each is recognised by a
// message of its own; the built server still answers (startup.test.ts, server.test.ts, real agents).

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILT_CLI } from '../../fixtures/mcp.js';

const LEFT_OUT = {
  ajv: 'schema must be object or boolean',
  'zod v3': 'Number must be finite',
  'zod-to-json-schema': 'Recursive reference detected',
};

describe('the build', () => {
  it('leaves out ajv, zod v3 and zod-to-json-schema, and says so if anything reaches for them', () => {
    const chunks = join(dirname(BUILT_CLI), 'chunks');
    const code = readdirSync(chunks).map((file) => readFileSync(join(chunks, file), 'utf8')).join('\n');
    for (const [library, marker] of Object.entries(LEFT_OUT)) expect(code.includes(marker), library).toBe(false);
    expect(code).toContain('is left out of this build');
  });
});
