import { chmodSync, existsSync, mkdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { BUILT_CLI } from '../../fixtures/mcp.js';
import { installServer, uninstallServer } from '../../src/integration/installer.js';
import { serverCommand } from '../../src/integration/server-entry.js';
import { chosenTargets, locationsFor, type Locations } from '../../src/integration/targets.js';

afterAll(removeTempDirs);

const CLAUDE_JSON = '{\n  "numStartups": 3,\n  "mcpServers": {\n    "github": {\n      "type": "stdio",\n      "command": "gh-mcp",\n      "args": [],\n      "env": {}\n    }\n  }\n}\n';
const CODEX_TOML = '# mine\nmodel = "o3"\n\n[mcp_servers.github]\ncommand = "gh-mcp" # inline comment\n';

let locations: Locations;
const both = () => chosenTargets(locations, { claude: true, codex: true, scope: 'user' });
const read = (file: string) => readFileSync(file, 'utf8');
const claudeFile = () => join(locations.home, '.claude.json');
const codexFile = () => join(locations.codexHome, 'config.toml');

beforeEach(() => {
  locations = locationsFor(makeTempDir('lockstep-home-'), makeRepo());
  mkdirSync(locations.codexHome);
  writeFileSync(claudeFile(), CLAUDE_JSON);
  writeFileSync(codexFile(), CODEX_TOML);
});

describe('installServer and uninstallServer on a temporary HOME', () => {
  const command = () => serverCommand(BUILT_CLI, { storage: 'json' }, locations.projectRoot);

  it('writes both entries, keeps backups, and proves the written command answers tools/list', async () => {
    const report = await installServer(both(), command(), { cwd: locations.projectRoot });
    expect(report).toMatchObject({ ok: true, problems: [] });
    expect(report.entries.map((entry) => [entry.client, entry.change])).toEqual([['claude', 'added'], ['codex', 'added']]);
    expect(report.entries[0]!.probe).toMatchObject({ ok: true });
    expect((report.entries[0]!.probe as { tools: number }).tools).toBeGreaterThan(30);
    expect(read(`${claudeFile()}.lockstep-backup`)).toBe(CLAUDE_JSON);
    expect(read(`${codexFile()}.lockstep-backup`)).toBe(CODEX_TOML);
    expect(JSON.parse(read(claudeFile())).mcpServers.lockstep.args).toEqual(['--optimize-for-size', '--max-opt=1', BUILT_CLI, 'server', '--storage', 'json']);
    expect(read(codexFile()).startsWith(CODEX_TOML)).toBe(true);
  });

  it('leaves the files byte-identical when run a second time', async () => {
    await installServer(both(), command(), { cwd: locations.projectRoot });
    const first = [read(claudeFile()), read(codexFile())];
    const again = await installServer(both(), command(), { cwd: locations.projectRoot });
    expect(again.entries.map((entry) => entry.change)).toEqual(['unchanged', 'unchanged']);
    expect([read(claudeFile()), read(codexFile())]).toEqual(first);
  });

  it('uninstalls back to the original files, and says so when there is nothing to remove', async () => {
    await installServer(both(), command(), { cwd: locations.projectRoot });
    const removed = await uninstallServer(both());
    expect(removed.entries.map((entry) => entry.change)).toEqual(['removed', 'removed']);
    expect(read(claudeFile())).toBe(CLAUDE_JSON);
    expect(read(codexFile())).toBe(CODEX_TOML);
    expect((await uninstallServer(both())).entries.map((entry) => entry.change)).toEqual(['absent', 'absent']);
  });

  it('changes no file at all when one of them does not parse', async () => {
    writeFileSync(codexFile(), '[mcp_servers\n');
    const report = await installServer(both(), command(), { cwd: locations.projectRoot });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ client: 'codex', error: expect.stringMatching(/config\.toml:1:\d+: not valid TOML/) })]);
    expect(read(claudeFile())).toBe(CLAUDE_JSON);
    expect(read(codexFile())).toBe('[mcp_servers\n');
    expect(existsSync(`${claudeFile()}.lockstep-backup`)).toBe(false);
  });

  it('creates a project-scope .mcp.json at the project root and deletes it again on uninstall', async () => {
    const project = chosenTargets(locations, { claude: true, codex: false, scope: 'project' });
    await installServer(project, command(), { cwd: locations.projectRoot });
    const mcpJson = join(locations.projectRoot, '.mcp.json');
    expect(JSON.parse(read(mcpJson))).toEqual({ mcpServers: { lockstep: { type: 'stdio', ...command(), env: {} } } });
    expect((await uninstallServer(project)).entries[0]).toMatchObject({ change: 'removed', fileDeleted: true });
    expect(existsSync(mcpJson)).toBe(false);
  });

  it('keeps a symlinked configuration file a symlink, with its permissions', async () => {
    const dotfiles = makeTempDir('lockstep-dotfiles-');
    const real = join(dotfiles, 'claude.json');
    writeFileSync(real, CLAUDE_JSON);
    chmodSync(real, 0o600);
    rmSync(claudeFile());
    symlinkSync(real, claudeFile());
    await installServer(chosenTargets(locations, { claude: true, codex: false, scope: 'user' }), command(), { cwd: locations.projectRoot });
    expect(readlinkSync(claudeFile())).toBe(real);
    expect(JSON.parse(read(real)).mcpServers.lockstep).toBeDefined();
    expect(statSync(real).mode & 0o777).toBe(0o600);
  });

  it('reports a command that does not start as a failure, with the reason', async () => {
    const broken = { command: process.execPath, args: [join(locations.home, 'missing-cli.js'), 'server'] };
    const report = await installServer(both(), broken, { cwd: locations.projectRoot, timeoutMs: 10_000 });
    expect(report.ok).toBe(false);
    expect(report.entries[0]!.probe).toMatchObject({ ok: false, error: expect.stringMatching(/missing-cli\.js/) });
  });
});

describe('the server command an installer writes for the team store', () => {
  it('carries --storage postgres and the database URL, never its password', () => {
    const { args } = serverCommand(BUILT_CLI, { storage: 'postgres', databaseUrl: 'postgres://ada:s3cret@db.example:5432/team' }, '/work/repo');
    expect(args).toEqual(['--optimize-for-size', '--max-opt=1', BUILT_CLI, 'server', '--storage', 'postgres', '--database-url', 'postgres://ada@db.example:5432/team']);
  });
});
