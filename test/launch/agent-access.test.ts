// Exactly what a launched implementer may do and which environment it gets, per client: the argv and
// variables the launcher builds (the real CLIs honouring them is shown in test/e2e/real-agents.test.ts).

import { describe, expect, it } from 'vitest';
import { CLAUDE_DEFAULT_TOOLS, codexWritableRoots, implementerArgv, implementerOptions, type AgentLaunch } from '../../src/launch/agent-access.js';
import { implementerPrompt } from '../../src/launch/agents.js';
import { sessionPrograms } from '../../src/launch/session-plan.js';
import { agentEnvironment } from '../../src/launch/agent-env.js';
import { diagnoseLaunch } from '../../src/launch/launch-failure.js';

const PATHS = { gitDir: '/r/.git/worktrees/w1', commonDir: '/r/.git', branch: 'lockstep/w1' };
const SERVER = { command: '/usr/bin/node', args: ['/opt/lockstep/dist/cli.js', 'server', '--db-path', '/d/coordinator.db'] };
const launch = (type: AgentLaunch['type'], headless = true): AgentLaunch => ({ type, prompt: 'join us', server: SERVER, paths: PATHS, extensions: {}, headless });

/** The value after each occurrence of `flag`. */
const values = (argv: string[], flag: string) => argv.flatMap((word, i) => (argv[i - 1] === flag ? [word] : []));

describe('Codex writable roots', () => {
  it('are the worktree gitdir, the object store and the lockstep ref and reflog directories, nothing of config or hooks', () => {
    expect(codexWritableRoots(PATHS)).toEqual(['/r/.git/worktrees/w1', '/r/.git/objects', '/r/.git/refs/heads/lockstep', '/r/.git/logs/refs/heads/lockstep']);
  });

  it('are the whole git dir for an implementer sharing the main checkout', () => {
    expect(codexWritableRoots({ gitDir: '/r/.git', commonDir: '/r/.git', branch: 'main' })).toEqual(['/r/.git']);
  });
});

describe('a headless Codex implementer', () => {
  it('runs codex exec in the workspace-write sandbox with those roots, /tmp excluded, and our server passed explicitly', () => {
    const argv = implementerArgv(launch('codex'));
    expect(argv.slice(0, 2)).toEqual(['codex', 'exec']);
    expect(values(argv, '--sandbox')).toEqual(['workspace-write']);
    expect(values(argv, '-c')).toEqual([
      `sandbox_workspace_write.writable_roots=${JSON.stringify(codexWritableRoots(PATHS))}`,
      'sandbox_workspace_write.exclude_slash_tmp=true',
      'sandbox_workspace_write.exclude_tmpdir_env_var=true',
      'mcp_servers.lockstep.command="/usr/bin/node"',
      `mcp_servers.lockstep.args=${JSON.stringify(SERVER.args)}`,
      'mcp_servers.lockstep.default_tools_approval_mode="approve"',
    ]);
    expect(argv.at(-1)).toBe('join us');
    expect(argv).not.toContain('--dangerously-bypass-approvals-and-sandbox');
  });

  it('adds a project\'s approved writable roots', () => {
    const argv = implementerArgv({ ...launch('codex'), extensions: { codexWritableRoots: ['/cache'] } });
    expect(values(argv, '-c')[0]).toBe(`sandbox_workspace_write.writable_roots=${JSON.stringify([...codexWritableRoots(PATHS), '/cache'])}`);
  });
});

describe('a Claude implementer', () => {
  it('accepts edits and allows only our tools and the git subcommands of the loop, with only our MCP server', () => {
    const argv = implementerArgv(launch('claude'));
    expect(values(argv, '--permission-mode')).toEqual(['acceptEdits']);
    expect(values(argv, '--allowedTools')).toEqual([CLAUDE_DEFAULT_TOOLS.join(',')]);
    expect(CLAUDE_DEFAULT_TOOLS).toEqual([
      'mcp__lockstep',
      'Bash(git add:*)', 'Bash(git commit:*)', 'Bash(git status:*)', 'Bash(git diff:*)', 'Bash(git log:*)',
      'Bash(git show:*)', 'Bash(git restore:*)', 'Bash(git rm:*)', 'Bash(git mv:*)', 'Bash(git merge:*)',
    ]);
    expect(JSON.parse(values(argv, '--mcp-config')[0]!)).toEqual({ mcpServers: { lockstep: { type: 'stdio', ...SERVER, env: {} } } });
    expect(argv).toContain('--strict-mcp-config');
    expect(argv.slice(-5)).toEqual(['-p', '--output-format', 'stream-json', '--verbose', 'join us']);
  });

  it('in a terminal takes the prompt right after a flag, so --allowedTools cannot swallow it', () => {
    const argv = implementerArgv({ ...launch('claude', false), extensions: { claudeAllowedTools: ['Bash(npm test:*)'] } });
    expect(argv.slice(-2)).toEqual(['--strict-mcp-config', 'join us']);
    expect(values(argv, '--allowedTools')[0]).toMatch(/,Bash\(npm test:\*\)$/);
  });
});

describe('the launched agent environment', () => {
  const from = {
    HOME: '/home/u', PATH: '/bin', LANG: 'C.UTF-8', ANTHROPIC_API_KEY: 'k', OPENAI_API_KEY: 'o', CODEX_HOME: '/c',
    CLAUDECODE: '1', TMUX: '/tmp/tmux-0/default,1,0', COORD_DB_PATH: '/x', SECRET_TOKEN: 's', AWS_PROFILE: 'dev',
  };

  it('is an explicit list per client plus who the agent is, whatever else the server inherited', () => {
    expect(agentEnvironment('claude', from, { name: 'w1' })).toEqual({
      HOME: '/home/u', PATH: '/bin', LANG: 'C.UTF-8', ANTHROPIC_API_KEY: 'k', LOCKSTEP_AGENT_NAME: 'w1', LOCKSTEP_AGENT_ROLE: 'implementer',
    });
    expect(agentEnvironment('codex', from, { name: 'w1' })).toEqual({
      HOME: '/home/u', PATH: '/bin', LANG: 'C.UTF-8', OPENAI_API_KEY: 'o', CODEX_HOME: '/c', LOCKSTEP_AGENT_NAME: 'w1', LOCKSTEP_AGENT_ROLE: 'implementer',
    });
  });

  it('adds the project\'s approved launch.env names', () => {
    expect(agentEnvironment('codex', from, { name: 'w1' }, ['AWS_PROFILE'])).toMatchObject({ AWS_PROFILE: 'dev' });
  });
});

describe('why a launch failed', () => {
  it('reads the usual causes from the CLIs\' own words', () => {
    expect(diagnoseLaunch('Not logged in · Please run /login', true).cause).toBe('not_logged_in');
    expect(diagnoseLaunch('Not inside a trusted directory and --skip-git-repo-check was not specified.', true).cause).toBe('untrusted_directory');
    expect(diagnoseLaunch('{"mcp_servers":[{"name":"lockstep","status":"failed"}]}', true).cause).toBe('lockstep_tools_missing');
    expect(diagnoseLaunch('done', true).cause).toBe('exited');
    expect(diagnoseLaunch('', false).cause).toBe('timed_out');
  });
});

describe('the implementer of lockstep-mcp tmux / macos', () => {
  const place = { name: 'impl', worktree: { path: '/wt/impl', branch: 'lockstep/impl' }, paths: PATHS, server: SERVER, extensions: {} };

  it('starts in its worktree with the user\'s words, then the launcher\'s access and server, then the prompt', () => {
    const [, implementer] = sessionPrograms({ repo: '/r', planner: ['claude'], implementer: ['codex', '--model', 'o3'], prompts: true, implementerPlace: place });
    expect(implementer).toMatchObject({ cwd: '/wt/impl', env: { LOCKSTEP_AGENT_ROLE: 'implementer', LOCKSTEP_AGENT_NAME: 'impl' } });
    expect(implementer!.argv.slice(0, 3)).toEqual(['codex', '--model', 'o3']);
    expect(implementer!.argv.slice(3, -1)).toEqual(implementerOptions({ type: 'codex', ...place }));
    expect(implementer!.argv.at(-1)).toBe(implementerPrompt({ name: 'impl', type: 'codex', worktree: place.worktree }));
  });

  it('runs any other agent command in the worktree as given', () => {
    const [, implementer] = sessionPrograms({ repo: '/r', planner: ['claude'], implementer: ['aider'], prompts: false, implementerPlace: place });
    expect(implementer).toMatchObject({ cwd: '/wt/impl', argv: ['aider'] });
  });
});
