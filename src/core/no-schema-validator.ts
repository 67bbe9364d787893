// The JSON Schema validator lockstep gives the MCP SDK's servers and clients in place of its default,
// ajv, which the build leaves out (src/build/not-bundled.js) to keep every server process smaller.
// The SDK validates only two things with it: a client's answers to a server's elicitation, and a tool's
// structured output against its declared outputSchema. Our server asks nothing, our tools declare no
// output schema, and our clients (install's probe, the demo) talk only to our server: nothing to check.

import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';

export const NO_SCHEMA_VALIDATOR: jsonSchemaValidator = {
  getValidator() {
    throw new Error('lockstep-mcp validates no JSON Schema: it neither elicits nor declares tool output schemas');
  },
};
