// `lockstep-mcp tmux` and `macos` as a user runs them (the built binary, no terminal attached).

import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { FAKE_AGENTS_DIR, waitForAgentRecords } from '../../fixtures/fake-agents.js';
import { git, makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { BUILT_CLI } from '../../fixtures/mcp.js';

afterAll(removeTempDirs);

function userEnv(): NodeJS.ProcessEnv {
  const { TMUX: _outer, TMUX_PANE: _pane, ...env } = process.env;
  const home = makeTempDir('lockstep-home-');
  return { ...env, HOME: home, TMUX_TMPDIR: home, PATH: `${FAKE_AGENTS_DIR}:${env.PATH}`, FAKE_AGENT_RECORDS: makeTempDir('lockstep-records-') };
}

describe('lockstep-mcp tmux', () => {
  it('creates the session (planner, implementer, dashboard) detached without a terminal and says how to attach', async () => {
    const env = userEnv();
    const repo = makeRepo();
    const socket = `lockstep-cli-${process.pid}`;
    try {
      const out = execFileSync(process.execPath, [BUILT_CLI, 'tmux', '--repo', repo, '--socket', socket], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(out).not.toContain('no dashboard');
      expect(out).toContain('Started tmux session "lockstep" (windows): planner, implementer, dashboard');
      expect(out).toContain(`Attach with: tmux -L ${socket} attach -t lockstep`);
      const records = await waitForAgentRecords(env.FAKE_AGENT_RECORDS!, 2);
      const planner = records.find((record) => record.program === 'claude')!;
      const implementer = records.find((record) => record.program === 'codex')!;
      expect(planner.cwd).toBe(repo);
      // The implementer lives in its own worktree, sandboxed as launch_implementer would start it.
      expect(git(repo, ['worktree', 'list', '--porcelain'])).toContain(`worktree ${implementer.cwd}\n`);
      expect(git(implementer.cwd, ['branch', '--show-current'])).toBe('lockstep/implementer');
      expect(implementer.argv.join(' ')).toContain('--sandbox workspace-write');
      expect(implementer.argv.at(-1)).toContain(`Work only inside your worktree ${implementer.cwd}`);
      expect(implementer.env).toEqual({ LOCKSTEP_AGENT_ROLE: 'implementer', LOCKSTEP_AGENT_NAME: 'implementer' });
    } finally {
      spawnSync('tmux', ['-L', socket, 'kill-server'], { env });
    }
  });

  it('refuses an unknown layout and a missing agent CLI before starting anything', () => {
    const env = userEnv();
    const run = (...args: string[]) => spawnSync(process.execPath, [BUILT_CLI, 'tmux', '--repo', makeRepo(), '--socket', `none-${process.pid}`, ...args], { env, encoding: 'utf8' });
    const badLayout = run('--layout', 'grid');
    expect(badLayout.status).toBe(1);
    expect(badLayout.stderr).toContain('--layout must be windows or panes');
    const missing = run('--implementer-command', 'no-such-agent --fast');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('PROGRAM_NOT_FOUND: "no-such-agent" is not installed');
  });
});

describe.skipIf(process.platform === 'darwin')('lockstep-mcp macos elsewhere', () => {
  it('says it is macOS-only and exits non-zero', () => {
    const result = spawnSync(process.execPath, [BUILT_CLI, 'macos', '--repo', makeRepo()], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('macOS-only');
  });
});
