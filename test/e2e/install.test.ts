// The set-up commands as a new user runs them: the built binary with HOME in a temporary directory,
// then the written entries started exactly as Claude Code and Codex would start them.

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { parse } from 'smol-toml';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { BUILT_CLI } from '../../fixtures/mcp.js';

afterAll(removeTempDirs);

const CLAUDE_JSON = '{\n  "numStartups": 7,\n  "mcpServers": {\n    "github": {\n      "type": "stdio",\n      "command": "gh-mcp",\n      "args": [],\n      "env": {}\n    }\n  }\n}\n';
const CODEX_TOML = '# written by hand\nmodel = "o3"\n\n[mcp_servers.github]\ncommand = "gh-mcp" # keep\n';

let home: string;
let repo: string;
let dbPath: string;

function lockstep(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  delete env.CODEX_HOME;
  for (const name of Object.keys(env)) if (name.startsWith('COORD_')) delete env[name];
  const run = spawnSync(process.execPath, [BUILT_CLI, ...args], { cwd: repo, env, encoding: 'utf8', timeout: 60_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Starts a configured entry as an MCP client does (Codex-like minimal environment). */
async function connectEntry(entry: { command: string; args: string[] }) {
  const transport = new StdioClientTransport({ command: entry.command, args: entry.args, cwd: repo, env: { HOME: home, PATH: process.env.PATH ?? '' } });
  const client = new Client({ name: 'e2e', version: '1.0.0' });
  await client.connect(transport);
  const call = async (tool: string, args: Record<string, unknown>) =>
    (await client.callTool({ name: tool, arguments: args })).structuredContent as Record<string, any>;
  return { call, close: () => client.close() };
}

const claudeJson = () => readFileSync(join(home, '.claude.json'), 'utf8');
const codexToml = () => readFileSync(join(home, '.codex', 'config.toml'), 'utf8');

beforeEach(() => {
  home = makeTempDir('lockstep-home-');
  repo = makeRepo({ 'README.md': '# demo\n', 'CLAUDE.md': '# Rules\n' });
  dbPath = join(makeTempDir('lockstep-data-'), 'store.db');
  mkdirSync(join(home, '.codex'));
  writeFileSync(join(home, '.claude.json'), CLAUDE_JSON);
  writeFileSync(join(home, '.codex', 'config.toml'), CODEX_TOML);
});

describe('lockstep-mcp install, init, status, disable, uninstall', () => {
  it('wires both clients to a server that answers, idempotently, and uninstalls back to the original files', async () => {
    const install = lockstep(['install', '--all', '--db-path', dbPath]);
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toMatch(/answers tools\/list \(\d+ tools\)/);
    const entry = JSON.parse(claudeJson()).mcpServers.lockstep;
    expect(entry).toEqual({ type: 'stdio', command: process.execPath, args: ['--optimize-for-size', '--max-opt=1', BUILT_CLI, 'server', '--db-path', dbPath], env: {} });
    expect(parse(codexToml()).mcp_servers).toMatchObject({ lockstep: { command: process.execPath, args: entry.args, startup_timeout_sec: 20 } });
    expect(codexToml().startsWith(CODEX_TOML)).toBe(true);
    expect(readFileSync(join(home, '.claude.json.lockstep-backup'), 'utf8')).toBe(CLAUDE_JSON);

    const files = [claudeJson(), codexToml()];
    expect(lockstep(['install', '--all', '--db-path', dbPath]).stdout).toContain('nothing to change');
    expect([claudeJson(), codexToml()]).toEqual(files);

    const agent = await connectEntry(entry);
    expect((await agent.call('coordination_init', { role: 'planner', name: 'plan' })).agent).toMatchObject({ name: 'plan', role: 'planner' });
    await agent.close();

    expect(lockstep(['uninstall']).code).toBe(0);
    expect([claudeJson(), codexToml()]).toEqual([CLAUDE_JSON, CODEX_TOML]);
  });

  it('leaves a broken file untouched, says where it breaks and exits non-zero', () => {
    writeFileSync(join(home, '.claude.json'), '{\n  "numStartups": 7,\n  "mcpServers": {\n');
    const install = lockstep(['install', '--all']);
    expect(install.code).toBe(1);
    expect(install.stderr).toMatch(/nothing was changed[\s\S]*\.claude\.json:\d+:\d+: not valid JSON/);
    expect(claudeJson()).toBe('{\n  "numStartups": 7,\n  "mcpServers": {\n');
    expect(codexToml()).toBe(CODEX_TOML);
    writeFileSync(join(home, '.codex', 'config.toml'), 'model = \n');
    expect(lockstep(['install', '--codex']).stderr).toMatch(/config\.toml:1:\d+: not valid TOML/);
  });

  it('reports the project in status --json, and fails when a configured command does not start', async () => {
    expect(lockstep(['install', '--claude', '--db-path', dbPath]).code).toBe(0);
    expect(lockstep(['init']).stdout).toMatch(/Coordination enabled/);
    const entry = JSON.parse(claudeJson()).mcpServers.lockstep;
    const planner = await connectEntry(entry);
    await planner.call('coordination_init', { role: 'planner', name: 'plan' });
    for (const title of ['parser', 'printer']) await planner.call('task_create', { title });
    await planner.call('lock_acquire', { path: 'README.md' });
    const status = lockstep(['status', '--json', '--db-path', dbPath]);
    await planner.close();
    expect(status.code, status.stdout).toBe(0);
    const report = JSON.parse(status.stdout);
    expect(report.clients[0]).toMatchObject({ client: 'claude', scope: 'user', installed: true, answers: true });
    expect(report.clients[2]).toMatchObject({ client: 'codex', installed: false });
    expect(report.project).toMatchObject({ root: repo, enabled: true, instructions: ['CLAUDE.md', 'AGENTS.md'], status: 'planning', locks: 1 });
    expect(report.project.tasks).toMatchObject({ todo: 2, in_progress: 0 });
    expect(report.store).toMatchObject({ backend: 'sqlite', path: dbPath, exists: true });
    expect(lockstep(['status']).stdout).toMatch(/✓ Claude Code \(user\)\s+answers tools\/list \(\d+ tools\)\s+~\/\.claude\.json/);

    const broken = { ...JSON.parse(claudeJson()) };
    broken.mcpServers.lockstep.args = [join(home, 'moved-away', 'cli.js'), 'server'];
    writeFileSync(join(home, '.claude.json'), JSON.stringify(broken));
    const failing = lockstep(['status', '--json']);
    expect(failing.code).toBe(1);
    expect(JSON.parse(failing.stdout).clients[0]).toMatchObject({ installed: true, answers: false, error: expect.stringContaining('moved-away') });
  });

  it('disable turns coordination off for agents and removes the instructions; enable brings them back', async () => {
    expect(lockstep(['install', '--codex', '--db-path', dbPath]).code).toBe(0);
    lockstep(['init']);
    expect(lockstep(['disable']).code).toBe(0);
    expect(readFileSync(join(repo, 'CLAUDE.md'), 'utf8')).toBe('# Rules\n');
    const entry = parse(codexToml()).mcp_servers as Record<string, { command: string; args: string[] }>;
    const agent = await connectEntry(entry.lockstep!);
    expect(await agent.call('coordination_init', { role: 'implementer' })).toMatchObject({ disabled: true });
    await agent.close();
    expect(JSON.parse(lockstep(['status', '--json', '--db-path', dbPath]).stdout).project.enabled).toBe(false);
    expect(lockstep(['enable']).code).toBe(0);
    expect(readFileSync(join(repo, 'CLAUDE.md'), 'utf8')).toContain('coordination_init');
  });
});
