// The memory flags every stdio server starts with: node accepts them, they keep V8's young generation
// small (what most of the memory they save is), and every way a server is started carries them.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { SERVER_NODE_FLAGS } from '../../src/core/server-node-flags.js';
import { launchedServerEntry } from '../../src/domain/implementer-launch.js';
import { serverCommand } from '../../src/integration/server-entry.js';

/** Keeps 300,000 objects alive through young-generation collections, then prints its size in MiB. */
const GROW_YOUNG_GENERATION = `
  const keep = [];
  for (let index = 0; index < 300000; index++) keep.push({ index, text: 'x' + index });
  const young = require('node:v8').getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  console.log(young.space_size / 1048576, keep.length);
`;

function youngGenerationMiB(flags: readonly string[]): number {
  const run = spawnSync(process.execPath, [...flags, '-e', GROW_YOUNG_GENERATION], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stderr).toBe('');
  return Number(run.stdout.split(' ')[0]);
}

describe('the memory flags of a stdio server', () => {
  it('are accepted by this node and cap the young generation that grows without them', () => {
    expect(youngGenerationMiB([])).toBeGreaterThan(8);
    expect(youngGenerationMiB(SERVER_NODE_FLAGS)).toBeLessThanOrEqual(2);
  });

  it('come before the entry file in the installed command and in a launched implementer\'s', () => {
    const config = loadConfig({}, {}, '/work/repo');
    expect(serverCommand('/opt/lockstep/dist/cli.js', {}, '/work/repo').args).toEqual([...SERVER_NODE_FLAGS, '/opt/lockstep/dist/cli.js', 'server']);
    expect(launchedServerEntry('/opt/lockstep/dist/cli.js', config).args.slice(0, 4)).toEqual([...SERVER_NODE_FLAGS, '/opt/lockstep/dist/cli.js', 'server']);
  });
});
