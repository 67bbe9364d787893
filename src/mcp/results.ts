// How tool outcomes travel back to an agent: compact JSON as structuredContent and as text, and
// domain errors as isError results that lead with the stable code and end with the next step.

import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isDomainError } from '../core/errors.js';

export function successResult(value: object): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(value) }],
    structuredContent: value as Record<string, unknown>,
  };
}

export function errorResult(error: unknown, toolName: string): CallToolResult {
  if (isDomainError(error)) {
    const text = `${error.code}: ${error.message}.${error.next ? ` Next: ${error.next}` : ''}`;
    return {
      isError: true,
      content: [{ type: 'text', text }],
      structuredContent: {
        error: { code: error.code, message: error.message, next: error.next, ...(error.details && { details: error.details }) },
      },
    };
  }
  // Unexpected: keep the detail for the operator (stderr, never stdout, which carries the protocol).
  process.stderr.write(`lockstep-mcp: ${toolName} failed: ${(error as Error)?.stack ?? String(error)}\n`);
  return {
    isError: true,
    content: [{ type: 'text', text: `INTERNAL: ${toolName} failed unexpectedly. Next: retry once; if it fails again, tell the human.` }],
    structuredContent: { error: { code: 'INTERNAL', message: `${toolName} failed unexpectedly` } },
  };
}
