// Start-up cost of one server process (every agent runs one): spawn → initialize → tools/list
// answered, its resident memory then, and spawn → first tool call answered (where the lazy server
// loads the SDK and the tools); beside a bare `node` start and a one-tool SDK server, interleaved.

import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { SERVER_NODE_FLAGS } from '../../src/core/server-node-flags.js';
import { format, median, row } from './stats.js';

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

interface Start {
  /** spawn → tools/list answered */
  ms: number;
  /** resident memory right after tools/list */
  rss: number;
  /** spawn → the answer to one tool call made after tools/list */
  firstCallMs: number;
  /** resident memory right after that call: what a working agent's server keeps */
  rssAfterCall: number;
}

/** Starts `node <script…>`, does the handshake, then calls `call` once; times both and reads the RSS. */
export async function serverStart(script: readonly string[], cwd: string, env: NodeJS.ProcessEnv, call: { name: string; arguments: object }): Promise<Start> {
  const start = performance.now();
  const child = spawn(process.execPath, script, { cwd, env, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);
  send(INITIALIZE);
  let listed = { ms: 0, rss: 0 };
  const result = await new Promise<Start>((resolve, reject) => {
    child.on('error', reject);
    lines.on('line', (line) => {
      const message = JSON.parse(line) as { id?: number; result?: { isError?: boolean } };
      if (message.id === 1) {
        send({ jsonrpc: '2.0', method: 'notifications/initialized' });
        send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
      } else if (message.id === 2) {
        listed = { ms: performance.now() - start, rss: rssMiB(child.pid!) };
        send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: call });
      } else if (message.id === 3) {
        if (message.result?.isError) reject(new Error(`${call.name} failed: ${line}`));
        resolve({ ...listed, firstCallMs: performance.now() - start, rssAfterCall: rssMiB(child.pid!) });
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

/** The build's `--alias:<library>=<stand-in>` pairs (package.json): what it leaves out of the SDK. */
function buildAliases(): Record<string, string> {
  const script = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).scripts.build as string;
  const root = fileURLToPath(new URL('../../', import.meta.url));
  return Object.fromEntries([...script.matchAll(/--alias:([^=\s]+)=(\S+)/g)].map(([, library, standIn]) => [library!, join(root, standIn!)]));
}

/**
 * A second floor: the smallest server the MCP SDK allows (one tool, stdio), bundled the way ours is
 * (the same libraries left out, so it too is given a validator in place of ajv's).
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
      "const server = new McpServer({ name: 'bare', version: '1' }, { jsonSchemaValidator: { getValidator() { throw new Error('unused'); } } });",
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
    alias: buildAliases(),
    nodePaths: [fileURLToPath(new URL('../../node_modules', import.meta.url))],
    banner: { js: "import{createRequire as __r}from'node:module';const require=__r(import.meta.url);" },
    logLevel: 'warning',
  });
  return outfile;
}

const OUR_CALL = { name: 'task_list', arguments: {} };
const ECHO_CALL = { name: 'echo', arguments: { text: 'hi' } };

/** The start-up rows of `npm run bench`: ours, bare node and the one-tool SDK server, interleaved. */
export async function benchStartup(builtCli: string, repo: string, dataDir: string, starts: number): Promise<string[]> {
  const env = { ...process.env, COORD_DATA_DIR: dataDir };
  const bareSdk = await bareSdkServerFile(dataDir);
  const ourServer = [...SERVER_NODE_FLAGS, builtCli, 'server']; // as a client entry starts it
  await serverStart(ourServer, repo, env, OUR_CALL); // warm the file cache and create the store once
  const sdkServer = [...SERVER_NODE_FLAGS, bareSdk]; // the same flags: the floor is the SDK's own cost
  await serverStart(sdkServer, repo, env, ECHO_CALL);
  const ours: Start[] = [];
  const bare: { ms: number; rss: number }[] = [];
  const sdk: Start[] = [];
  for (let run = 0; run < starts; run++) {
    ours.push(await serverStart(ourServer, repo, env, OUR_CALL));
    bare.push(await bareNodeStart());
    sdk.push(await serverStart(sdkServer, repo, env, ECHO_CALL));
  }
  const m = (samples: { ms: number; rss: number }[], key: 'ms' | 'rss') => median(samples.map((sample) => sample[key]));
  const firstCall = (samples: Start[]) => median(samples.map((sample) => sample.firstCallMs));
  const rssAfterCall = (samples: Start[]) => median(samples.map((sample) => sample.rssAfterCall));
  return [
    row('server start → tools/list answered (median)', format(m(ours, 'ms'), 'ms'), `${format(m(bare, 'ms'), 'ms')} (bare node)`, m(ours, 'ms') / m(bare, 'ms')),
    row('… beside a one-tool SDK server, bundled', format(m(ours, 'ms'), 'ms'), `${format(m(sdk, 'ms'), 'ms')} (bare SDK)`, m(ours, 'ms') / m(sdk, 'ms')),
    row('resident memory per server, idle after tools/list (median)', format(m(ours, 'rss'), 'MiB'), `${format(m(bare, 'rss'), 'MiB')} (bare node)`, m(ours, 'rss') / m(bare, 'rss')),
    row('… beside a one-tool SDK server, bundled', format(m(ours, 'rss'), 'MiB'), `${format(m(sdk, 'rss'), 'MiB')} (bare SDK)`, m(ours, 'rss') / m(sdk, 'rss')),
    row('server start → first tool call answered (task_list; SDK: echo)', format(firstCall(ours), 'ms'), `${format(firstCall(sdk), 'ms')} (bare SDK)`, firstCall(ours) / firstCall(sdk)),
    row('resident memory after that first call', format(rssAfterCall(ours), 'MiB'), `${format(rssAfterCall(sdk), 'MiB')} (bare SDK)`, rssAfterCall(ours) / rssAfterCall(sdk)),
  ];
}
