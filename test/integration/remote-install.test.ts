// install --remote and status against a real `serveHttp` on a loopback port with real tokens: the
// entries both clients' own `mcp add` commands write, probed over Streamable HTTP with the token read
// from the named variable, and every way such an entry is commonly broken.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../fixtures/app.js';
import { makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { serveTestHttp } from '../../fixtures/mcp-http.js';
import { claudeJsonFormat } from '../../src/integration/claude-config.js';
import { codexTomlFormat } from '../../src/integration/codex-config.js';
import { installServer, uninstallServer } from '../../src/integration/installer.js';
import { remoteServer } from '../../src/integration/remote-server.js';
import { collectStatus } from '../../src/integration/status-report.js';
import { chosenTargets, locationsFor, type Locations } from '../../src/integration/targets.js';
import type { HttpMcpServer } from '../../src/mcp/http-server.js';

const CLAUDE_JSON = '{\n  "numStartups": 3,\n  "mcpServers": {\n    "github": {\n      "type": "http",\n      "url": "https://gh.example/mcp"\n    }\n  }\n}\n';
const CODEX_TOML = '# mine\nmodel = "o3"\n\n[mcp_servers.github]\ncommand = "gh-mcp" # inline comment\n';

let test: TestApp;
let server: HttpMcpServer;
let token: string;
let locations: Locations;
const both = () => chosenTargets(locations, { claude: true, codex: true, scope: 'user' });
const read = (file: string) => readFileSync(file, 'utf8');
const claudeFile = () => join(locations.home, '.claude.json');
const codexFile = () => join(locations.codexHome, 'config.toml');
const remote = () => remoteServer(server.url, 'LOCKSTEP_TOKEN');
const probe = (env: NodeJS.ProcessEnv = { LOCKSTEP_TOKEN: token }) => ({ cwd: locations.projectRoot, env });

beforeEach(async () => {
  test = await makeTestApp();
  server = await serveTestHttp(test);
  token = (await test.app.tokens.create({ name: 'ada', role: 'implementer' })).token;
  locations = locationsFor(makeTempDir('lockstep-home-'), test.repo);
  mkdirSync(locations.codexHome);
  writeFileSync(claudeFile(), CLAUDE_JSON);
  writeFileSync(codexFile(), CODEX_TOML);
});
afterEach(async () => {
  await server.close();
  test.app.close();
});
afterAll(removeTempDirs);

describe('installServer with a remote server', () => {
  it('writes what `claude mcp add --transport http` and `codex mcp add --url` write, never the token, and proves the entry answers', async () => {
    const report = await installServer(both(), remote(), probe());
    expect(report).toMatchObject({ ok: true, problems: [] });
    expect(report.entries.map((entry) => [entry.client, entry.change])).toEqual([['claude', 'added'], ['codex', 'added']]);
    expect((report.entries[0]!.probe as { tools: number }).tools).toBeGreaterThan(30);
    expect(JSON.parse(read(claudeFile())).mcpServers.lockstep).toEqual({
      type: 'http',
      url: server.url,
      headers: { Authorization: 'Bearer ${LOCKSTEP_TOKEN}' },
    });
    expect(read(codexFile())).toBe(`${CODEX_TOML}\n[mcp_servers.lockstep]\nurl = "${server.url}"\nbearer_token_env_var = "LOCKSTEP_TOKEN"\n`);
    for (const file of [claudeFile(), codexFile()]) expect(read(file)).not.toContain(token);
  });

  it('leaves the files byte-identical when run again, and uninstalls back to the original files', async () => {
    await installServer(both(), remote(), probe());
    const first = [read(claudeFile()), read(codexFile())];
    const again = await installServer(both(), remote(), probe());
    expect(again.entries.map((entry) => entry.change)).toEqual(['unchanged', 'unchanged']);
    expect([read(claudeFile()), read(codexFile())]).toEqual(first);
    expect((await uninstallServer(both())).entries.map((entry) => entry.change)).toEqual(['removed', 'removed']);
    expect([read(claudeFile()), read(codexFile())]).toEqual([CLAUDE_JSON, CODEX_TOML]);
  });

  it('turns a local entry into a remote one, dropping the command and keeping settings both kinds share', async () => {
    const local = { type: 'stdio', command: 'node', args: ['cli.js', 'server'], env: { A: '1' } };
    writeFileSync(claudeFile(), JSON.stringify({ mcpServers: { lockstep: local } }, null, 2));
    writeFileSync(codexFile(), '[mcp_servers.lockstep]\ncommand = "node"\nargs = ["cli.js"]\nenabled = true\ntool_timeout_sec = 90\n\n[mcp_servers.lockstep.env]\nA = "1"\n');
    const report = await installServer(both(), remote(), probe());
    expect(report.entries.map((entry) => entry.change)).toEqual(['updated', 'updated']);
    expect(JSON.parse(read(claudeFile())).mcpServers.lockstep).toEqual({ type: 'http', url: server.url, headers: { Authorization: 'Bearer ${LOCKSTEP_TOKEN}' } });
    expect(read(codexFile())).toBe(`[mcp_servers.lockstep]\nenabled = true\ntool_timeout_sec = 90\nurl = "${server.url}"\nbearer_token_env_var = "LOCKSTEP_TOKEN"\n`);
  });

  it('turns a remote entry back into a local one, dropping the URL and the token variable', () => {
    const local = { command: 'node', args: ['cli.js', 'server'] };
    const claude = claudeJsonFormat.withEntry(claudeJsonFormat.withEntry(undefined, remote(), 'f'), local, 'f');
    expect(JSON.parse(claude).mcpServers.lockstep).toEqual({ type: 'stdio', ...local, env: {} });
    const codex = codexTomlFormat.withEntry(codexTomlFormat.withEntry(undefined, remote(), 'f'), local, 'f');
    expect(codex).toBe('[mcp_servers.lockstep]\ncommand = "node"\nargs = [ "cli.js", "server" ]\nstartup_timeout_sec = 20\n');
    expect(codexTomlFormat.read(codex, 'f')).toEqual(local);
  });

  it('changes no file at all when one of them does not parse', async () => {
    writeFileSync(claudeFile(), '{ "mcpServers": ');
    const report = await installServer(both(), remote(), probe());
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ client: 'claude', error: expect.stringMatching(/not valid JSON/) })]);
    expect([read(claudeFile()), read(codexFile())]).toEqual(['{ "mcpServers": ', CODEX_TOML]);
  });
});

describe('collectStatus with remote entries', () => {
  const statusWith = async (env: NodeJS.ProcessEnv) => collectStatus(locations, test.config, { env });
  const remoteClients = (report: Awaited<ReturnType<typeof collectStatus>>) => report.clients.filter((client) => client.installed);

  it('reports a remote entry that answers with the token from its variable', async () => {
    await installServer(both(), remote(), probe());
    const report = await statusWith({ LOCKSTEP_TOKEN: token });
    expect(report.ok).toBe(true);
    expect(remoteClients(report)).toEqual([
      expect.objectContaining({ client: 'claude', remote: { url: server.url, tokenEnv: 'LOCKSTEP_TOKEN' }, answers: true }),
      expect.objectContaining({ client: 'codex', remote: { url: server.url, tokenEnv: 'LOCKSTEP_TOKEN' }, answers: true }),
    ]);
    expect(JSON.stringify(report)).not.toContain(token);
  });

  it('tells a refused token, a missing variable, a wrong path and a closed port apart, and reports itself broken', async () => {
    await installServer(both(), remote(), probe());
    const wrongToken = await statusWith({ LOCKSTEP_TOKEN: 'lsk_not-a-real-token' });
    expect(wrongToken.ok).toBe(false);
    expect(remoteClients(wrongToken).map((client) => client.reason)).toEqual(['unauthorized', 'unauthorized']);
    expect(remoteClients(await statusWith({})).map((client) => [client.reason, client.error])).toEqual([
      ['token-variable-missing', expect.stringMatching(/\$LOCKSTEP_TOKEN is not set/)],
      ['token-variable-missing', expect.stringMatching(/\$LOCKSTEP_TOKEN is not set/)],
    ]);
    await installServer(both(), remoteServer(server.url.replace('/mcp', '/elsewhere'), 'LOCKSTEP_TOKEN'), probe());
    expect(remoteClients(await statusWith({ LOCKSTEP_TOKEN: token })).map((client) => client.reason)).toEqual(['not-found', 'not-found']);
    const port = new URL(server.url).port;
    await server.close();
    await installServer(both(), remote(), probe());
    const closed = await statusWith({ LOCKSTEP_TOKEN: token });
    expect(remoteClients(closed).map((client) => [client.reason, client.error])).toEqual([
      ['unreachable', expect.stringContaining(`127.0.0.1:${port}/mcp: cannot connect (ECONNREFUSED)`)],
      ['unreachable', expect.stringContaining('ECONNREFUSED')],
    ]);
  });

  it('reads back a hand-written Claude entry whose header holds no variable as broken, not as absent', async () => {
    writeFileSync(claudeFile(), JSON.stringify({ mcpServers: { lockstep: { type: 'http', url: server.url, headers: { Authorization: `Bearer ${token}` } } } }));
    const [claude] = remoteClients(await statusWith({ LOCKSTEP_TOKEN: token }));
    expect(claude).toMatchObject({ installed: true, remote: { url: server.url }, answers: false, reason: 'token-variable-missing' });
  });
});

describe('remoteServer', () => {
  it('accepts https anywhere and plain http on loopback, and names only the variable', () => {
    expect(remoteServer('https://mcp.example.com/mcp', 'LOCKSTEP_TOKEN')).toEqual({ url: 'https://mcp.example.com/mcp', tokenEnv: 'LOCKSTEP_TOKEN' });
    expect(remoteServer('http://127.0.0.1:8788/mcp', 'T').url).toBe('http://127.0.0.1:8788/mcp');
    expect(remoteServer('http://[::1]:8788/mcp', 'T').url).toBe('http://[::1]:8788/mcp');
  });

  it('refuses plain http beyond loopback unless told --insecure, and anything that is not an http(s) URL without credentials', () => {
    expect(() => remoteServer('http://10.0.0.5:8788/mcp', 'T')).toThrow(/plain http to 10\.0\.0\.5 would send the token in clear/);
    expect(remoteServer('http://10.0.0.5:8788/mcp', 'T', { insecure: true }).url).toBe('http://10.0.0.5:8788/mcp');
    expect(() => remoteServer('ftp://host/mcp', 'T')).toThrow(/must be an http\(s\) URL/);
    expect(() => remoteServer('host:8788', 'T')).toThrow(/must be an http\(s\) URL/);
    expect(() => remoteServer('not a url', 'T')).toThrow(/is not a URL/);
    expect(() => remoteServer('https://ada:secret@host/mcp', 'T')).toThrow(/must not carry credentials/);
  });

  it('refuses a variable name that is not one, and a token given where its variable\'s name belongs', () => {
    expect(() => remoteServer('https://host/mcp', 'MY-TOKEN')).toThrow(/must be the NAME of an environment variable/);
    expect(() => remoteServer('https://host/mcp', '$TOKEN')).toThrow(/must be the NAME/);
    const mistaken = (() => {
      try {
        remoteServer('https://host/mcp', 'lsk_abcdef');
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(mistaken).toMatch(/not "lsk_…"/);
    expect(mistaken).not.toContain('abcdef');
  });
});
