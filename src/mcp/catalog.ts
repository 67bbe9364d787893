// The tools/list answer. The SDK converts every zod schema to JSON Schema on each listing, which is
// a large share of a server's start-up; the build asks the SDK once and ships its answer, and the
// server replays it (handshake.ts reads it). A test compares the shipped catalog with a live
// listing so they cannot drift.

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ListToolsRequestSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';

/** Lists the tools of `server` exactly as a client would see them, computed by the SDK itself. */
export async function listToolsOf(server: McpServer): Promise<Tool[]> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'lockstep-catalog', version: '1.0.0' });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  const { tools } = await client.listTools();
  await client.close();
  return tools;
}

/** Answers tools/list from the catalog; tools/call still validates with the live zod schemas. */
export function serveCatalog(server: McpServer, catalog: Tool[]): void {
  server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: catalog }));
}
