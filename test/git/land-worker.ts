// One landing OS process for land-race.test.ts (argv: repository, target branch). It says "ready", then
// obeys one command per stdin line so the parent can release several workers at the same instant:
//   land <source> [gateMs]  -> the landCommit result as one JSON line (with a gate that sleeps gateMs)

import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { openGit } from '../../git/exec.js';
import { readRepository } from '../../git/repository.js';
import { landCommit, type LandingGate } from '../../git/land.js';

const [repo, target] = process.argv.slice(2) as [string, string];
const git = openGit(repo);

function sleepingGate(ms: number): LandingGate {
  return async () => {
    await sleep(ms);
    return { ok: true, log: `slept ${ms} ms` };
  };
}

process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  const [, source, gateMs] = line.split(' ') as [string, string, string | undefined];
  const gate = gateMs === undefined ? undefined : sleepingGate(Number(gateMs));
  const result = await landCommit(await readRepository(git), { target, source, message: `land ${source}`, gate });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
