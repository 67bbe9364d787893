// Which project a remote session works on, over real HTTP on loopback with real SDK clients: named by the
// project id the server prints or by the shared-remote URL, never by a path of the agent's machine;
// tokens limited to projects; and a remote agent cannot make the server open a directory of its choice.

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../fixtures/app.js';
import { git, makeRepo, makeTempDir, removeTempDirs, writeTree } from '../../fixtures/git.js';
import { connectHttp, rawPost, type HttpToolClient, serveTestHttp } from '../../fixtures/mcp-http.js';
import type { AgentRole } from '../../src/core/vocabulary.js';
import { ServedProjects } from '../../src/domain/served-projects.js';
import type { HttpMcpServer } from '../../src/mcp/http-server.js';

const SHARED = 'https://git.example.com/team/billing.git';

let test: TestApp;
let billing: string;
let server: HttpMcpServer;
const clients: HttpToolClient[] = [];

beforeEach(async () => {
  test = await makeTestApp();
  billing = makeRepo({ 'README.md': '# billing\n' });
  git(billing, ['remote', 'add', 'origin', SHARED]);
  server = await serveTestHttp(test, { addressNames: ['127.0.0.1'], served: await ServedProjects.load([test.repo, billing]) });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close().catch(() => undefined)));
  await server.close();
  test.app.close();
});
afterAll(removeTempDirs);

async function agent(name: string, role: AgentRole = 'implementer', projects?: string[]): Promise<HttpToolClient> {
  const { token } = await test.app.tokens.create({ name, role, ...(projects && { projects }) });
  const client = await connectHttp(server.url, token);
  clients.push(client);
  return client;
}

const rowsIn = (project: string) =>
  test.app.context.store.read(project, function* (tx) {
    return { agents: yield* tx.count('agents'), tasks: yield* tx.count('tasks'), contexts: yield* tx.count('contexts') };
  });

describe('naming the project at coordination_init', () => {
  it('takes the shared-remote URL, in any common spelling, and the session then stays on that project', async () => {
    const lead = await agent('lead', 'planner');
    const joined = await lead.call('coordination_init', { role: 'planner', project: 'https://GIT.example.com/team/billing/' });
    expect(joined.project.root).toBe(billing);
    await lead.call('task_create', { title: 'Invoices' });
    expect((await lead.call('task_list', {})).tasks.map((task: { title: string }) => task.title)).toEqual(['Invoices']);
    expect(await rowsIn(billing)).toMatchObject({ agents: 1, tasks: 1 });
    expect(await rowsIn(test.repo)).toMatchObject({ agents: 0, tasks: 0 });
  });

  it('takes the project id the server prints, and without a name uses the first served project', async () => {
    const ada = await agent('ada');
    expect((await ada.call('coordination_init', { role: 'implementer', project: billing })).project.root).toBe(billing);
    const bob = await agent('bob');
    expect((await bob.call('coordination_init', { role: 'implementer' })).project.root).toBe(test.repo);
  });

  it('refuses a project this server does not serve with PROJECT_UNKNOWN, naming the ones it does', async () => {
    const ada = await agent('ada');
    const error = await ada.callError('coordination_init', { role: 'implementer', project: 'https://git.example.com/team/payroll.git' });
    expect(error).toMatch(/^PROJECT_UNKNOWN: this server serves no project named/);
    expect(error).toContain(`Next: Pass project (or omit it) as one of: ${test.repo}; ${billing} or ${SHARED.replace(/\.git$/, '')}`);
    expect(await rowsIn(test.repo)).toMatchObject({ agents: 0 });
  });
});

describe('a remote agent cannot make the server open a directory of its choosing', () => {
  it('refuses a path of the server machine that is not a served project, as project or projectRoot, and stores nothing for it', async () => {
    // A real repository on the server's disk, reachable by path, that the server was not asked to serve.
    const victim = makeRepo({ 'secret.txt': 'payroll\n' });
    const inside = join(billing, 'sub');
    mkdirSync(inside);
    const lead = await agent('lead', 'planner');
    for (const path of [victim, `${billing}/../${victim.split('/').at(-1)}`, inside, join(makeTempDir(), 'nowhere')]) {
      expect(await lead.callError('coordination_init', { role: 'planner', project: path })).toMatch(/^PROJECT_UNKNOWN: /);
      expect(await lead.callError('coordination_init', { role: 'planner', projectRoot: path })).toMatch(/^PROJECT_UNKNOWN: /);
    }
    await lead.call('coordination_init', { role: 'planner' });
    expect(await lead.callError('project_context_set', { description: 'steal', endState: 'x', projectRoot: victim })).toMatch(/^PROJECT_UNKNOWN: /);
    expect(await lead.callError('discussion_start', { topic: 't', message: 'm', projectRoot: victim })).toMatch(/^PROJECT_UNKNOWN: /);
    expect(await rowsIn(victim)).toEqual({ agents: 0, tasks: 0, contexts: 0 });
    expect(existsSync(join(victim, '.lockstep'))).toBe(false);
  });
});

describe('tokens limited to projects', () => {
  it('opens sessions only on the projects the token names: another one is PROJECT_FORBIDDEN and nothing is done', async () => {
    const ada = await agent('ada', 'implementer', [SHARED]);
    expect(await ada.callError('coordination_init', { role: 'implementer', project: test.repo })).toMatch(
      /^PROJECT_FORBIDDEN: your access token "ada" is limited to https:\/\/git\.example\.com\/team\/billing\.git, not /,
    );
    expect(await rowsIn(test.repo)).toMatchObject({ agents: 0 });
    // Without a name, its session goes to the first project it may use, not the server's first.
    expect((await ada.call('coordination_init', { role: 'implementer' })).project.root).toBe(billing);
    expect(await ada.callError('implementer_list', { projectRoot: test.repo })).toMatch(/^PROJECT_FORBIDDEN: /);
  });

  it('lets a token limited to no project this server serves open no session at all: 403', async () => {
    const { token } = await test.app.tokens.create({ name: 'ada', role: 'implementer', projects: ['https://git.example.com/team/payroll.git'] });
    const answer = await rawPost(server.url, { Authorization: `Bearer ${token}` });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).error.message).toMatch(/^PROJECT_FORBIDDEN: your access token "ada" is limited to \S+payroll\.git, which this server does not serve\./);
    expect(server.sessionCount()).toBe(0);
  });
});

describe('the shared remote of .lockstep/config.json', () => {
  it('is read tolerantly: a URL, or the name of a git remote, beside keys this version does not know', async () => {
    const byUrl = makeRepo();
    writeTree(byUrl, { '.lockstep/config.json': JSON.stringify({ remote: 'git@git.example.com:team/app.git', someFutureKey: { a: 1 } }) });
    const byName = makeRepo();
    git(byName, ['remote', 'add', 'upstream', 'https://git.example.com/team/web.git']);
    writeTree(byName, { '.lockstep/config.json': JSON.stringify({ remote: 'upstream' }) });
    const broken = makeRepo();
    writeTree(broken, { '.lockstep/config.json': '{ not json' });
    const served = await ServedProjects.load([byUrl, byName, broken]);
    expect(served.find('git@GIT.example.com:team/app').id).toBe(byUrl);
    expect(served.find('https://git.example.com/team/web').id).toBe(byName);
    expect(served.all.map((project) => project.remotes)).toEqual([['git@git.example.com:team/app'], ['https://git.example.com/team/web'], []]);
  });
});
