// One process for faults.test.ts, started inside its own mount namespace (unshare --mount), so the
// file systems it mounts are real and vanish with it. argv: backend, directory, scenario.
//   full       a 256 KiB tmpfs: write tasks until the disk is full, reopen and count, grow it, write again
//   read-only  a store with one task, then its directory bind-mounted read-only: write, then read
// Prints one JSON line with what it saw.

import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { taskRow } from '../../fixtures/rows.js';
import { openStore } from '../../src/store/open.js';
import type { FileBackend, Store } from '../../src/store/store.js';

const [backend, dir, scenario] = process.argv.slice(2) as [FileBackend, string, 'full' | 'read-only'];
const PROJECT = '/projects/faults';
const file = join(dir, backend === 'json' ? 'coordinator.json' : 'coordinator.db');
const mount = (...args: string[]) => execFileSync('mount', args);

const addTask = (store: Store, description: string) =>
  store.write(PROJECT, function* (tx) {
    yield* tx.insert('tasks', taskRow(yield* tx.nextId('task'), { description }));
  });
const countTasks = (store: Store) => store.read(PROJECT, (tx) => tx.count('tasks'));
const failure = (error: unknown) => ({ code: (error as { code?: string }).code, message: (error as Error).message });

async function fillDisk() {
  mount('-t', 'tmpfs', '-o', 'size=256k', 'lockstep-full', dir);
  let store = await openStore(backend, file);
  let written = 0;
  let refusal;
  for (; written < 1_000; written++) {
    try {
      await addTask(store, 'x'.repeat(8_000));
    } catch (error) {
      refusal = failure(error);
      break;
    }
  }
  store.close();
  store = await openStore(backend, file);
  const afterReopen = await countTasks(store);
  const leftovers = readdirSync(dir).filter((name) => name.endsWith('.tmp'));
  mount('-o', 'remount,size=8m', dir);
  await addTask(store, 'after space was freed');
  const afterFreeing = await countTasks(store);
  store.close();
  return { written, refusal, afterReopen, leftovers, afterFreeing };
}

async function readOnlyDirectory() {
  const store = await openStore(backend, file);
  await addTask(store, 'before');
  store.close();
  mount('--bind', dir, dir);
  mount('-o', 'remount,bind,ro', dir);
  const attempt = async <R>(run: () => Promise<R>) => run().then((value) => ({ value }), (error: unknown) => failure(error));
  const reopened = await attempt(() => openStore(backend, file));
  const open = 'value' in reopened ? reopened.value : undefined;
  const write = open ? await attempt(() => addTask(open, 'after')) : reopened;
  const read = open ? await attempt(() => countTasks(open)) : reopened;
  return { write, read };
}

const result = scenario === 'full' ? await fillDisk() : await readOnlyDirectory();
process.stdout.write(`${JSON.stringify(result)}\n`);
