// `npm run bench`: prints medians (and p99 where it matters) beside the floor doing the same work.
// Not a test: nothing here asserts on time. BENCH_SKIP_GIT=1 leaves out the slow 20,000-file git
// benchmarks; BENCH_GIT_FILES / BENCH_GIT_RUNS / BENCH_STARTS / BENCH_ROUND_TRIPS /
// BENCH_LIVE_EVENTS / BENCH_IDLE_MS / BENCH_WAKE_ROUNDS scale the rest.

import { join } from 'node:path';
import { makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { BUILT_CLI, spawnServer } from '../../fixtures/mcp.js';
import { benchDashboard } from './dashboard.js';
import { benchGitLand } from './git-land.js';
import { benchGitRead } from './git-read.js';
import { claimRoundTrips, lockRoundTrips, rawClaimTransactions, rawLockTransactions, seedTasks } from './roundtrips.js';
import { benchStore } from './store.js';
import { benchIsomorphicGit } from './isomorphic.js';
import { bareSdkServerFile, benchStartup } from './startup.js';
import { format, median, percentile, row } from './stats.js';
import { benchHttpRoundTrips, benchWakeUp } from './team.js';
import { benchToolDefinitions } from './tool-definitions.js';

const STARTS = Number(process.env.BENCH_STARTS ?? 20);
const ROUND_TRIPS = Number(process.env.BENCH_ROUND_TRIPS ?? 500);
const WAKE_ROUNDS = Number(process.env.BENCH_WAKE_ROUNDS ?? 40);

async function main(): Promise<void> {
  const repo = makeRepo({ 'src/index.ts': 'export {};\n' });
  const dataDir = makeTempDir('lockstep-bench-');
  const lines = ['| measure | lockstep-mcp | floor | ratio |', '|---|---|---|---|'];

  lines.push(...(await benchStartup(BUILT_CLI, repo, dataDir, STARTS)));

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

  // A directory of its own: its JSON-store rows may not sit beside the SQLite stores made above (STORE_MISMATCH).
  lines.push(...(await benchStore(repo, makeTempDir('lockstep-bench-store-'), await bareSdkServerFile(dataDir), ROUND_TRIPS)));

  lines.push(...(await benchHttpRoundTrips(repo, ROUND_TRIPS)));
  lines.push(...(await benchWakeUp(repo, WAKE_ROUNDS)));
  lines.push(...(await benchToolDefinitions()));
  lines.push(...(await benchDashboard()));
  lines.push(...(await benchIsomorphicGit()));
  if (process.env.BENCH_SKIP_GIT !== '1') {
    lines.push(...(await benchGitRead()));
    lines.push(...(await benchGitLand()));
  }

  console.log(lines.join('\n'));
  removeTempDirs();
}

await main();
