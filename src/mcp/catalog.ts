// The tools/list answer. Converting every zod schema to JSON Schema is a large share of a server's
// start-up, so the build lists the tools once and ships the answer, and the server replays it; from
// source the server computes the same answer on the first listing. A test compares the shipped
// catalog with a live listing so they cannot drift.

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ListToolsRequestSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { readFileSync } from 'node:fs';
import { advertisedSchema } from './advertised-schema.js';
import type { ToolDefinition } from './define.js';
import { NO_SCHEMA_VALIDATOR } from '../core/no-schema-validator.js';

/** Lists the tools of `server` exactly as a client would see them, computed by the SDK itself. */
export async function listToolsOf(server: McpServer): Promise<Tool[]> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'lockstep-catalog', version: '1.0.0' }, { jsonSchemaValidator: NO_SCHEMA_VALIDATOR });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  const { tools } = await client.listTools();
  await client.close();
  return tools;
}

/** The shipped catalog, or undefined when running from source (the SDK then lists live). */
export function readCatalog(file: string): Tool[] | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Tool[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** What tools/list says about each tool: title and annotations reach no model, so they cost nothing there. */
export function catalogOf(tools: readonly ToolDefinition[]): Tool[] {
  return tools.map(({ name, title, description, input, annotations }) => ({
    name,
    title,
    description,
    inputSchema: advertisedSchema(input),
    annotations,
  }));
}

/** Answers tools/list from the catalog (made on first use); tools/call still validates with the zod schemas. */
export function serveCatalog(server: McpServer, catalog: () => Tool[]): void {
  let tools: Tool[] | undefined;
  server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: (tools ??= catalog()) }));
}
