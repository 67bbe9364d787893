// Another server process for postgres.test.ts (argv: database URL, project): commits one task, says
// "done" and exits, so the parent can see the commit pushed to it by LISTEN/NOTIFY.

import { taskRow } from '../../fixtures/rows.js';
import { openStore } from '../../src/store/open.js';

const [url, project] = process.argv.slice(2) as [string, string];
const store = await openStore('postgres', url);
await store.write(project, (tx) => tx.insert('tasks', taskRow(7, { title: 'from another process' })));
store.close();
process.stdout.write('done\n');
