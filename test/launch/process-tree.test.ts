// Ancestry of a process, as a launched agent's MCP server uses it to recognise the agent that started it.

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ancestorPids } from '../../src/launch/process-tree.js';

describe('ancestorPids', () => {
  it('lists the parent and grandparent of a process started through a shell', () => {
    const script = 'import("./src/launch/process-tree.ts").then((m) => console.log(JSON.stringify(m.ancestorPids())))';
    const command = `${JSON.stringify(process.execPath)} --import tsx -e '${script}'; true`;
    const chain = JSON.parse(execFileSync('sh', ['-c', command], { encoding: 'utf8' })) as number[];
    expect(chain.indexOf(process.pid)).toBeGreaterThan(0);
  });

  it('does not contain unrelated processes', () => {
    expect(ancestorPids()).not.toContain(process.pid);
    expect(ancestorPids()[0]).toBe(process.ppid);
  });
});
