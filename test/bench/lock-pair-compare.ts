// `BENCH_CLI=<other build>/dist/cli.js tsx test/bench/lock-pair-compare.ts`: the lock pair of this build
// and another beside two SDK echo calls, alternating pair by pair so that a shared machine's load hits
// all three alike; with the CPU time each server spent per pair (Linux /proc), which moves less with
// that load than wall time does. LIST=1 times two read-only lock_list calls instead (the MCP layer's
// cost without a write). Needs dist/ of both builds.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { spawnServer, type ToolClient } from '../../fixtures/mcp.js';
import { bareSdkServerFile } from './startup.js';
import { percentile, timeAsync } from './stats.js';
import { spawnEcho } from './store.js';

const other = process.env.BENCH_CLI;
if (!other) throw new Error('set BENCH_CLI to the other build (…/dist/cli.js)');
const pairs = Number(process.env.BENCH_ROUND_TRIPS ?? 1_000);
const listOnly = process.env.LIST === '1';

/** User plus system CPU time of a process so far, in ms (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface Contender {
  name: string;
  pair(index: number): Promise<unknown>;
  pid: number;
  samples: number[];
  cpu: number;
}

const repo = makeRepo({ 'src/index.ts': 'export {};\n' });
const dir = makeTempDir('lockstep-bench-pair-');
async function server(name: string, cli: string | undefined): Promise<Contender & { agent: ToolClient }> {
  const agent = await spawnServer({ cwd: repo, args: ['--db-path', join(dir, `${name}.db`)], cli });
  await agent.call('coordination_init', { role: 'implementer', name: 'pair' });
  const pair = async (index: number) => {
    if (listOnly) {
      await agent.call('lock_list', {});
      return agent.call('lock_list', {});
    }
    const path = `src/pair-${index % 50}.ts`;
    await agent.call('lock_acquire', { path });
    return agent.call('lock_release', { path });
  };
  return { name, agent, pair, pid: agent.pid!, samples: [], cpu: 0 };
}

const ours = await server('this build', undefined);
const theirs = await server('other build', other);
const echo = await spawnEcho(await bareSdkServerFile(dir));
const floor: Contender = { name: 'two SDK echo calls', pair: async () => {
  await echo.echo();
  return echo.echo();
}, pid: echo.pid!, samples: [], cpu: 0 };
const contenders = [theirs, ours, floor];
for (let index = 0; index < pairs; index++) {
  for (const contender of contenders) {
    const before = cpuMs(contender.pid);
    contender.samples.push(await timeAsync(() => contender.pair(index)));
    contender.cpu += cpuMs(contender.pid) - before;
  }
}
const floorP50 = percentile(floor.samples, 50);
console.log(`${listOnly ? 'two lock_list calls' : 'lock_acquire + lock_release'}, ${pairs} pairs: p50, ratio to the floor, server CPU per pair`);
for (const contender of contenders) {
  const p50 = percentile(contender.samples, 50);
  console.log(`${contender.name}: ${p50.toFixed(3)} ms, ${(p50 / floorP50).toFixed(2)}×, ${((contender.cpu / pairs) * 1000).toFixed(0)} µs CPU`);
}
await Promise.all([ours.agent.close(), theirs.agent.close(), echo.close()]);
removeTempDirs();
