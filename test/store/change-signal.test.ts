// The sleep between a waiter's looks at the store: cut short by a pushed commit (PostgreSQL), even one
// that came between the look and the sleep; a plain timer where the store cannot push.

import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { createDatabase, postgresServer } from '../../fixtures/postgres.js';
import { taskRow } from '../../fixtures/rows.js';
import { ChangeSignal } from '../../src/store/change-signal.js';
import { openStore } from '../../src/store/open.js';

const HOUR = 3_600_000;
const P = '/projects/alpha';
const server = await postgresServer();
if (server.skip) it.skip(server.skip, () => undefined);

afterAll(removeTempDirs);

describe.skipIf(!server.url)('a change signal on a postgres store', () => {
  it('ends an hour-long sleep at the next commit of another store, and one that came before the sleep at once', async () => {
    const url = await createDatabase(server.url!);
    const [waiter, writer] = [await openStore('postgres', url), await openStore('postgres', url)];
    const signal = new ChangeSignal(waiter);
    expect(signal.pushes).toBe(true);
    const sleeping = signal.sleep(HOUR);
    await writer.write(P, (tx) => tx.insert('tasks', taskRow(1)));
    await sleeping;
    await writer.write(P, (tx) => tx.insert('tasks', taskRow(2)));
    await waiter.changeVersion(); // the notification has arrived
    await signal.sleep(HOUR);
    signal.close();
    waiter.close();
    writer.close();
  });
});

describe('a change signal on a store that cannot push', () => {
  it('sleeps for the time asked', async () => {
    const store = await openStore('sqlite', join(makeTempDir(), 'store.db'));
    const signal = new ChangeSignal(store);
    expect(signal.pushes).toBe(false);
    await signal.sleep(1);
    signal.close();
    store.close();
  });
});
