// launch_implementer and implementer_list through a real MCP client, with no tmux and no osascript on
// PATH: the fake agent starts headless, its own pid is recorded, and when it dies the implementer is
// dead, its locks are freed and its task returns to the board with its branch kept.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { approveProjectConfig } from '../../fixtures/config-approval.js';
import { fakeBinDir, waitForAgentRecords } from '../../fixtures/fake-agents.js';
import { git, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { useMcpAgents } from '../../fixtures/mcp-agents.js';
import type { ToolClient } from '../../fixtures/mcp.js';
import { isPidAlive } from '../../git/pid.js';
import { updateProjectConfig } from '../../src/domain/project-config.js';
import { Tmux } from '../../src/launch/tmux.js';

afterAll(removeTempDirs);

const mcp = useMcpAgents();
let records: string;
let planner: ToolClient;
const launched: number[] = [];

beforeEach(async () => {
  records = makeTempDir('lockstep-records-');
  vi.stubEnv('PATH', fakeBinDir(['codex']));
  vi.stubEnv('TMUX', undefined);
  vi.stubEnv('FAKE_AGENT_RECORDS', records);
  // Launched agents get an explicit environment: the fakes' record folder passes only as a project extra.
  await updateProjectConfig(mcp.test.repo, { launch: { env: ['FAKE_AGENT_RECORDS', 'FAKE_AGENT_JOIN', 'FAKE_AGENT_EXIT_AFTER'] } });
  await approveProjectConfig(mcp.test.config.dataDir, mcp.test.repo);
  planner = await mcp.agent('boss', 'planner');
});

afterEach(() => {
  for (const pid of launched.splice(0)) if (isPidAlive(pid)) process.kill(pid, 'SIGKILL');
  vi.unstubAllEnvs();
});

async function launch(args: Record<string, unknown>) {
  const { launched: result } = await planner.call('launch_implementer', args);
  launched.push(result.pid);
  return result;
}

async function killAndWait(pid: number): Promise<void> {
  process.kill(pid, 'SIGKILL');
  for (let i = 0; isPidAlive(pid); i++) {
    if (i > 200) throw new Error(`pid ${pid} did not end`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('launch_implementer without tmux', () => {
  it('starts the agent headless in the project with a prompt naming it, and records its pid', async () => {
    const result = await launch({ type: 'codex', name: 'worker-1' });
    const { test } = mcp;
    expect(result).toMatchObject({ name: 'worker-1', type: 'codex', startedIn: { logFile: join(test.config.dataDir, 'logs', 'implementers', 'worker-1.log') } });
    const [record] = await waitForAgentRecords(records, 1);
    expect(record).toMatchObject({ program: 'codex', pid: result.pid, cwd: test.repo, env: { LOCKSTEP_AGENT_NAME: 'worker-1', LOCKSTEP_AGENT_ROLE: 'implementer' } });
    expect(record!.argv[0]).toBe('exec');
    expect(record!.argv.slice(1, -1).join(' ')).toContain('--sandbox workspace-write');
    expect(record!.argv.at(-1)).toContain('coordination_init with role "implementer", name "worker-1" and type "codex"');
    const row = await test.app.context.store.read(test.repo, (tx) => tx.one('agents', { id: 'worker-1' }));
    expect(row).toMatchObject({ role: 'implementer', type: 'codex', pid: result.pid, status: 'active' });
    const { implementers } = await planner.call('implementer_list');
    expect(implementers).toEqual([{ name: 'worker-1', type: 'codex', liveness: 'working', lastSeenAt: expect.any(Number), lastTool: 'coordination_init' }]);
  });

  it('frees a dead implementer\'s locks and returns its task to todo, once', async () => {
    const { pid } = await launch({ type: 'codex', name: 'worker-1' });
    const { test } = mcp;
    const worker = test.caller('worker-1', 'implementer');
    const { task } = await planner.call('task_create', { title: 'Edit the readme' });
    await test.app.tasks.claim(worker, task.id);
    await test.app.locks.acquire(worker, { path: 'README.md' });
    await killAndWait(pid);

    const first = await planner.call('implementer_list');
    expect(first.implementers).toEqual([
      expect.objectContaining({ name: 'worker-1', liveness: 'dead', reclaimed: { locks: ['README.md'], tasks: [task.id] } }),
    ]);
    expect((await planner.call('lock_list')).locks).toEqual([]);
    const { tasks } = await planner.call('task_list', { status: 'todo' });
    expect(tasks).toEqual([expect.objectContaining({ id: task.id, status: 'todo' })]);
    expect(tasks[0].owner).toBeUndefined();
    const events = await test.app.context.store.read(test.repo, (tx) => tx.find('events', { where: { kind: { in: ['lock_lost', 'task_updated', 'agent_gone'] } } }));
    expect(events.map((event) => [event.kind, event.target, event.data.reason])).toEqual([
      ['agent_gone', 'worker-1', 'process_ended'],
      ['lock_lost', 'worker-1', 'owner_gone'],
      ['task_updated', 'worker-1', 'owner_gone'],
    ]);
    const second = await planner.call('implementer_list');
    expect(second.implementers[0]).not.toHaveProperty('reclaimed');
  });

  it('starts a worktree implementer in its own worktree and keeps the branch when it dies', async () => {
    const { pid, worktree } = await launch({ type: 'codex', name: 'wt-1', isolation: 'worktree' });
    const { test } = mcp;
    expect(worktree.branch).toBe('lockstep/wt-1');
    const [record] = await waitForAgentRecords(records, 1);
    expect(record!.cwd).toBe(worktree.path);
    expect(record!.argv.at(-1)).toContain(`Work only inside your worktree ${worktree.path} (branch lockstep/wt-1)`);
    await killAndWait(pid);
    const { implementers } = await planner.call('implementer_list');
    expect(implementers[0]).toMatchObject({ name: 'wt-1', liveness: 'dead', lastCommitAt: expect.any(Number) });
    expect(git(test.repo, ['branch', '--list', 'lockstep/wt-1'])).toContain('lockstep/wt-1');
    expect(existsSync(worktree.path)).toBe(true);
  });

  it('generates a name when none is given', async () => {
    const { name } = await launch({ type: 'codex' });
    expect(name).toMatch(/^codex-implementer-\d+$/);
  });
});

describe('a launch that never arrives', () => {
  it('is an error with the log tail when the agent exits without calling coordination_init', async () => {
    vi.stubEnv('FAKE_AGENT_JOIN', '0');
    vi.stubEnv('FAKE_AGENT_EXIT_AFTER', '0.2');
    const text = await planner.callError('launch_implementer', { type: 'codex', name: 'gone-1' });
    expect(text).toMatch(/^LAUNCH_FAILED: implementer gone-1 \(pid \d+\) exited before calling coordination_init/);
    expect(text).toContain('fake codex started in');
    expect((await planner.call('implementer_list')).implementers).toEqual([expect.objectContaining({ name: 'gone-1', liveness: 'dead' })]);
  });

  it('stops an agent that does not join within the bound and reports the timeout', async () => {
    vi.stubEnv('FAKE_AGENT_JOIN', '0');
    const text = await planner.callError('launch_implementer', { type: 'codex', name: 'slow-1', arrivalTimeoutSeconds: 1 });
    expect(text).toMatch(/^LAUNCH_FAILED: implementer slow-1 \(pid (\d+)\) did not call coordination_init within 1 s; likely cause: timed out/);
    const pid = Number(/pid (\d+)/.exec(text)![1]);
    for (let i = 0; isPidAlive(pid); i++) {
      if (i > 200) throw new Error('the unarrived agent was left running');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  });

  it('refuses while the project launch settings await a human approval', async () => {
    await updateProjectConfig(mcp.test.repo, { launch: { env: ['FAKE_AGENT_RECORDS', 'AWS_PROFILE'] } });
    expect(await planner.callError('launch_implementer', { type: 'codex', name: 'x-2' })).toMatch(/^CONFIG_UNAPPROVED: .*sets launch to/);
    expect(readdirSync(records)).toEqual([]);
  });
});

describe('launch_implementer refusals', () => {
  it('reports a missing agent CLI as an error, registers nothing, and keeps answering', async () => {
    const text = await planner.callError('launch_implementer', { type: 'claude', name: 'c-1' });
    expect(text).toMatch(/^PROGRAM_NOT_FOUND: "claude" is not installed/);
    expect((await planner.call('implementer_list')).implementers).toEqual([]);
  });

  it('leaves the name dead, with nothing started, when its worktree cannot be made', async () => {
    const { test } = mcp;
    git(test.repo, ['checkout', '--quiet', '-b', 'lockstep/x-1']);
    const text = await planner.callError('launch_implementer', { type: 'codex', name: 'x-1', isolation: 'worktree' });
    expect(text).toMatch(/^WORKTREE_BLOCKED: /);
    expect((await planner.call('implementer_list')).implementers).toEqual([expect.objectContaining({ name: 'x-1', liveness: 'dead' })]);
    expect(readdirSync(records)).toEqual([]);
  });

  it('is for planners only, and refuses names that cannot become a branch', async () => {
    const implementer = await mcp.agent('someone');
    expect(await implementer.callError('launch_implementer', { type: 'codex' })).toMatch(/^ROLE_FORBIDDEN/);
    expect(await planner.callError('launch_implementer', { type: 'codex', name: '-rf' })).toMatch(/^INVALID_NAME/);
    expect(await planner.callError('launch_implementer', { type: 'gemini' })).toMatch(/type/);
    expect(await planner.callError('launch_implementer', { type: 'codex', extra: 1 })).toMatch(/extra/);
  });
});

describe('implementer liveness', () => {
  it('turns idle when alive but quiet, and stale when on another host and silent for long', async () => {
    const { test } = mcp;
    // The launched agent's own server stamps its arrival with the real time.
    test.clock.current = Date.now();
    await launch({ type: 'codex', name: 'quiet' });
    const now = test.clock.now();
    await test.app.context.store.write(test.repo, function* (tx) {
      yield* tx.insert('agents', {
        id: 'remote', role: 'implementer', type: 'claude', pid: 1, host: 'another-host', status: 'active',
        registeredAt: now, lastSeenAt: now, eventCursor: 0, noteCursor: 0,
      });
    });
    test.clock.advance(3 * 60_000);
    expect((await planner.call('implementer_list')).implementers.map((i: { liveness: string }) => i.liveness)).toEqual(['idle', 'idle']);
    test.clock.advance(20 * 60_000);
    expect((await planner.call('implementer_list')).implementers.map((i: { liveness: string }) => i.liveness)).toEqual(['idle', 'stale']);
  });
});

describe('launch_implementer with a tmux server', () => {
  it('opens a new window in the session the planner runs in, running the agent interactively', async () => {
    const home = makeTempDir('lockstep-tmux-');
    const bin = fakeBinDir(['codex'], ['node', 'git', 'sh', 'tmux']);
    const env = { ...process.env, PATH: bin, TMUX_TMPDIR: home, FAKE_AGENT_RECORDS: records };
    const tmux = new Tmux({ socketName: 'planner', configFile: '/dev/null', env });
    await tmux.run(['new-session', '-d', '-s', 'work']);
    try {
      // As inside the planner's pane: TMUX names the server's socket.
      vi.stubEnv('PATH', bin);
      vi.stubEnv('TMUX', `${await tmux.run(['display-message', '-p', '#{socket_path}'])},1,0`);
      const { pid, startedIn } = await launch({ type: 'codex', name: 'tm-1' });
      const [record] = await waitForAgentRecords(records, 1);
      expect(record).toMatchObject({ pid, cwd: mcp.test.repo, env: { LOCKSTEP_AGENT_NAME: 'tm-1', LOCKSTEP_AGENT_ROLE: 'implementer' } });
      expect(record!.argv[0]).not.toBe('exec');
      expect(record!.argv.at(-1)).toContain('name "tm-1"');
      const windows = await tmux.run(['list-windows', '-t', 'work', '-F', '#{window_id} #{window_name} #{pane_pid}']);
      expect(windows).toContain(`${startedIn.tmuxWindow} tm-1 ${pid}`);
    } finally {
      await tmux.run(['kill-server']);
    }
  });
});
