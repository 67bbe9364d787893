// The worktree loop across machines with every part real: the built `server --http` process over the
// project's repository, tokens made by `token create`, an implementer that works in a clone made by
// `lockstep-mcp join` and pushes to a bare shared remote, and the planner's approval pushing the target.

import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { approveProjectConfig } from '../../fixtures/config-approval.js';
import { commitFiles, git, makeBareRemote, makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { spawnHttpServer, type HttpServerProcess } from '../../fixtures/http-server-process.js';
import { BUILT_CLI } from '../../fixtures/mcp.js';
import { connectHttp, type HttpToolClient } from '../../fixtures/mcp-http.js';

const servers: HttpServerProcess[] = [];
const clients: HttpToolClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close().catch(() => undefined)));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
afterAll(removeTempDirs);

function cli(cwd: string, args: string[]) {
  const run = spawnSync(process.execPath, [BUILT_CLI, ...args], { cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`lockstep-mcp ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return run.stdout;
}

async function agent(url: string, repo: string, dataDir: string, name: string, role: 'planner' | 'implementer'): Promise<HttpToolClient> {
  const token = cli(repo, ['token', 'create', '--name', name, '--role', role, '--data-dir', dataDir]).trim();
  const client = await connectHttp(url, token);
  clients.push(client);
  await client.call('coordination_init', { role });
  return client;
}

describe('an implementer on another machine, end to end', () => {
  it('claims over HTTP, joins with the CLI, pushes, and its pushed commit is reviewed, landed and pushed to the remote', async () => {
    const repo = makeRepo({ 'README.md': '# r\n' });
    const remote = makeBareRemote(repo);
    commitFiles(repo, { '.lockstep/config.json': JSON.stringify({ remote }) }, 'project config');
    git(repo, ['push', '--quiet', remote, 'main']);
    const dataDir = makeTempDir();
    await approveProjectConfig(dataDir, repo);
    const server = await spawnHttpServer({ cwd: repo, args: ['--data-dir', dataDir] });
    servers.push(server);
    const { url } = server;
    const planner = await agent(url, repo, dataDir, 'lead', 'planner');
    const ada = await agent(url, repo, dataDir, 'ada', 'implementer');
    const { task } = await planner.call('task_create', { title: 'Feature', complexity: 'complex', isolation: 'worktree' });

    const { remoteWork } = (await ada.call('task_claim', { id: task.id })).task;
    const elsewhere = makeTempDir();
    const joined = cli(elsewhere, ['join', remoteWork.remote, '--name', 'ada', '--base', remoteWork.base, '--dir', 'work']);
    expect(joined).toContain('git push origin lockstep/ada');
    const clone = `${elsewhere}/work`;
    const pushed = commitFiles(clone, { 'feature.txt': 'f\n' });
    git(clone, ['push', '--quiet']);
    commitFiles(clone, { 'later.txt': 'not pushed\n' });

    expect(await ada.call('task_submit_for_review', { id: task.id, reviewNotes: 'adds feature' })).toMatchObject({ reviewedRev: pushed });
    expect(await planner.call('task_approve', { id: task.id })).toMatchObject({ task: { status: 'done' }, landed: true, commit: pushed });
    expect(git(remote, ['rev-parse', 'main'])).toBe(pushed);
    expect(git(repo, ['rev-parse', 'main'])).toBe(pushed);
  });
});
