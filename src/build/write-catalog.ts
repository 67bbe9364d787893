// Build step: writes dist/tool-catalog.json (the tools/list answer) and dist/handshake.json (the
// initialize answer), which the built server replays; both come from the SDK itself.

import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import packageJson from '../../package.json' with { type: 'json' };
import { loadConfig } from '../config.js';
import { createApp } from '../domain/app.js';
import { listToolsOf } from '../mcp/catalog.js';
import { recordHandshake } from '../mcp/handshake.js';
import { createMcpServer } from '../mcp/server.js';

const [outputDir] = process.argv.slice(2);
if (!outputDir) throw new Error('usage: write-catalog <dist directory>');
// Listing tools never touches the store, which opens lazily, so no store file is created here.
const config = loadConfig({ dbPath: '/nonexistent/lockstep-catalog.db' });
const app = await createApp(config);
const server = () => createMcpServer(app, config, { version: packageJson.version });
writeFileSync(join(outputDir, 'tool-catalog.json'), JSON.stringify(await listToolsOf(server())));
const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
await server().connect(serverSide);
writeFileSync(join(outputDir, 'handshake.json'), JSON.stringify(await recordHandshake(clientSide)));
