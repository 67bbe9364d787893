// The writer of the dashboard benchmark: its own process on the bench's store, as an MCP server would be.
// Reads commands from stdin, one per line: "seed <n>" registers 10 implementers and creates n tasks; "create" creates one and prints
// "<task id> <wall-clock ms just after the commit>" (performance.timeOrigin + now, comparable across
// processes on one machine), so the reader can time the commit → page delay.

import { createInterface } from 'node:readline';
import { loadConfig } from '../../src/config.js';
import { createApp } from '../../src/domain/app.js';

const [repo, dataDir, dbPath] = process.argv.slice(2) as [string, string, string];
const app = await createApp(loadConfig({ dataDir, dbPath }, {}, repo));
const planner = { project: { id: repo, root: repo }, agent: { name: 'bench-writer', role: 'planner' as const }, session: { id: 'session:bench-writer' } };

for await (const line of createInterface({ input: process.stdin })) {
  const [command, count] = line.trim().split(' ');
  if (command === 'seed') {
    for (let n = 1; n <= 10; n++) {
      await app.agents.register({ project: planner.project, session: { id: `session:impl-${n}` } }, { role: 'implementer', name: `impl-${n}` });
    }
    for (let n = 0; n < Number(count); n++) await app.tasks.create(planner, { title: `Seeded task ${n}: make module ${n} handle its edge cases`, tags: ['bench'] });
    process.stdout.write('seeded\n');
  } else if (command === 'create') {
    const { id } = await app.tasks.create(planner, { title: 'benchmark change' });
    process.stdout.write(`${id} ${performance.timeOrigin + performance.now()}\n`);
  }
}
app.close();
