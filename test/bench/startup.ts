// Start-up cost of one server process (every agent runs one): spawn → initialize → tools/list
// answered, and its resident memory then; beside a bare `node` start as the floor.

import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
};

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

/** Milliseconds from spawning `node <script…>` until tools/list is answered, and the server's RSS then. */
export async function serverStart(script: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ ms: number; rss: number }> {
  const start = performance.now();
  const child = spawn(process.execPath, script, { cwd, env, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);
  send(INITIALIZE);
  const result = await new Promise<{ ms: number; rss: number }>((resolve, reject) => {
    child.on('error', reject);
    lines.on('line', (line) => {
      const message = JSON.parse(line) as { id?: number };
      if (message.id === 1) {
        send({ jsonrpc: '2.0', method: 'notifications/initialized' });
        send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
      } else if (message.id === 2) {
        resolve({ ms: performance.now() - start, rss: rssMiB(child.pid!) });
      }
    });
  });
  child.kill();
  return result;
}

/** The floor: a bare node process that starts, reports its RSS and exits. */
export async function bareNodeStart(): Promise<{ ms: number; rss: number }> {
  const start = performance.now();
  const child = spawn(process.execPath, ['-e', 'process.stdout.write(String(process.memoryUsage().rss))'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  await new Promise((resolve) => child.on('exit', resolve));
  return { ms: performance.now() - start, rss: Number(output) / 1048576 };
}

/**
 * A second floor: the smallest server the MCP SDK allows (one tool, stdio), bundled the way ours is.
 * What lockstep adds on top of the SDK is the difference between this and serverStart.
 */
export async function bareSdkServerFile(dir: string): Promise<string> {
  const { build } = await import('esbuild');
  const entry = join(dir, 'bare-sdk-server.mjs');
  writeFileSync(
    entry,
    [
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
      "import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';",
      "import * as z from 'zod';",
      "const server = new McpServer({ name: 'bare', version: '1' });",
      "server.registerTool('echo', { inputSchema: z.object({ text: z.string() }).strict() }, async ({ text }) => ({ content: [{ type: 'text', text }] }));",
      'await server.connect(new StdioServerTransport());',
    ].join('\n'),
  );
  const outfile = join(dir, 'bare-sdk-server.bundle.mjs');
  await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    nodePaths: [fileURLToPath(new URL('../../node_modules', import.meta.url))],
    banner: { js: "import{createRequire as __r}from'node:module';const require=__r(import.meta.url);" },
    logLevel: 'warning',
  });
  return outfile;
}
