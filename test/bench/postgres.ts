// The team store under the same load as SQLite's contention row: 8 server processes on one PostgreSQL
// database (a throwaway cluster started for the bench), acquiring and releasing 10 shared paths.

import { spawnServer } from '../../fixtures/mcp.js';
import { createDatabase, postgresBinaries, startCluster } from '../../fixtures/postgres.js';
import { lockContention, type Throughput } from './store.js';

/** undefined where this machine has no PostgreSQL server binaries. */
export async function postgresContention(repo: string, ms: number): Promise<Throughput | undefined> {
  if (!postgresBinaries()) return undefined;
  const cluster = await startCluster();
  try {
    const args = ['--storage', 'postgres', '--database-url', await createDatabase(cluster.url)];
    const contenders = await Promise.all(Array.from({ length: 8 }, () => spawnServer({ cwd: repo, args })));
    await Promise.all(contenders.map((contender, index) => contender.call('coordination_init', { role: 'implementer', name: `c${index}` })));
    const contended = await lockContention(contenders, 10, ms);
    await Promise.all(contenders.map((contender) => contender.close()));
    return contended;
  } finally {
    cluster.stop();
  }
}
