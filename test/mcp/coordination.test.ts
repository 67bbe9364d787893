import { afterAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../fixtures/app.js';
import { removeTempDirs } from '../../fixtures/git.js';
import { useMcpAgents } from '../../fixtures/mcp-agents.js';
import { recordEvent, type NewEvent } from '../../src/domain/events.js';
import { openStore } from '../../src/store/open.js';

afterAll(removeTempDirs);

/** Records an event as another server process would: through a connection of its own. */
async function emit(test: TestApp, event: NewEvent): Promise<number> {
  const other = await openStore(test.config.storage, test.config.dbPath);
  try {
    return await other.write(test.repo, (tx) => recordEvent(tx, test.clock.now(), event));
  } finally {
    other.close();
  }
}

describe('coordination_init', () => {
  const mcp = useMcpAgents();

  it('over stdio too, takes a project named by its id, and refuses any other name with PROJECT_UNKNOWN', async () => {
    const agent = await mcp.connect();
    expect(await agent.callError('coordination_init', { role: 'planner', project: 'https://git.example.com/other.git' })).toMatch(/^PROJECT_UNKNOWN: .*Next: Pass project/);
    expect((await agent.call('coordination_init', { role: 'planner', project: mcp.test.repo })).project.root).toBe(mcp.test.repo);
  });

  it('registers the agent, returns its identity, the project and guidance for its phase', async () => {
    const planner = await mcp.connect();
    const joined = await planner.call('coordination_init', { role: 'planner', name: 'plan' });
    expect(joined).toMatchObject({ agent: { name: 'plan', role: 'planner', type: 'other' }, project: { root: mcp.test.repo, status: 'planning' } });
    expect(joined.guidance).toContain('project_context_set');
    const implementer = await mcp.connect();
    const generated = await implementer.call('coordination_init', { role: 'implementer', type: 'codex' });
    expect(generated.agent.name).toMatch(/^codex-implementer-\d+$/);
    expect(generated.guidance).toContain('task_claim');
  });

  it('binds the identity so later results carry news addressed to the agent', async () => {
    const client = await mcp.agent('ann');
    expect((await client.call('status_get')).pending).toBeUndefined();
    await emit(mcp.test, { kind: 'note_added', actor: 'plan', target: 'ann', subject: 1 });
    const result = await client.call('status_get');
    expect(result.session).toEqual({ name: 'ann', role: 'implementer', type: 'other' });
    expect(result.pending).toEqual({ notes: 1, hint: 'Call note_list.' });
    expect((await client.call('status_get')).pending).toBeUndefined();
  });

  it('refuses a bad name, an unknown role and extra properties', async () => {
    const client = await mcp.connect();
    expect(await client.callError('coordination_init', { role: 'implementer', name: '-x' })).toMatch(/^INVALID_NAME.*Next:/);
    expect((await client.raw('coordination_init', { role: 'boss' })).isError).toBe(true);
    expect((await client.raw('coordination_init', { role: 'planner', extra: 1 })).isError).toBe(true);
  });
});

describe('project context and status tools', () => {
  const mcp = useMcpAgents();

  it('set and get the context, keeping fields that were not given', async () => {
    const client = await mcp.agent('plan', 'planner');
    await client.call('project_context_set', { description: 'd1', endState: 'e1', techStack: ['ts'], constraints: ['no shell'] });
    const { context } = await client.call('project_context_set', { description: 'd2', endState: 'e1', status: 'ready' });
    expect(context).toMatchObject({ description: 'd2', techStack: ['ts'], constraints: ['no shell'], status: 'ready' });
    expect((await client.call('project_context_get')).context).toEqual(context);
  });

  it('tells other agents to stop when the planner stops the project', async () => {
    const planner = await mcp.agent('plan', 'planner');
    const implementer = await mcp.agent('impl');
    expect(await planner.call('project_status_set', { status: 'stopped' })).toEqual({ status: 'stopped', previous: 'planning' });
    expect((await implementer.call('project_context_get')).pending).toMatchObject({ project: 'stopped' });
    const late = await mcp.connect();
    expect((await late.call('coordination_init', { role: 'implementer' })).guidance).toMatch(/STOPPED.*stop\./);
    expect(await implementer.callError('project_status_set', { status: 'in_progress' })).toMatch(/^ROLE_FORBIDDEN/);
  });
});

describe('implementer tools', () => {
  const mcp = useMcpAgents();

  it('list the implementers and let the planner reset them', async () => {
    const planner = await mcp.agent('plan', 'planner');
    const implementer = await mcp.agent('impl');
    expect((await planner.call('implementer_list')).implementers).toMatchObject([{ name: 'impl', type: 'other', liveness: 'working' }]);
    expect(await implementer.callError('implementer_reset')).toMatch(/^ROLE_FORBIDDEN/);
    expect(await planner.call('implementer_reset')).toEqual({ removed: ['impl'] });
    expect((await implementer.call('implementer_list')).pending).toMatchObject({ notRegistered: true });
  });
});

describe('session_reset', () => {
  const mcp = useMcpAgents();

  it('needs confirm: true, then wipes the project and asks for a new coordination_init', async () => {
    const client = await mcp.agent('plan', 'planner');
    await client.call('project_context_set', { description: 'd', endState: 'e' });
    expect(await client.callError('session_reset', { confirm: false })).toMatch(/^CONFIRM_REQUIRED.*Next:/);
    const reset = await client.call('session_reset', { confirm: true, keepProjectContext: true });
    expect(reset.removed).toMatchObject({ agents: 1 });
    expect(reset.next).toContain('coordination_init');
    expect((await client.call('project_context_get')).context.description).toBe('d');
    expect((await client.call('status_get')).session).toBeUndefined();
    expect(await client.callError('project_status_set', { status: 'ready' })).toMatch(/^ROLE_FORBIDDEN/);
  });
});

describe('status_get', () => {
  const mcp = useMcpAgents({ settings: { commandMode: 'allowlist', commandAllow: 'git,npm' } });

  it('reports version, settings and the project without an identity', async () => {
    const client = await mcp.connect();
    const status = await client.call('status_get');
    expect(status).toMatchObject({
      config: { mode: 'open', storage: 'sqlite', dbPath: mcp.test.config.dbPath, commandMode: 'allowlist', commandAllow: ['git', 'npm'] },
      project: { root: mcp.test.repo },
    });
    expect(status.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(status.session).toBeUndefined();
    expect((await client.raw('status_get', { verbose: true })).isError).toBe(true);
  });
});
