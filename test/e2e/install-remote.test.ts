// `install --remote` as a human runs it: the built binary with HOME in a temporary directory against a
// real `server --http` with a real token, then the real Claude Code and Codex CLIs reading what it wrote
// (`claude mcp list` connects with the token from the variable), `status --json`, and `uninstall`.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENT_BIN_DIR } from '../../fixtures/fake-model.js';
import { makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { BUILT_CLI } from '../../fixtures/mcp.js';

const started: ChildProcess[] = [];
afterEach(() => started.splice(0).forEach((child) => child.kill('SIGTERM')));
afterAll(removeTempDirs);

let home: string;
let repo: string;
let dataDir: string;
let url: string;
let token: string;

/** A clean environment: HOME in the temp dir, no COORD_* or CODEX_HOME of the machine running the tests. */
function environment(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', ...extra };
  delete env.CODEX_HOME;
  delete env.LOCKSTEP_TOKEN;
  for (const name of Object.keys(env)) if (name.startsWith('COORD_')) delete env[name];
  return { ...env, ...extra };
}

function run(program: string, args: string[], extra: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(program, args, { cwd: repo, env: environment(extra), encoding: 'utf8', timeout: 90_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const lockstep = (args: string[], extra: NodeJS.ProcessEnv = {}) => run(process.execPath, [BUILT_CLI, ...args], extra);
const agentCli = (name: 'claude' | 'codex') => join(AGENT_BIN_DIR, name);

function startServer(): Promise<string> {
  const child = spawn(process.execPath, [BUILT_CLI, 'server', '--http', '--port', '0', '--data-dir', dataDir], { cwd: repo });
  started.push(child);
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const address = /serving MCP over Streamable HTTP at (\S+)/.exec(stderr)?.[1];
      if (address) resolve(address);
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
  });
}

beforeEach(async () => {
  home = makeTempDir('lockstep-home-');
  repo = makeRepo({ 'README.md': '# demo\n' });
  dataDir = makeTempDir('lockstep-data-');
  mkdirSync(join(home, '.codex'));
  token = lockstep(['token', 'create', '--name', 'ada', '--data-dir', dataDir]).stdout.trim();
  url = await startServer();
});

describe('lockstep-mcp install --remote', () => {
  it('writes entries that answer with the token from the variable, and writes the same bytes when run again', () => {
    const install = lockstep(['install', '--remote', url, '--token-env', 'LOCKSTEP_TOKEN'], { LOCKSTEP_TOKEN: token });
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toMatch(/✓ The server is reached and answers tools\/list \(\d+ tools\): http:\/\/127\.0\.0\.1:\d+\/mcp \(token from \$LOCKSTEP_TOKEN\)/);
    const files = [join(home, '.claude.json'), join(home, '.codex', 'config.toml')].map((file) => readFileSync(file, 'utf8'));
    for (const text of files) expect(text).not.toContain(token);
    expect(lockstep(['install', '--remote', url, '--token-env', 'LOCKSTEP_TOKEN'], { LOCKSTEP_TOKEN: token }).stdout).toMatch(/already in ~\/\.claude\.json, nothing to change[\s\S]*already in ~\/\.codex\/config\.toml/);
    expect([join(home, '.claude.json'), join(home, '.codex', 'config.toml')].map((file) => readFileSync(file, 'utf8'))).toEqual(files);
  });

  it.skipIf(!existsSync(agentCli('claude')))('writes an entry the real Claude Code connects to with the token from the variable', { timeout: 120_000 }, () => {
    expect(lockstep(['install', '--claude', '--remote', url, '--token-env', 'LOCKSTEP_TOKEN'], { LOCKSTEP_TOKEN: token }).code).toBe(0);
    const listed = run(agentCli('claude'), ['mcp', 'list'], { LOCKSTEP_TOKEN: token });
    expect(listed.stdout, listed.stderr).toContain(`lockstep: ${url} (HTTP) - ✔ Connected`);
    const refused = run(agentCli('claude'), ['mcp', 'list'], { LOCKSTEP_TOKEN: 'lsk_not-a-real-token' });
    expect(refused.stdout).toContain(`lockstep: ${url} (HTTP) - ✘ Failed to connect`);
  });

  it.skipIf(!existsSync(agentCli('codex')))('writes an entry the real Codex reads as a Streamable HTTP server with a bearer token variable', { timeout: 120_000 }, () => {
    expect(lockstep(['install', '--codex', '--remote', url, '--token-env', 'LOCKSTEP_TOKEN'], { LOCKSTEP_TOKEN: token }).code).toBe(0);
    const listed = run(agentCli('codex'), ['mcp', 'list', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ name: 'lockstep', enabled: true, transport: expect.objectContaining({ type: 'streamable_http', url, bearer_token_env_var: 'LOCKSTEP_TOKEN' }), auth_status: 'bearer_token' }),
    ]);
  });

  it('reports the remote entries in status --json, exiting non-zero when the token is refused or its variable is missing', () => {
    lockstep(['install', '--remote', url, '--token-env', 'LOCKSTEP_TOKEN'], { LOCKSTEP_TOKEN: token });
    const status = (extra: NodeJS.ProcessEnv) => {
      const result = lockstep(['status', '--json'], extra);
      const report = JSON.parse(result.stdout) as { clients: { installed: boolean; remote?: unknown; answers?: boolean; reason?: string }[] };
      return { code: result.code, installed: report.clients.filter((client) => client.installed) };
    };
    const good = status({ LOCKSTEP_TOKEN: token });
    expect(good.code).toBe(0);
    expect(good.installed).toEqual([
      expect.objectContaining({ remote: { url, tokenEnv: 'LOCKSTEP_TOKEN' }, answers: true }),
      expect.objectContaining({ remote: { url, tokenEnv: 'LOCKSTEP_TOKEN' }, answers: true }),
    ]);
    const refused = status({ LOCKSTEP_TOKEN: 'lsk_not-a-real-token' });
    expect([refused.code, refused.installed.map((client) => client.reason)]).toEqual([1, ['unauthorized', 'unauthorized']]);
    const unset = status({});
    expect([unset.code, unset.installed.map((client) => client.reason)]).toEqual([1, ['token-variable-missing', 'token-variable-missing']]);
    expect(lockstep(['status']).stdout).toMatch(/✗ Claude Code \(user\)\s+token variable not set[\s\S]*remote http:\/\/127\.0\.0\.1:\d+\/mcp \(token from \$LOCKSTEP_TOKEN\)/);
  });

  it('refuses what would leak the token or configure nothing useful, writing no file, and uninstall removes the entries', () => {
    const refusals = [
      [['--remote', 'http://10.0.0.5:8788/mcp', '--token-env', 'T'], /INVALID_INPUT: plain http to 10\.0\.0\.5/],
      [['--remote', url], /INVALID_INPUT: install --remote needs --token-env VAR/],
      [['--remote', url, '--token-env', 'T', '--storage', 'json'], /--storage configures a local server, not --remote/],
      [['--token-env', 'T'], /--token-env and --insecure go with --remote/],
    ] as const;
    for (const [args, message] of refusals) {
      const refused = lockstep(['install', ...args]);
      expect([refused.code, refused.stderr]).toEqual([1, expect.stringMatching(message)]);
    }
    expect(existsSync(join(home, '.claude.json')) || existsSync(join(home, '.codex', 'config.toml'))).toBe(false);
    lockstep(['install', '--remote', url, '--token-env', 'LOCKSTEP_TOKEN'], { LOCKSTEP_TOKEN: token });
    const removed = lockstep(['uninstall']);
    expect(removed.stdout).toMatch(/removed, and ~\/\.claude\.json deleted as it held nothing else[\s\S]*removed, and ~\/\.codex\/config\.toml deleted/);
  });
});
