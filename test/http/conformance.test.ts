// The official MCP conformance suite (@modelcontextprotocol/conformance, fetched by npx with Node 22)
// against the built server on loopback with authentication off: the scenarios that apply to a server
// with its own tools. Skipped, saying so, only when npx cannot fetch the suite (no registry access).

import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { spawnHttpServer, type HttpServerProcess } from '../../fixtures/http-server-process.js';

/** Resource, prompt, sampling and logging scenarios need features this server does not offer. */
const SCENARIOS = ['server-initialize', 'ping', 'tools-list', 'dns-rebinding-protection', 'server-sse-multiple-streams'];
const SUITE = ['-y', '-p', 'node@22', '-p', '@modelcontextprotocol/conformance', 'conformance'];
const FETCH_TIMEOUT_MS = 300_000;

const fetched = spawnSync('npx', [...SUITE, '--version'], { encoding: 'utf8', timeout: FETCH_TIMEOUT_MS });
const unavailable = fetched.status === 0 ? undefined : `npx could not fetch @modelcontextprotocol/conformance: ${(fetched.stderr || String(fetched.error)).trim().split('\n').at(-1)}`;
if (unavailable) process.stderr.write(`SKIPPED the MCP conformance suite: ${unavailable}\n`);

let server: HttpServerProcess | undefined;
/** One server for every scenario, started by the first. */
let serverUrl: Promise<string> | undefined;
afterAll(async () => {
  await server?.close();
  removeTempDirs();
});

async function startServer(): Promise<string> {
  server = await spawnHttpServer({ cwd: makeRepo(), args: ['--no-auth', '--data-dir', makeTempDir()] });
  return server.url;
}

describe.skipIf(unavailable !== undefined)('the MCP conformance suite against server --http', () => {
  it.each(SCENARIOS)('passes the %s scenario', async (scenario) => {
    const url = await (serverUrl ??= startServer());
    const run = spawnSync('npx', [...SUITE, 'server', '--url', url, '--scenario', scenario], { encoding: 'utf8', timeout: FETCH_TIMEOUT_MS });
    // Recorded in the CI log: the suite's own summary of each scenario.
    process.stdout.write(`conformance ${scenario}: ${/Passed: .*/.exec(run.stdout)?.[0] ?? run.stdout.slice(-500)}\n`);
    expect(run.stdout).toMatch(/Passed: (\d+)\/\1, 0 failed/);
    expect(run.status).toBe(0);
  }, FETCH_TIMEOUT_MS);
});
