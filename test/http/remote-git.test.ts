// The worktree loop across machines, over real HTTP on loopback: an implementer connected with a token
// gets a branch and base commit at claim (no path on the server), works in its own clone of the bare
// shared remote, pushes; the planner's approval lands exactly the pushed commit and pushes the target.

import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../fixtures/app.js';
import { approveProjectConfig } from '../../fixtures/config-approval.js';
import { commitFiles, git, makeBareRemote, makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { connectHttp, serveTestHttp, type HttpToolClient } from '../../fixtures/mcp-http.js';
import type { AgentRole } from '../../src/core/vocabulary.js';
import type { HttpMcpServer } from '../../src/mcp/http-server.js';
import { cloneForImplementer } from '../../git/clone.js';

let test: TestApp | undefined;
let server: HttpMcpServer | undefined;
const clients: HttpToolClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close().catch(() => undefined)));
  await server?.close();
  test?.app.close();
});
afterAll(removeTempDirs);

async function agent(name: string, role: AgentRole): Promise<HttpToolClient> {
  const { token } = await test!.app.tokens.create({ name, role });
  const client = await connectHttp(server!.url, token);
  clients.push(client);
  await client.call('coordination_init', { role, name });
  return client;
}

describe('implementers on other machines over HTTP', () => {
  it('claim, clone, push, submit and land through the shared remote', async () => {
    const repo = makeRepo({ 'README.md': '# r\n' });
    const remote = makeBareRemote(repo);
    commitFiles(repo, { '.lockstep/config.json': JSON.stringify({ remote }) }, 'project config');
    git(repo, ['push', '--quiet', remote, 'main']);
    test = await makeTestApp({ repo });
    await approveProjectConfig(test.config.dataDir, repo);
    server = await serveTestHttp(test, { addressNames: ['127.0.0.1'] });
    const planner = await agent('lead', 'planner');
    const ada = await agent('ada', 'implementer');
    const { task } = await planner.call('task_create', { title: 'Feature', complexity: 'complex', isolation: 'worktree' });

    const claimed = (await ada.call('task_claim', { id: task.id })).task;
    expect(claimed.worktree).toBeUndefined();
    expect(claimed.remoteWork).toMatchObject({ remote, branch: 'lockstep/ada', base: git(repo, ['rev-parse', 'main']) });

    const clone = await cloneForImplementer({ url: remote, dir: join(makeTempDir(), 'ada'), name: 'ada', base: claimed.remoteWork.base });
    const pushed = commitFiles(clone.dir, { 'feature.txt': 'f\n' });
    git(clone.dir, ['push', '--quiet']);
    const submitted = await ada.call('task_submit_for_review', { id: task.id, reviewNotes: 'adds feature' });
    expect(submitted).toMatchObject({ reviewedRev: pushed });

    const approved = await planner.call('task_approve', { id: task.id });
    expect(approved).toMatchObject({ task: { status: 'done' }, landed: true, commit: pushed });
    expect(git(remote, ['rev-parse', 'main'])).toBe(pushed);
    expect(git(repo, ['rev-parse', 'main'])).toBe(pushed);
  });
});
