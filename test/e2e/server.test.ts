// The built server spawned over stdio, exactly as an MCP client starts it.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTestApp } from '../../fixtures/app.js';
import { git, makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { listToolsOf } from '../../src/mcp/catalog.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { spawnServer, type ToolClient } from '../../fixtures/mcp.js';

const REFERENCE_TOOLS = [
  'coordination_init', 'project_context_set', 'project_context_get', 'project_status_set', 'implementer_list',
  'implementer_reset', 'session_reset', 'status_get', 'task_create', 'task_claim', 'task_update', 'task_list',
  'task_summary', 'task_submit_for_review', 'task_approve', 'task_approve_batch', 'task_request_changes',
  'lock_acquire', 'lock_release', 'lock_list', 'note_append', 'note_list', 'discussion_start', 'discussion_reply',
  'discussion_resolve', 'discussion_get', 'discussion_list', 'discussion_inbox', 'discussion_archive',
  'discussion_cleanup', 'file_read', 'file_write', 'artifact_read', 'artifact_write', 'command_run', 'tool_install',
  'log_append', 'launch_implementer', 'worktree_status', 'worktree_merge', 'worktree_list', 'worktree_cleanup',
];

const clients: ToolClient[] = [];
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  removeTempDirs();
});

async function agent(cwd: string, dbPath: string, args: string[] = []): Promise<ToolClient> {
  const client = await spawnServer({ cwd, args: ['--db-path', dbPath, ...args], env: { COORD_DATA_DIR: join(dbPath, '..') } });
  clients.push(client);
  return client;
}

describe('lockstep-mcp server over stdio', () => {
  it('offers every reference tool with a description, and refuses parameters a tool does not declare', async () => {
    const dbPath = join(makeTempDir(), 'store.db');
    const client = await agent(makeRepo(), dbPath);
    const { tools } = await client.client.listTools();
    const names = tools.map((tool) => tool.name);
    for (const name of REFERENCE_TOOLS) expect(names).toContain(name);
    // Descriptions are short on purpose (README "Performance: what a model request costs"), never empty.
    for (const tool of tools) expect(tool.description?.length, tool.name).toBeGreaterThanOrEqual(20);
    // The advertised schemas leave additionalProperties out; the validator stays strict.
    expect(await client.callError('status_get', { verbose: true })).toMatch(/verbose/);
    expect(client.client.getInstructions()).toContain('coordination_init');
  });

  it('lists exactly what the SDK lists live for the source tools (the shipped catalog is current)', async () => {
    const live = await makeTestApp();
    const expected = await listToolsOf(createMcpServer(live.app, live.config, { version: 'test' }));
    const client = await agent(makeRepo(), join(makeTempDir(), 'store.db'));
    expect((await client.client.listTools()).tools).toEqual(expected);
  });

  it('lets a planner and an implementer in separate processes hand a task over and review it', async () => {
    const dbPath = join(makeTempDir(), 'store.db');
    const repo = makeRepo();
    const planner = await agent(repo, dbPath);
    const implementer = await agent(repo, dbPath);
    await planner.call('coordination_init', { role: 'planner', name: 'plan' });
    await implementer.call('coordination_init', { role: 'implementer', name: 'impl' });
    const { task } = await planner.call('task_create', { title: 'Write the parser', complexity: 'complex' });
    await implementer.call('task_claim', { id: task.id });
    expect(await implementer.callError('task_update', { id: task.id, status: 'done' })).toMatch(/^REVIEW_REQUIRED/);
    await implementer.call('task_submit_for_review', { id: task.id, reviewNotes: 'parser and tests' });
    expect(await implementer.callError('task_approve', { id: task.id })).toMatch(/^ROLE_FORBIDDEN/);
    await planner.call('task_approve', { id: task.id, feedback: 'good' });
    const next = await implementer.call('task_list', { includeDone: true });
    expect(next.tasks[0].status).toBe('done');
    expect(next.pending.reviews[0]).toMatchObject({ task: task.id, verdict: 'approved' });
  });

  it('puts a server started in a linked worktree into its main repository\'s project', async () => {
    const dbPath = join(makeTempDir(), 'store.db');
    const repo = makeRepo();
    const linked = join(makeTempDir(), 'linked');
    git(repo, ['worktree', 'add', '-q', '-b', 'lockstep/ada', linked]);
    const planner = await agent(repo, dbPath);
    const implementer = await agent(linked, dbPath);
    await planner.call('coordination_init', { role: 'planner', name: 'plan' });
    await planner.call('task_create', { title: 'Visible from the worktree' });
    const seen = await implementer.call('task_list', {});
    expect(seen.tasks.map((task: { title: string }) => task.title)).toEqual(['Visible from the worktree']);
  });

  it('refuses unknown properties and wrong types without storing anything', async () => {
    const dbPath = join(makeTempDir(), 'store.db');
    const client = await agent(makeRepo(), dbPath);
    const extra = await client.raw('task_create', { title: 'x', sneaky: true });
    expect(extra.isError).toBe(true);
    const wrongType = await client.raw('task_create', { title: 42 });
    expect(wrongType.isError).toBe(true);
    const badEnum = await client.raw('task_create', { title: 'x', complexity: 'huge' });
    expect(badEnum.isError).toBe(true);
    expect((await client.call('task_list', {})).total).toBe(0);
  });

  it('writes nothing but protocol messages to stdout', async () => {
    const dbPath = join(makeTempDir(), 'store.db');
    const client = await agent(makeRepo(), dbPath);
    // Any stray console output would have broken the JSON-RPC stream and failed these calls.
    await client.call('coordination_init', { role: 'implementer' });
    await client.call('status_get', {});
    expect((await client.call('task_summary', {})).projectStatus).toBe('planning');
  });

  it('reports a corrupt store file by name to the agent and leaves it untouched', async () => {
    const dbPath = join(makeTempDir(), 'broken.db');
    const garbage = 'this is not a sqlite database, and it must survive\n'.repeat(200);
    writeFileSync(dbPath, garbage);
    const client = await agent(makeRepo(), dbPath);
    const error = await client.callError('task_list', {});
    expect(error).toMatch(/^STORE_CORRUPT/);
    expect(error).toContain(dbPath);
    // The server stays up and keeps saying so; it never rewrites the file.
    expect(await client.callError('coordination_init', { role: 'planner' })).toMatch(/^STORE_CORRUPT/);
    expect(readFileSync(dbPath, 'utf8')).toBe(garbage);
  });
});
