// One data directory serves one backend: a server started with the other --storage would keep a
// separate state beside it, so agents on the two would silently not see each other.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTestApp } from '../../fixtures/app.js';
import { makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { connectInMemory } from '../../fixtures/mcp.js';
import { taskRow } from '../../fixtures/rows.js';
import { openStore } from '../../src/store/open.js';
import { STORE_FILE_NAMES, type FileBackend } from '../../src/store/store.js';

const P = '/projects/alpha';

afterAll(removeTempDirs);

async function storeWithATask(backend: FileBackend, dir: string): Promise<void> {
  const store = await openStore(backend, join(dir, STORE_FILE_NAMES[backend]));
  await store.write(P, (tx) => tx.insert('tasks', taskRow(1)));
  store.close();
}

describe.each([
  ['sqlite', 'json'],
  ['json', 'sqlite'],
] as const)('a %s store in the data directory', (first, second) => {
  it(`makes a ${second} store there refuse to open with STORE_MISMATCH, creating nothing`, async () => {
    const dir = makeTempDir('lockstep-mismatch-');
    await storeWithATask(first, dir);
    const refused = openStore(second, join(dir, STORE_FILE_NAMES[second]));
    await expect(refused).rejects.toMatchObject({ code: 'STORE_MISMATCH', next: expect.stringContaining(`--storage ${first}`) });
    expect(existsSync(join(dir, STORE_FILE_NAMES[second]))).toBe(false);
  });

  it(`still opens a ${first} store there`, async () => {
    const dir = makeTempDir('lockstep-mismatch-');
    await storeWithATask(first, dir);
    const store = await openStore(first, join(dir, STORE_FILE_NAMES[first]));
    expect(await store.read(P, (tx) => tx.count('tasks'))).toBe(1);
    store.close();
  });
});

it('an MCP server started with the other --storage answers STORE_MISMATCH on its first call', async () => {
  const sqliteServer = await makeTestApp({ storage: 'sqlite', settings: { dbPath: undefined } });
  await storeWithATask('sqlite', sqliteServer.config.dataDir);
  const jsonServer = await makeTestApp({ storage: 'json', settings: { dataDir: sqliteServer.config.dataDir, dbPath: undefined } });
  const agent = await connectInMemory(jsonServer);
  expect(await agent.callError('coordination_init', { role: 'planner', name: 'plan' })).toMatch(
    /^STORE_MISMATCH: .*coordinator\.db.* Next: .*--storage sqlite/,
  );
  await agent.close();
  jsonServer.app.close();
  sqliteServer.app.close();
});
