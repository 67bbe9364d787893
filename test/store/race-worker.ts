// One racing OS process for race.test.ts (argv: sqlite file, JSON file, project, name). It opens both
// stores, says "ready", then obeys one command per stdin line so the parent can release all
// workers at the same instant:
//   claim <backend> <taskId>  -> "claim <taskId> <changed rows>"
//   ids <backend> <count>     -> "ids <json array>" (each id from its own write transaction)

import { createInterface } from 'node:readline';
import { openStore } from '../../src/store/open.js';
import type { Store, StorageBackend } from '../../src/store/store.js';

const [sqliteFile, jsonFile, project, name] = process.argv.slice(2) as [string, string, string, string];
const stores: Record<StorageBackend, Store> = {
  sqlite: await openStore('sqlite', sqliteFile),
  json: await openStore('json', jsonFile),
};

async function obey(command: string, backend: StorageBackend, argument: number): Promise<string> {
  const store = stores[backend];
  if (command === 'claim') {
    const changed = await store.write(project, (tx) =>
      tx.update('tasks', { id: argument, status: 'todo', owner: null }, { status: 'in_progress', owner: name }),
    );
    return `claim ${argument} ${changed}`;
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
stores.sqlite.close();
stores.json.close();
