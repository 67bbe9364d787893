// Stands in, in the built server only, for libraries the MCP SDK imports for features lockstep never
// uses, so they are neither loaded nor kept in memory (README "Performance"): ajv and ajv-formats
// (the SDK's default JSON Schema validator; every server and client here is given
// core/no-schema-validator.ts instead), zod v3 and zod-to-json-schema (the SDK's support for zod 3
// tool schemas; every schema here is zod 4). Reaching any of these is a build mistake, said loudly.

function notBundled(name) {
  // A plain function, so that `new Ajv()` throws this too.
  return function notBundled() {
    throw new Error(`lockstep-mcp: ${name} is left out of this build (src/build/not-bundled.js), yet something used it`);
  };
}

export default notBundled('ajv / ajv-formats');
export const object = notBundled('zod v3');
export const zodToJsonSchema = notBundled('zod-to-json-schema');
