// One OS process for file-lock.test.ts (argv: lock file): says "ready", then takes and releases the
// lock in a tight loop until the parent kills it, so a SIGKILL lands at an arbitrary instant of a cycle.

import { acquireFileLock } from '../../git/file-lock.js';

const [lockFile] = process.argv.slice(2) as [string];

process.stdout.write('ready\n');
for (;;) {
  const lock = await acquireFileLock(lockFile, { timeoutMs: 60_000, staleAfterMs: 10 * 60_000 });
  await lock.release();
}
