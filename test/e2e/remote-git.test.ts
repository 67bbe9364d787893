// The worktree loop across machines with every part real: the built `server --http` process over the
// project's repository, tokens made by `token create`, an implementer that works in a clone made by
// `lockstep-mcp join` and pushes to a bare shared remote, and the planner's approval pushing the target.
// Then team mode whole: two such servers standing for two hosts on one PostgreSQL database, tokens
// limited to the project, implementers that name it by its shared-remote URL.

import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { approveProjectConfig } from '../../fixtures/config-approval.js';
import { commitFiles, git, makeBareRemote, makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { spawnHttpServer, type HttpServerProcess } from '../../fixtures/http-server-process.js';
import { BUILT_CLI } from '../../fixtures/mcp.js';
import { connectHttp, type HttpToolClient } from '../../fixtures/mcp-http.js';
import { createDatabase, postgresServer } from '../../fixtures/postgres.js';

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

const postgres = await postgresServer();

describe.skipIf(postgres.skip !== undefined)('a team across hosts on PostgreSQL and a shared remote', () => {
  it('plans on one server, works in clones elsewhere through another, and lands every pushed commit on the remote', async () => {
    const repo = makeRepo({ 'README.md': '# team\n' });
    const remote = makeBareRemote(repo);
    commitFiles(repo, { '.lockstep/config.json': JSON.stringify({ remote }) }, 'project config');
    git(repo, ['push', '--quiet', remote, 'main']);
    const dataDir = makeTempDir();
    await approveProjectConfig(dataDir, repo);
    const store = ['--storage', 'postgres', '--database-url', await createDatabase(postgres.url!), '--data-dir', dataDir];
    const projectId = git(repo, ['rev-parse', '--show-toplevel']);
    const token = (name: string, role: string) => cli(repo, ['token', 'create', '--name', name, '--role', role, '--project', projectId, ...store]).trim();
    const tokens = { lead: token('lead', 'planner'), ada: token('ada', 'implementer'), bob: token('bob', 'implementer') };

    const hostA = await spawnHttpServer({ cwd: repo, args: [...store, '--host-id', 'host-a'] });
    const hostB = await spawnHttpServer({ cwd: repo, args: [...store, '--host-id', 'host-b'] });
    servers.push(hostA, hostB);
    const join = async (url: string, name: keyof typeof tokens, role: 'planner' | 'implementer') => {
      const client = await connectHttp(url, tokens[name]);
      clients.push(client);
      await client.call('coordination_init', { role, project: remote });
      return client;
    };
    const lead = await join(hostA.url, 'lead', 'planner');
    const ada = await join(hostB.url, 'ada', 'implementer');
    const bob = await join(hostB.url, 'bob', 'implementer');

    // bob waits on host B; the task the lead creates on host A reaches it through LISTEN/NOTIFY.
    const bobWaits = bob.call('task_wait', { timeoutMs: 60_000 });
    const first = (await lead.call('task_create', { title: 'Feature A', complexity: 'complex', isolation: 'worktree' })).task;
    expect(await bobWaits).toMatchObject({ reason: 'task', task: { id: first.id } });
    const second = (await lead.call('task_create', { title: 'Feature B', complexity: 'complex', isolation: 'worktree' })).task;

    const pushed: Record<string, string> = {};
    for (const [agent, name, task, file] of [[ada, 'ada', first, 'a.txt'], [bob, 'bob', second, 'b.txt']] as const) {
      const { remoteWork } = (await agent.call('task_claim', { id: task.id })).task;
      expect(remoteWork).toMatchObject({ branch: `lockstep/${name}` });
      const machine = makeTempDir();
      cli(machine, ['join', remoteWork.remote, '--name', name, '--base', remoteWork.base, '--dir', 'work']);
      pushed[name] = commitFiles(`${machine}/work`, { [file]: `${name}\n` });
      git(`${machine}/work`, ['push', '--quiet']);
      expect(await agent.call('task_submit_for_review', { id: task.id, reviewNotes: `adds ${file}` })).toMatchObject({ reviewedRev: pushed[name] });
    }

    expect(await lead.call('task_approve', { id: first.id })).toMatchObject({ landed: true, commit: pushed.ada });
    expect(await lead.call('task_approve', { id: second.id })).toMatchObject({ task: { status: 'done' }, landed: true });
    const landed = git(remote, ['rev-parse', 'main']);
    expect(git(remote, ['show', `${landed}:a.txt`])).toBe('ada');
    expect(git(remote, ['show', `${landed}:b.txt`])).toBe('bob');
    expect(git(repo, ['rev-parse', 'main'])).toBe(landed);
    // Both servers read one board: an implementer on host B sees what the lead decided on host A.
    expect((await ada.call('task_list', { status: 'done' })).tasks.map((task: { id: number }) => task.id)).toEqual([first.id, second.id]);
  }, 120_000);
});
