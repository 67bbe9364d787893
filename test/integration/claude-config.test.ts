import { describe, expect, it } from 'vitest';
import { claudeJsonFormat } from '../../src/integration/claude-config.js';

const FILE = '/home/u/.claude.json';
const COMMAND = { command: '/opt/node/bin/node', args: ['/opt/lockstep/dist/cli.js', 'server'] };
const EXISTING = `{
    "numStartups": 12,
    "mcpServers": {
        "github": { "type": "stdio", "command": "gh-mcp", "args": [], "env": { "TOKEN": "x" } }
    },
    "projects": { "/repo": { "allowedTools": [] } }
}
`;

describe('the Claude Code JSON configuration', () => {
  it('adds exactly the entry `claude mcp add` writes for a stdio server, keeping every other key', () => {
    const text = claudeJsonFormat.withEntry(EXISTING, COMMAND, FILE);
    const document = JSON.parse(text);
    expect(document.mcpServers.lockstep).toEqual({ type: 'stdio', command: COMMAND.command, args: COMMAND.args, env: {} });
    const { lockstep: _ours, ...others } = document.mcpServers;
    expect({ ...document, mcpServers: others }).toEqual(JSON.parse(EXISTING));
    expect(text).toMatch(/^ {4}"numStartups"/m);
    expect(claudeJsonFormat.read(text, FILE)).toEqual(COMMAND);
  });

  it('returns the very same text when our entry is already current, and keeps env a user added to it', () => {
    const once = claudeJsonFormat.withEntry(EXISTING, COMMAND, FILE);
    expect(claudeJsonFormat.withEntry(once, COMMAND, FILE)).toBe(once);
    const withEnv = once.replace('"env": {}', '"env": { "COORD_MODE": "strict" }');
    const moved = claudeJsonFormat.withEntry(withEnv, { ...COMMAND, args: ['/elsewhere/cli.js', 'server'] }, FILE);
    expect(JSON.parse(moved).mcpServers.lockstep).toMatchObject({ args: ['/elsewhere/cli.js', 'server'], env: { COORD_MODE: 'strict' } });
  });

  it('removes only our entry, and gives back a file it created as nothing', () => {
    const installed = claudeJsonFormat.withEntry(EXISTING, COMMAND, FILE);
    expect(JSON.parse(claudeJsonFormat.withoutEntry(installed, FILE)!)).toEqual(JSON.parse(EXISTING));
    expect(claudeJsonFormat.withoutEntry(EXISTING, FILE)).toBe(EXISTING);
    expect(claudeJsonFormat.withoutEntry(claudeJsonFormat.withEntry(undefined, COMMAND, FILE), FILE)).toBeNull();
  });

  it('names the file and the line and column where broken JSON breaks', () => {
    const broken = '{\n  "numStartups": 1,\n  "mcpServers": {,\n}\n';
    expect(() => claudeJsonFormat.withEntry(broken, COMMAND, FILE)).toThrow(/^\/home\/u\/\.claude\.json:3:\d+: not valid JSON/);
    expect(() => claudeJsonFormat.read('[1]', FILE)).toThrow(/top level is not a JSON object/);
    expect(() => claudeJsonFormat.read('{"mcpServers": []}', FILE)).toThrow(/"mcpServers" is not an object/);
  });
});
