import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { codexTomlFormat } from '../../src/integration/codex-config.js';

const FILE = '/home/u/.codex/config.toml';
const COMMAND = { command: '/opt/node/bin/node', args: ['/opt/lockstep/dist/cli.js', 'server', '--roots', '/a "b",/c'] };
const EXISTING = `# Codex settings, kept by hand
model = "o3"  # the good one

[mcp_servers.github]
command = "gh-mcp"
# the token comes from the keychain
args = ["--stdio"]

# profiles below
[profiles.fast]
model = "mini"
notes = """
[mcp_servers.lockstep]
is not a header inside a string
"""
`;

describe('the Codex TOML configuration', () => {
  it('appends our table with command, args and a startup timeout, keeping every comment and key', () => {
    const text = codexTomlFormat.withEntry(EXISTING, COMMAND, FILE);
    expect(text.startsWith(EXISTING)).toBe(true);
    expect(parse(text).mcp_servers).toMatchObject({ lockstep: { ...COMMAND, startup_timeout_sec: 20 }, github: { command: 'gh-mcp' } });
    expect(codexTomlFormat.read(text, FILE)).toEqual(COMMAND);
    expect(codexTomlFormat.withEntry(text, COMMAND, FILE)).toBe(text);
  });

  it('replaces our table where it stands, keeping keys a user added to it and the comments around it', () => {
    const placed = EXISTING.replace(
      '# profiles below',
      '[mcp_servers.lockstep]\ncommand = "old"\nstartup_timeout_sec = 60\n\n[mcp_servers.lockstep.env]\nCOORD_MODE = "strict"\n\n# profiles below',
    );
    const text = codexTomlFormat.withEntry(placed, COMMAND, FILE);
    expect(parse(text).mcp_servers).toMatchObject({ lockstep: { ...COMMAND, startup_timeout_sec: 60, env: { COORD_MODE: 'strict' } } });
    expect(text).toContain('# the token comes from the keychain\nargs = ["--stdio"]\n\n[mcp_servers.lockstep]');
    expect(text).toContain('\n\n# profiles below\n[profiles.fast]');
  });

  it('uninstalls back to the original bytes, and to nothing when our table was all there was', () => {
    const installed = codexTomlFormat.withEntry(EXISTING, COMMAND, FILE);
    expect(codexTomlFormat.withoutEntry(installed, FILE)).toBe(EXISTING);
    expect(codexTomlFormat.withoutEntry(EXISTING, FILE)).toBe(EXISTING);
    expect(codexTomlFormat.withoutEntry(codexTomlFormat.withEntry(undefined, COMMAND, FILE), FILE)).toBeNull();
  });

  it('names the file, line and column of broken TOML', () => {
    expect(() => codexTomlFormat.withEntry('model = "o3"\n[mcp_servers\n', COMMAND, FILE)).toThrow(/^\/home\/u\/\.codex\/config\.toml:2:\d+: not valid TOML/);
  });

  it('refuses to edit our entry when it is written as an inline table', () => {
    const inline = 'mcp_servers = { lockstep = { command = "x" } }\n';
    expect(() => codexTomlFormat.withEntry(inline, COMMAND, FILE)).toThrow(/inline table or dotted keys/);
    expect(() => codexTomlFormat.withoutEntry(inline, FILE)).toThrow(/inline table or dotted keys/);
  });
});
