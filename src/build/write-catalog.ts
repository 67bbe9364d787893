// Build step: writes dist/tool-catalog.json, the tools/list answer the built server replays.

import { writeFileSync } from 'node:fs';
import { loadConfig } from '../config.js';
import { createApp } from '../domain/app.js';
import { listToolsOf } from '../mcp/catalog.js';
import { createMcpServer } from '../mcp/server.js';

const [output] = process.argv.slice(2);
if (!output) throw new Error('usage: write-catalog <output.json>');
// Listing tools never touches the store, which opens lazily, so no store file is created here.
const config = loadConfig({ dbPath: '/nonexistent/lockstep-catalog.db' });
const app = await createApp(config);
const tools = await listToolsOf(createMcpServer(app, config, { version: 'catalog' }));
writeFileSync(output, JSON.stringify(tools));
