// How the dashboard notices another process's commit: by the file watch alone when it works (the poll
// kept out of the way), and, where the file system gives no events, by a poll that goes fast once it
// has seen the watch miss a change.

import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../fixtures/app.js';
import { removeTempDirs } from '../../fixtures/git.js';
import { createDatabase, postgresServer } from '../../fixtures/postgres.js';
import { taskRow } from '../../fixtures/rows.js';
import { ChangeWatcher } from '../../src/dashboard/change-watch.js';
import { openPostgresStore } from '../../src/store/postgres.js';

afterAll(removeTempDirs);

const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).forEach((undo) => undo()));

const HOUR = 3_600_000;
const server = await postgresServer();

async function watched(options: ConstructorParameters<typeof ChangeWatcher>[2]) {
  const reader = await makeTestApp();
  const writer = await makeTestApp({ repo: reader.repo, dbPath: reader.config.dbPath });
  await reader.app.tasks.create(reader.caller('plan', 'planner'), { title: 'the store exists' });
  let changes = 0;
  const watcher = new ChangeWatcher(reader.app.context.store, async () => void changes++, options);
  cleanup.push(() => {
    watcher.stop();
    writer.app.close();
    reader.app.close();
  });
  watcher.start();
  await until(() => changes === 1); // the baseline
  return { watcher, writer, changes: () => changes };
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

const create = (writer: TestApp, title: string) => writer.app.tasks.create(writer.caller('plan', 'planner'), { title });

describe('the change watcher', () => {
  it('notices a commit of another connection through the file watch, with the poll an hour away', async () => {
    const { watcher, writer, changes } = await watched({ poll: { trusted: HOUR, untrusted: HOUR } });
    await create(writer, 'seen by the watch');
    await until(() => changes() === 2);
    expect(watcher.pollMs).toBe(HOUR);
  });

  it('polls fast where the file system gives no watch events, and still sees each change', async () => {
    const { watcher, writer, changes } = await watched({ watchFiles: false, poll: { trusted: 20, untrusted: 10 } });
    expect(watcher.pollMs).toBe(10);
    await create(writer, 'seen by the poll');
    await until(() => changes() === 2);
  });

  it('stays on the slow poll while the watch reports every change', async () => {
    const { watcher, writer, changes } = await watched({ poll: { trusted: 30, untrusted: 10 } });
    for (let n = 2; n <= 6; n++) {
      await create(writer, `change ${n}`);
      await until(() => changes() === n);
    }
    expect(watcher.pollMs).toBe(30);
  });

  it.skipIf(!server.url)('notices a commit pushed by a PostgreSQL store at once, with no file to watch and the poll an hour away', async () => {
    const url = await createDatabase(server.url!);
    const [reader, writer] = [await openPostgresStore(url), await openPostgresStore(url)];
    let changes = 0;
    const watcher = new ChangeWatcher(reader, async () => void changes++, { poll: { trusted: HOUR, untrusted: HOUR } });
    cleanup.push(() => {
      watcher.stop();
      reader.close();
      writer.close();
    });
    watcher.start();
    await until(() => changes === 1);
    await writer.write('/projects/alpha', (tx) => tx.insert('tasks', taskRow(1)));
    await until(() => changes === 2);
    expect(watcher.pollMs).toBe(HOUR);
  });
});
