import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/policy/argv.js';
import { checkEnv, checkExecutable, checkNoShellSyntax, INSTALL_MANAGERS, installArgv, type CommandPolicy } from '../../src/policy/commands.js';

const allowlist: CommandPolicy = { commandMode: 'allowlist', commandAllow: ['git', 'npm', '/usr/bin/env'] };
const open: CommandPolicy = { commandMode: 'open', commandAllow: [] };

describe('the command allowlist', () => {
  it('allows a listed bare name and an exactly listed path', () => {
    expect(() => checkExecutable('git', allowlist)).not.toThrow();
    expect(() => checkExecutable('/usr/bin/env', allowlist)).not.toThrow();
  });

  it('refuses a path that merely ends in an allowed name', () => {
    expect(() => checkExecutable('./git', allowlist)).toThrow(/COMMAND_FORBIDDEN|not on the command allowlist/);
    expect(() => checkExecutable('/tmp/git', allowlist)).toThrow(/not on the command allowlist/);
    expect(() => checkExecutable('env', allowlist)).toThrow(/not on the command allowlist/);
  });

  it('allows anything in open mode', () => {
    expect(() => checkExecutable('/tmp/anything', open)).not.toThrow();
  });

  it('refuses shell syntax in allowlist mode, naming the operator and saying there is no shell', () => {
    expect(() => checkNoShellSyntax(tokenize('git status && rm -rf x'), allowlist)).toThrow(/"&&".*without a shell/);
    expect(() => checkNoShellSyntax(tokenize('git status && rm -rf x'), open)).not.toThrow();
  });
});

describe('environment overrides', () => {
  it.each(['PATH', 'NODE_OPTIONS', 'LD_PRELOAD', 'DYLD_INSERT_LIBRARIES', 'GIT_DIR', 'path'])('refuses %s in allowlist mode', (key) => {
    expect(() => checkEnv({ [key]: 'x' }, allowlist)).toThrow(expect.objectContaining({ code: 'ENV_FORBIDDEN' }));
  });

  it('allows ordinary variables in allowlist mode and anything in open mode', () => {
    expect(checkEnv({ CI: '1' }, allowlist)).toEqual({ CI: '1' });
    expect(checkEnv({ PATH: '/bin' }, open)).toEqual({ PATH: '/bin' });
  });

  it('refuses non-string values and malformed names', () => {
    expect(() => checkEnv({ CI: 1 }, open)).toThrow(/must be a string/);
    expect(() => checkEnv({ 'A=B': 'x' }, open)).toThrow(/not a valid environment variable name/);
  });
});

describe('install argv', () => {
  it('builds the install command of each known manager with args as separate items', () => {
    expect(installArgv('npm', ['left-pad', '--save-dev'])).toEqual(['npm', 'install', 'left-pad', '--save-dev']);
    expect(installArgv('pnpm', ['a'])).toEqual(['pnpm', 'add', 'a']);
    expect(installArgv('yarn', ['a'])).toEqual(['yarn', 'add', 'a']);
    expect(installArgv('pip', ['a'])).toEqual(['pip', 'install', 'a']);
    expect(installArgv('pip3', ['a'])).toEqual(['pip3', 'install', 'a']);
    expect(installArgv('cargo', ['a'])).toEqual(['cargo', 'install', 'a']);
    expect(installArgv('go', ['a@latest'])).toEqual(['go', 'install', 'a@latest']);
    expect(installArgv('brew', ['a'])).toEqual(['brew', 'install', 'a']);
    expect(installArgv('apt-get', ['a'])).toEqual(['apt-get', 'install', '-y', 'a']);
  });

  it('never joins or interprets args that look like shell syntax', () => {
    expect(installArgv('npm', ['a && touch x', '; rm -rf /', '$(id)'])).toEqual(['npm', 'install', 'a && touch x', '; rm -rf /', '$(id)']);
  });

  it('refuses an unknown manager and lists the known ones', () => {
    expect(() => installArgv('gem', ['x'])).toThrow(new RegExp(INSTALL_MANAGERS.join(', ')));
    expect(() => installArgv('constructor', [])).toThrow(/unknown package manager/);
  });
});
