// One racing OS process for race.test.ts (argv: sqlite file, JSON file, PostgreSQL URL or "-", project,
// name, host). It opens every store, says "ready", then obeys one command per stdin line so the parent
// can release all workers at the same instant:
//   claim <backend> <taskId>  -> "claim <taskId> <changed rows>"
//   lock <backend> <round>    -> "lock <round> <1 if it took the lock, else 0>" (read, decide, write)
//   ids <backend> <count>     -> "ids <json array>" (each id from its own write transaction)

import { createInterface } from 'node:readline';
import { openStore } from '../../src/store/open.js';
import type { Store, StorageBackend } from '../../src/store/store.js';

const [sqliteFile, jsonFile, postgresUrl, project, name, host] = process.argv.slice(2) as [string, string, string, string, string, string];
const stores: Partial<Record<StorageBackend, Store>> = {
  sqlite: await openStore('sqlite', sqliteFile),
  json: await openStore('json', jsonFile),
  ...(postgresUrl !== '-' && { postgres: await openStore('postgres', postgresUrl) }),
};

async function obey(command: string, backend: StorageBackend, argument: number): Promise<string> {
  const store = stores[backend]!;
  if (command === 'claim') {
    const changed = await store.write(project, (tx) =>
      tx.update('tasks', { id: argument, status: 'todo', owner: null }, { status: 'in_progress', owner: name }),
    );
    return `claim ${argument} ${changed}`;
  }
  if (command === 'lock') {
    const path = `src/contested-${argument}.ts`;
    const took = await store.write(project, function* (tx) {
      if (yield* tx.one('locks', { path, status: 'active' })) return 0;
      const id = yield* tx.nextId('lock');
      yield* tx.insert('locks', { id, path, kind: 'file', owner: name, ownerPid: process.pid, ownerHost: host, note: null, status: 'active', acquiredAt: 0, expiresAt: 1, endedAt: null, endReason: null });
      return 1;
    });
    return `lock ${argument} ${took}`;
  }
  const ids: number[] = [];
  for (let i = 0; i < argument; i++) ids.push(await store.write(project, (tx) => tx.nextId('race')));
  return `ids ${JSON.stringify(ids)}`;
}

process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  const [command, backend, argument] = line.split(' ') as [string, StorageBackend, string];
  process.stdout.write(`${await obey(command, backend, Number(argument))}\n`);
}
for (const store of Object.values(stores)) store.close();
