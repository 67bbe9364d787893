// `npm run bench`: prints medians (and p99 where it matters) beside the floor doing the same work.
// Not a test: nothing here asserts on time. BENCH_SKIP_GIT=1 leaves out the slow 20,000-file git
// benchmarks; BENCH_GIT_FILES / BENCH_GIT_RUNS / BENCH_STARTS / BENCH_ROUND_TRIPS scale the rest.

import { join } from 'node:path';
import { makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { BUILT_CLI, spawnServer } from '../../fixtures/mcp.js';
import { benchGitLand } from './git-land.js';
import { benchGitRead } from './git-read.js';
import { claimRoundTrips, lockRoundTrips, rawClaimTransactions, rawLockTransactions, seedTasks } from './roundtrips.js';
import { benchStore } from './store.js';
import { benchIsomorphicGit } from './isomorphic.js';
import { bareNodeStart, bareSdkServerFile, serverStart } from './startup.js';
import { format, median, percentile, row } from './stats.js';

const STARTS = Number(process.env.BENCH_STARTS ?? 20);
const ROUND_TRIPS = Number(process.env.BENCH_ROUND_TRIPS ?? 500);

async function main(): Promise<void> {
  const repo = makeRepo({ 'src/index.ts': 'export {};\n' });
  const dataDir = makeTempDir('lockstep-bench-');
  const env = { ...process.env, COORD_DATA_DIR: dataDir };
  const lines = ['| measure | lockstep-mcp | floor | ratio |', '|---|---|---|---|'];

  await serverStart([BUILT_CLI, 'server'], repo, env); // warm the file cache and create the store once
  const bareSdk = await bareSdkServerFile(dataDir);
  const starts = [];
  const bare = [];
  const sdk = [];
  for (let run = 0; run < STARTS; run++) {
    starts.push(await serverStart([BUILT_CLI, 'server'], repo, env));
    bare.push(await bareNodeStart());
    sdk.push(await serverStart([bareSdk], repo, env));
  }
  const startMs = median(starts.map((s) => s.ms));
  const bareMs = median(bare.map((s) => s.ms));
  const rss = median(starts.map((s) => s.rss));
  const bareRss = median(bare.map((s) => s.rss));
  lines.push(row('server start → tools/list answered (median)', format(startMs, 'ms'), `${format(bareMs, 'ms')} (bare node)`, startMs / bareMs));
  lines.push(row('resident memory per server (median)', format(rss, 'MiB'), `${format(bareRss, 'MiB')} (bare node)`, rss / bareRss));
  const sdkMs = median(sdk.map((s) => s.ms));
  const sdkRss = median(sdk.map((s) => s.rss));
  lines.push(row('… the same beside a one-tool SDK server, bundled (start)', format(startMs, 'ms'), `${format(sdkMs, 'ms')} (bare SDK)`, startMs / sdkMs));
  lines.push(row('… the same beside a one-tool SDK server, bundled (memory)', format(rss, 'MiB'), `${format(sdkRss, 'MiB')} (bare SDK)`, rss / sdkRss));

  const dbPath = join(dataDir, 'roundtrips.db');
  const planner = await spawnServer({ cwd: repo, args: ['--db-path', dbPath] });
  const implementer = await spawnServer({ cwd: repo, args: ['--db-path', dbPath] });
  await planner.call('coordination_init', { role: 'planner', name: 'bench-planner' });
  await implementer.call('coordination_init', { role: 'implementer', name: 'bench-impl' });
  const ids = await seedTasks(planner);
  const locks = await lockRoundTrips(implementer, ROUND_TRIPS);
  const rawLocks = rawLockTransactions(dataDir, ROUND_TRIPS);
  const claims = await claimRoundTrips(implementer, ids.slice(0, ROUND_TRIPS));
  const rawClaims = rawClaimTransactions(dataDir, ROUND_TRIPS);
  for (const [label, ours, raw] of [
    ['lock_acquire + lock_release over stdio', locks, rawLocks],
    ['task_claim over stdio (1,000 tasks)', claims, rawClaims],
  ] as const) {
    lines.push(row(`${label}, p50`, format(median(ours), 'ms'), `${format(median(raw), 'ms')} (raw SQLite)`, median(ours) / median(raw)));
    lines.push(row(`${label}, p99`, format(percentile(ours, 99), 'ms'), `${format(percentile(raw, 99), 'ms')} (raw SQLite)`, percentile(ours, 99) / percentile(raw, 99)));
  }
  await planner.close();
  await implementer.close();

  lines.push(...(await benchStore(repo, dataDir, bareSdk, ROUND_TRIPS)));

  lines.push(...(await benchIsomorphicGit()));
  if (process.env.BENCH_SKIP_GIT !== '1') {
    lines.push(...(await benchGitRead()));
    lines.push(...(await benchGitLand()));
  }

  console.log(lines.join('\n'));
  removeTempDirs();
}

await main();
