// JSON store writers SIGKILLed at random instants: a fresh process must open the store and write at
// once (no STORE_BUSY from an abandoned lock), and no temp file of a dead writer may stay behind.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { killWorkersAtRandomInstants } from '../../fixtures/processes.js';
import { makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { openJsonStore } from '../../src/store/json.js';

const WORKER_SCRIPT = fileURLToPath(new URL('./json-writer.ts', import.meta.url));

afterAll(removeTempDirs);

describe('the JSON store after its writers were killed', () => {
  it('opens and writes at once in a fresh process, leaving no lock and no temp file', async () => {
    const directory = makeTempDir('lockstep-json-');
    const file = join(directory, 'store.json');
    await killWorkersAtRandomInstants(WORKER_SCRIPT, file);

    // The store's default patience (10 s) with its 30 s staleness: only recovery of a dead holder's lock passes.
    const next = await openJsonStore(file).write('/projects/alpha', (tx) => tx.nextId('n'));

    expect(next).toBeGreaterThan(0);
    expect(existsSync(`${file}.lock`)).toBe(false);
    expect(readdirSync(directory).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
