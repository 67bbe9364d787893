// The built binary: `token create|list|revoke` and `server --http` as a human runs them, including the
// rules for leaving loopback (a warning, never without a token, never with --no-auth) and HTTPS.

import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { git, makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { BUILT_CLI } from '../../fixtures/mcp.js';
import { connectHttp, INITIALIZE } from '../../fixtures/mcp-http.js';

const started: ChildProcess[] = [];
afterEach(() => started.splice(0).forEach((child) => child.kill('SIGTERM')));
afterAll(removeTempDirs);

function cli(dataDir: string, args: string[]) {
  return spawnSync(process.execPath, [BUILT_CLI, ...args, '--data-dir', dataDir], { cwd: makeRepo(), encoding: 'utf8' });
}

/** Starts `server --http` and resolves with its URL and everything it said, or rejects with why it exited. */
function startServer(dataDir: string, args: string[], cwd = makeRepo()): Promise<{ url: string; stderr: string }> {
  const child = spawn(process.execPath, [BUILT_CLI, 'server', '--http', '--port', '0', '--data-dir', dataDir, ...args], { cwd });
  started.push(child);
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const url = /serving MCP over Streamable HTTP at (\S+)/.exec(stderr)?.[1];
      if (url) resolve({ url, stderr });
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
}

describe('lockstep-mcp token', () => {
  it('prints a new token once on stdout alone, lists tokens without secrets, and revokes them', () => {
    const dataDir = makeTempDir();
    const created = cli(dataDir, ['token', 'create', '--name', 'ada', '--role', 'planner', '--expires', '30d']);
    expect(created.status).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^lsk_\S+$/);
    expect(created.stderr).toMatch(/planner "ada" \(expires .*\)\. It is shown only this once/);
    const listed = cli(dataDir, ['token', 'list']);
    expect(listed.stdout).toMatch(/^ada\s+planner\s+active\s+expires /);
    expect(listed.stdout).not.toContain(token);
    expect(cli(dataDir, ['token', 'create', '--name', 'ada']).stderr).toMatch(/NAME_TAKEN/);
    expect(cli(dataDir, ['token', 'create', '--name', 'bob', '--expires', 'soon']).stderr).toMatch(/INVALID_INPUT: bad --expires/);
    expect(cli(dataDir, ['token', 'revoke', 'ada']).status).toBe(0);
    expect(cli(dataDir, ['token', 'list']).stdout).toMatch(/^ada\s+planner\s+revoked/);
  });
});

describe('lockstep-mcp server --http', () => {
  it('serves the tools on loopback to a client with a token', async () => {
    const dataDir = makeTempDir();
    const token = cli(dataDir, ['token', 'create', '--name', 'ada']).stdout.trim();
    const { url } = await startServer(dataDir, []);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const ada = await connectHttp(url, token);
    expect((await ada.client.listTools()).tools.length).toBeGreaterThan(30);
    expect((await ada.call('coordination_init', { role: 'implementer' })).agent.name).toBe('ada');
    await ada.close();
  });

  it('refuses to listen beyond loopback without a token, or with --no-auth', () => {
    const dataDir = makeTempDir();
    const run = (args: string[]) => spawnSync(process.execPath, [BUILT_CLI, 'server', '--http', '--port', '0', '--data-dir', dataDir, ...args], { encoding: 'utf8' });
    const bare = run(['--host', '0.0.0.0']);
    expect(bare.status).toBe(1);
    expect(bare.stderr).toMatch(/INVALID_INPUT: binding to 0\.0\.0\.0 .* there is no token yet/);
    cli(dataDir, ['token', 'create', '--name', 'ada']);
    const open = run(['--host', '0.0.0.0', '--no-auth']);
    expect(open.status).toBe(1);
    expect(open.stderr).toMatch(/--no-auth is allowed only on a loopback address/);
  });

  it('warns when it listens beyond loopback with a token', async () => {
    const dataDir = makeTempDir();
    cli(dataDir, ['token', 'create', '--name', 'ada']);
    const { stderr } = await startServer(dataDir, ['--host', '0.0.0.0']);
    expect(stderr).toMatch(/WARNING: listening on 0\.0\.0\.0, reachable from other machines\. Every request needs a token; traffic is NOT encrypted/);
  });

  it('serves HTTPS with --tls-cert and --tls-key, still asking for a token', async () => {
    const dataDir = makeTempDir();
    const token = cli(dataDir, ['token', 'create', '--name', 'ada']).stdout.trim();
    const cert = join(dataDir, 'cert.pem');
    const key = join(dataDir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    const { url } = await startServer(dataDir, ['--tls-cert', cert, '--tls-key', key]);
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const post = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const sent = request(url, { method: 'POST', ca: readFileSync(cert), headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers } }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        sent.on('error', reject);
        sent.end(JSON.stringify(INITIALIZE));
      });
    expect(await post({})).toBe(401);
    expect(await post({ Authorization: `Bearer ${token}` })).toBe(200);
  });

  it('prints the project ids and shared remotes agents name, and keeps a token limited to projects to them', async () => {
    const dataDir = makeTempDir();
    const repo = makeRepo();
    git(repo, ['remote', 'add', 'origin', 'https://git.example.com/team/app.git']);
    const here = (args: string[]) => spawnSync(process.execPath, [BUILT_CLI, ...args, '--data-dir', dataDir], { cwd: repo, encoding: 'utf8' });
    const mine = here(['token', 'create', '--name', 'ada', '--project', '.']).stdout.trim();
    const theirs = here(['token', 'create', '--name', 'bob', '--project', 'https://git.example.com/team/other.git']).stdout.trim();
    expect(here(['token', 'create', '--name', 'cy', '--project', 'typo']).stderr).toMatch(/INVALID_INPUT: --project typo is not a project/);
    const listed = here(['token', 'list']).stdout;
    expect(listed).toMatch(new RegExp(`^ada .* projects ${repo}$`, 'm'));
    expect(listed).toMatch(/^bob .* projects https:\/\/git\.example\.com\/team\/other\.git$/m);
    const web = makeRepo();
    const { url, stderr } = await startServer(dataDir, ['--session-idle', '10m', '--serve', web], repo);
    expect(stderr).toContain(`lockstep-mcp: project ${repo} (shared remote https://git.example.com/team/app)\nlockstep-mcp: project ${web}\n`);
    const ada = await connectHttp(url, mine);
    expect((await ada.call('coordination_init', { role: 'implementer', project: 'https://git.example.com/team/app.git' })).project.root).toBe(repo);
    expect(await ada.callError('coordination_init', { role: 'implementer', project: web })).toMatch(/^PROJECT_FORBIDDEN: /);
    await ada.close();
    await expect(connectHttp(url, theirs)).rejects.toThrow(/PROJECT_FORBIDDEN/);
    expect(spawnSync(process.execPath, [BUILT_CLI, 'server', '--http', '--session-idle', '0s', '--data-dir', dataDir], { cwd: repo, encoding: 'utf8' }).stderr).toMatch(/INVALID_INPUT: bad HTTP setting --session-idle: at least 1s/);
  });
});
