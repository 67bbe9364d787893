// One OS process for json-kill.test.ts (argv: JSON store file): says "ready", then commits write
// transactions in a tight loop until the parent kills it, so a SIGKILL lands at an arbitrary instant
// (taking the lock, writing the temp document, renaming it, releasing).

import { openJsonStore } from '../../src/store/json.js';

const [file] = process.argv.slice(2) as [string];
const store = openJsonStore(file);

process.stdout.write('ready\n');
for (;;) await store.write('/projects/alpha', (tx) => tx.nextId('n'));
