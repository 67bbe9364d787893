// Team mode's costs: a tool round trip over Streamable HTTP beside the same call over stdio, both real
// server processes on one store, sampled in turn so machine noise falls on both alike.

import { join } from 'node:path';
import { makeTempDir } from '../../fixtures/git.js';
import { spawnHttpServer } from '../../fixtures/http-server-process.js';
import { connectHttp } from '../../fixtures/mcp-http.js';
import { spawnServer, type ToolClient } from '../../fixtures/mcp.js';
import { format, median, percentile, row, timeAsync } from './stats.js';

async function lockPair(agent: ToolClient, path: string): Promise<number> {
  return timeAsync(async () => {
    await agent.call('lock_acquire', { path });
    await agent.call('lock_release', { path });
  });
}

export async function benchHttpRoundTrips(repo: string, count: number): Promise<string[]> {
  const dataDir = makeTempDir('lockstep-bench-http-');
  const settings = ['--data-dir', dataDir, '--db-path', join(dataDir, 'team.db')];
  const http = await spawnHttpServer({ cwd: repo, args: ['--no-auth', ...settings] });
  const overHttp = await connectHttp(http.url);
  const overStdio = await spawnServer({ cwd: repo, args: settings });
  await overHttp.call('coordination_init', { role: 'implementer', name: 'bench-http' });
  await overStdio.call('coordination_init', { role: 'implementer', name: 'bench-stdio' });
  const samples = { http: [] as number[], stdio: [] as number[] };
  for (let index = 0; index < count; index++) {
    samples.http.push(await lockPair(overHttp, `src/http-${index % 50}.ts`));
    samples.stdio.push(await lockPair(overStdio, `src/stdio-${index % 50}.ts`));
  }
  await overHttp.close();
  await overStdio.close();
  await http.close();
  const label = 'lock_acquire + lock_release over Streamable HTTP (loopback)';
  return [
    row(`${label}, p50`, format(median(samples.http), 'ms'), `${format(median(samples.stdio), 'ms')} (stdio)`, median(samples.http) / median(samples.stdio)),
    row(`${label}, p99`, format(percentile(samples.http, 99), 'ms'), `${format(percentile(samples.stdio, 99), 'ms')} (stdio)`, percentile(samples.http, 99) / percentile(samples.stdio, 99)),
  ];
}
