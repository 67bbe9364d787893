import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from '../../fixtures/git.js';
import { useMcpAgents } from '../../fixtures/mcp-agents.js';
import { updateProjectConfig } from '../../src/domain/project-config.js';

afterAll(removeTempDirs);

describe('coordination_init in a project where coordination is disabled', () => {
  const mcp = useMcpAgents();

  it('says coordination is off, registers nothing, and works again once re-enabled', async () => {
    await updateProjectConfig(mcp.test.repo, { enabled: false });
    const client = await mcp.connect();
    const answer = await client.call('coordination_init', { role: 'implementer', name: 'impl' });
    expect(answer).toEqual({ disabled: true, project: { root: mcp.test.repo }, guidance: expect.stringMatching(/DISABLED.*lockstep-mcp enable/) });
    expect((await client.call('implementer_list')).implementers).toEqual([]);
    expect((await client.call('status_get')).session).toBeUndefined();
    await updateProjectConfig(mcp.test.repo, { enabled: true });
    expect((await client.call('coordination_init', { role: 'implementer', name: 'impl' })).agent).toMatchObject({ name: 'impl' });
  });
});
