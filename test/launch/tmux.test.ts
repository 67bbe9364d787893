// The tmux launcher against a real tmux server on its own socket, configured with base-index 1, and the
// fake agent CLIs: every window or pane runs the intended program in the intended directory with its
// prompt, found by the ids tmux returned, and no global option changes.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_AGENTS_DIR, waitForAgentRecords, type AgentRecord } from '../../fixtures/fake-agents.js';
import { makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { refusal } from '../../fixtures/refusal.js';
import { implementerPrompt, plannerPrompt } from '../../src/launch/agents.js';
import { sessionPrograms } from '../../src/launch/session-plan.js';
import { startTmuxSession, Tmux, type PlacedPane } from '../../src/launch/tmux.js';

afterAll(removeTempDirs);

const HOSTILE = `it's "q" $(touch pwned) \`id\` $HOME`;
let tmux: Tmux;
let records: string;
let repo: string;

beforeEach(async () => {
  const home = makeTempDir('lockstep-tmux-');
  records = join(home, 'records');
  mkdirSync(records);
  repo = join(home, `repo ${HOSTILE}`);
  mkdirSync(repo);
  const configFile = join(home, 'tmux.conf');
  writeFileSync(configFile, 'set -g base-index 1\nset -g pane-base-index 1\n');
  const { TMUX: _outer, TMUX_PANE: _pane, ...env } = process.env;
  tmux = new Tmux({
    socketName: `lockstep-test-${process.pid}`,
    configFile,
    // TMUX_TMPDIR keeps the socket in the temp dir; the server's environment is what panes inherit.
    env: { ...env, TMUX_TMPDIR: home, FAKE_AGENT_RECORDS: records, PATH: `${FAKE_AGENTS_DIR}:${env.PATH}` },
  });
  // The user's own session, started before the launcher, as on a real machine.
  await tmux.run(['new-session', '-d', '-s', 'mine']);
});

afterEach(async () => {
  await tmux.run(['kill-server']).catch(() => undefined);
});

async function globalOptions(): Promise<string[]> {
  return Promise.all([['show-options', '-g'], ['show-options', '-gw'], ['show-options', '-s']].map((args) => tmux.run(args)));
}

function plan(layout: 'windows' | 'panes') {
  const programs = sessionPrograms({
    repo,
    planner: ['claude'],
    implementer: ['codex', '--model', HOSTILE],
    dashboard: ['claude', 'dashboard'],
    prompts: true,
  });
  return { session: 'lockstep', layout, programs } as const;
}

/** Each placed pane's record, found by the pid tmux reported for that pane. */
async function recordsByPane(panes: PlacedPane[]): Promise<Map<string, AgentRecord>> {
  const all = await waitForAgentRecords(records, panes.length);
  return new Map(panes.map((pane) => [pane.title, all.find((record) => record.pid === pane.pid)!]));
}

describe('lockstep-mcp tmux', () => {
  it('starts one window per program, each running its command in the repository with its prompt', async () => {
    const before = await globalOptions();
    const { sessionId, panes } = await startTmuxSession(tmux, plan('windows'));
    const started = await recordsByPane(panes);
    expect(started.get('planner')).toMatchObject({ program: 'claude', argv: [plannerPrompt('claude')], cwd: repo });
    expect(started.get('planner')!.env).toEqual({ LOCKSTEP_AGENT_ROLE: 'planner' });
    expect(started.get('implementer')).toMatchObject({
      program: 'codex',
      argv: ['--model', HOSTILE, implementerPrompt({ type: 'codex' })],
      cwd: repo,
      env: { LOCKSTEP_AGENT_ROLE: 'implementer' },
    });
    expect(started.get('dashboard')).toMatchObject({ program: 'claude', argv: ['dashboard'], cwd: repo });

    const windows = await tmux.run(['list-windows', '-t', sessionId, '-F', '#{window_index} #{window_id} #{window_name}']);
    expect(windows.split('\n')).toEqual(panes.map((pane, i) => `${i + 1} ${pane.windowId} ${pane.title}`));
    expect(await globalOptions()).toEqual(before);
  });

  it('splits one window into panes with the panes layout', async () => {
    const before = await globalOptions();
    const { panes } = await startTmuxSession(tmux, plan('panes'));
    expect(new Set(panes.map((pane) => pane.windowId)).size).toBe(1);
    const listed = await tmux.run(['list-panes', '-t', panes[0]!.windowId, '-F', '#{pane_id} #{pane_pid}']);
    expect(listed.split('\n').sort()).toEqual(panes.map((pane) => `${pane.paneId} ${pane.pid}`).sort());
    const started = await recordsByPane(panes);
    expect([...started.values()].map((record) => [record.program, record.cwd])).toEqual([
      ['claude', repo],
      ['codex', repo],
      ['claude', repo],
    ]);
    expect(await globalOptions()).toEqual(before);
  });

  it('starts the agents without a first message under --no-prompts', async () => {
    const programs = sessionPrograms({ repo, planner: ['claude'], implementer: ['codex'], prompts: false });
    const { panes } = await startTmuxSession(tmux, { session: 'quiet', layout: 'windows', programs });
    const started = await recordsByPane(panes);
    expect([...started.values()].map((record) => record.argv)).toEqual([[], []]);
  });

  it('refuses to reuse an existing session name and says how to attach', async () => {
    const error = await refusal(startTmuxSession(tmux, { ...plan('windows'), session: 'mine' }));
    expect(error).toMatchObject({ code: 'NAME_TAKEN', next: expect.stringContaining('attach -t mine') });
  });

  it('finds the server it was pointed at', async () => {
    expect(await tmux.reachable()).toBe(true);
    const elsewhere = new Tmux({ socketName: `lockstep-absent-${process.pid}`, env: { ...process.env, TMUX_TMPDIR: makeTempDir() } });
    expect(await elsewhere.reachable()).toBe(false);
  });
});
