// Should the git manager read refs and commits in-process with isomorphic-git instead of spawning
// git? Measured on the reads it would replace: resolving a branch head and reading a commit.

import * as fs from 'node:fs';
import git from 'isomorphic-git';
import { git as gitSync, makeRepo } from '../../fixtures/git.js';
import { openGit } from '../../git/exec.js';
import { format, median, row } from './stats.js';

const RUNS = 50;

async function samples(fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

export async function benchIsomorphicGit(): Promise<string[]> {
  const dir = makeRepo({ 'a.txt': 'a\n' });
  for (let index = 0; index < 8; index++) gitSync(dir, ['branch', `lockstep/impl-${index}`]);
  gitSync(dir, ['pack-refs', '--all']);
  const head = gitSync(dir, ['rev-parse', 'HEAD']);
  const spawned = openGit(dir);
  const resolveIso = await samples(() => git.resolveRef({ fs, dir, ref: 'refs/heads/lockstep/impl-3' }));
  const resolveSpawn = await samples(() => spawned.run(['rev-parse', '--verify', 'refs/heads/lockstep/impl-3']));
  const commitIso = await samples(() => git.readCommit({ fs, dir, oid: head }));
  const commitSpawn = await samples(() => spawned.run(['cat-file', 'commit', head]));
  return [
    row('resolve a branch head (median)', `${format(resolveIso, 'ms')} (isomorphic-git)`, `${format(resolveSpawn, 'ms')} (git rev-parse)`, resolveIso / resolveSpawn),
    row('read a commit (median)', `${format(commitIso, 'ms')} (isomorphic-git)`, `${format(commitSpawn, 'ms')} (git cat-file)`, commitIso / commitSpawn),
  ];
}
