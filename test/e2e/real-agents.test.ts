// The worktree loop with the real agent CLIs (Claude Code, Codex; pinned devDependencies), their model
// API replaced by the scripted fake model on loopback. launch_implementer starts each one headless
// with exactly the permissions and sandbox the launcher gives it; the agent joins, claims a worktree
// task, writes a file, commits with plain git and submits; the planner approves and the commit lands.

import { cpSync, existsSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { AGENT_BIN_DIR, agentEnvironmentFor, homeSettingsFor, startFakeModel, type FakeModel, type ScriptStep } from '../../fixtures/fake-model.js';
import { git, makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { BUILT_CLI, spawnServer, type ToolClient } from '../../fixtures/mcp.js';
import { eventually, isRunning } from '../../fixtures/processes.js';
import { SERVER_NODE_FLAGS } from '../../src/core/server-node-flags.js';

afterAll(removeTempDirs);

type Client = 'claude' | 'codex';
const BUILT_DIST = dirname(BUILT_CLI);
const installed = (type: Client) => existsSync(join(AGENT_BIN_DIR, type));

const open: { model?: FakeModel; planner?: ToolClient; pid?: number }[] = [];
afterEach(async () => {
  for (const { model, planner, pid } of open.splice(0)) {
    if (pid && isRunning(pid)) process.kill(pid, 'SIGKILL');
    model?.stop();
    await planner?.close();
  }
});

/** What the model makes the agent do after joining: write hello.txt in its worktree and commit it. */
function editAndCommit(type: Client): ScriptStep[] {
  if (type === 'codex') {
    return [{ tool: 'exec_command', input: { cmd: "printf 'hello\\n' > hello.txt && git add hello.txt && git commit -q -m 'Add hello'" } }];
  }
  // Claude: the Write tool (acceptEdits) and two separately permitted git subcommands.
  return [
    { tool: 'Write', input: { file_path: '{{result:1:task.worktree.path}}/hello.txt', content: 'hello\n' } },
    { tool: 'Bash', input: { command: 'git add hello.txt' } },
    { tool: 'Bash', input: { command: 'git commit -q -m "Add hello"' } },
  ];
}

/** A planner's server whose environment points the agent CLIs at `model`; `cli` another build's entry. */
async function startPlanner(model: FakeModel, repo: string, options: { env?: Record<string, string>; cli?: string } = {}): Promise<ToolClient> {
  // A fresh TMUX_TMPDIR: no tmux server is reachable, so the agent starts headless.
  const env = { ...agentEnvironmentFor(model), TMUX_TMPDIR: makeTempDir('lockstep-no-tmux-'), ...options.env };
  const planner = await spawnServer({ cwd: repo, args: ['--data-dir', makeTempDir('lockstep-data-')], env, cli: options.cli });
  open.push({ model, planner });
  await planner.call('coordination_init', { role: 'planner', name: 'boss' });
  return planner;
}

describe.each(['claude', 'codex'] as const)('a real %s implementer launched headless', (type) => {
  it.skipIf(!installed(type))('joins, commits in its worktree with plain git, submits, and its commit lands on approval', { timeout: 180_000 }, async () => {
    const name = `${type}-1`;
    const model = await startFakeModel([
      { tool: 'coordination_init', input: { role: 'implementer', name, type } },
      { tool: 'task_claim', input: { id: 1 } },
      ...editAndCommit(type),
      { tool: 'task_submit_for_review', input: { id: 1, reviewNotes: 'adds hello.txt' } },
      'done',
    ]);
    const repo = makeRepo();
    const target = git(repo, ['branch', '--show-current']);
    const planner = await startPlanner(model, repo);
    await planner.call('task_create', { title: 'Add hello', isolation: 'worktree' });

    const { launched } = await planner.call('launch_implementer', { type, name, isolation: 'worktree', arrivalTimeoutSeconds: 60 });
    open.at(-1)!.pid = launched.pid;
    expect(launched).toMatchObject({ name, worktree: { branch: `lockstep/${name}` } });
    // The script ends with the submission; the CLI then exits by itself.
    expect(await eventually(() => !isRunning(launched.pid), 150_000)).toBe(true);

    const { tool_results: results, done } = await model.state();
    expect(results.filter((result) => result.is_error)).toEqual([]);
    // The claim told the agent, which runs in its worktree, to commit there.
    const claim = results[1]!.mcp_text;
    expect(JSON.parse(claim.slice(claim.indexOf('{'))).task.worktree.instruction).toMatch(/^You run in your worktree .*plain git/);
    expect(done).toBe(true);
    expect((await planner.call('task_get', { id: 1 })).task.status).toBe('review');
    const approval = await planner.call('task_approve', { id: 1 });
    expect(approval).toMatchObject({ task: { status: 'done' }, landed: true });
    expect(approval.alreadyLanded).toBeUndefined();
    expect(approval.pending?.toReview).toBeUndefined();
    expect(git(repo, ['show', `${target}:hello.txt`])).toBe('hello');
    expect(git(repo, ['log', '-1', '--format=%s', `lockstep/${name}`])).toBe('Add hello');
  });

  it.skipIf(!installed(type))('is an error, not launched, when the CLI has no credentials', { timeout: 60_000 }, async () => {
    const model = await startFakeModel(['never reached']);
    // Logged out: no API key, and a fresh HOME holding no login.
    const planner = await startPlanner(model, makeRepo(), { env: { ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '' } });
    const text = await planner.callError('launch_implementer', { type, name: `${type}-x` });
    expect(text).toMatch(/^LAUNCH_FAILED: implementer .* exited before calling coordination_init; likely cause: not logged in/);
  });
});

describe.each(['claude', 'codex'] as const)('a real %s whose lockstep server cannot start', (type) => {
  it.skipIf(!installed(type))('makes the launch an error naming missing lockstep tools', { timeout: 60_000 }, async () => {
    // The planner runs from a copy of the build whose entry is then removed: every server it would
    // start for an agent fails, as a broken or moved installation would.
    const build = makeTempDir('lockstep-build-');
    cpSync(BUILT_DIST, build, { recursive: true });
    symlinkSync(join(BUILT_DIST, '..', 'node_modules'), join(build, 'node_modules'));
    const model = await startFakeModel([{ tool: 'coordination_init', input: { role: 'implementer', name: `${type}-u`, type } }, 'no lockstep tools here']);
    const planner = await startPlanner(model, makeRepo(), { cli: join(build, 'cli.js') });
    rmSync(join(build, 'cli.js'));
    const text = await planner.callError('launch_implementer', { type, name: `${type}-u` });
    expect(text).toMatch(/^LAUNCH_FAILED: implementer .* exited before calling coordination_init; likely cause: lockstep tools missing/);
  });
});

describe('a real Codex planner launching a real Claude implementer', () => {
  it.skipIf(!installed('codex') || !installed('claude'))(
    'works although Codex gives our server only HOME, LANG, PATH, SHELL and TERM',
    { timeout: 180_000 },
    async () => {
      const repo = makeRepo();
      const implementerModel = await startFakeModel([
        { tool: 'coordination_init', input: { role: 'implementer', name: 'cl-1', type: 'claude' } },
        { tool: 'task_claim', input: { id: 1 } },
        ...editAndCommit('claude'),
        { tool: 'task_submit_for_review', input: { id: 1, reviewNotes: 'adds hello.txt' } },
        'done',
      ]);
      const plannerModel = await startFakeModel([
        { tool: 'coordination_init', input: { role: 'planner', name: 'boss', type: 'codex' } },
        { tool: 'task_create', input: { title: 'Add hello', isolation: 'worktree' } },
        { tool: 'launch_implementer', input: { type: 'claude', name: 'cl-1', isolation: 'worktree' } },
        'launched',
      ]);
      open.push({ model: implementerModel }, { model: plannerModel });
      // Our server as `install` would add it for Codex; TMUX_TMPDIR (via the entry's env) keeps any tmux server out of reach.
      const server = ['[mcp_servers.lockstep]', `command = ${JSON.stringify(process.execPath)}`];
      server.push(`args = ${JSON.stringify([...SERVER_NODE_FLAGS, BUILT_CLI, 'server', '--data-dir', makeTempDir('lockstep-data-')])}`);
      server.push(`env = { TMUX_TMPDIR = ${JSON.stringify(makeTempDir('lockstep-no-tmux-'))} }`, 'default_tools_approval_mode = "approve"');
      const home = homeSettingsFor({ claude: implementerModel, codex: plannerModel }, server);
      const codex = spawn(join(AGENT_BIN_DIR, 'codex'), ['exec', '--sandbox', 'read-only', 'plan'], {
        cwd: repo,
        env: { HOME: home, PATH: `${AGENT_BIN_DIR}:${process.env.PATH}`, LANG: 'C.UTF-8', OPENAI_API_KEY: 'fake-key' },
        stdio: 'ignore',
      });
      expect(await new Promise((resolve) => codex.once('exit', resolve))).toBe(0);

      const planned = await plannerModel.state();
      expect(planned.tool_results.map((result) => [result.name.split('/').at(-1), result.is_error])).toEqual([
        ['coordination_init', false], ['task_create', false], ['launch_implementer', false],
      ]);
      const launch = planned.tool_results[2]!.mcp_text;
      const { launched } = JSON.parse(launch.slice(launch.indexOf('{')));
      open.push({ pid: launched.pid });
      expect(await eventually(() => !isRunning(launched.pid), 150_000)).toBe(true);
      expect((await implementerModel.state()).tool_results.filter((result) => result.is_error)).toEqual([]);
      expect(git(repo, ['log', '-1', '--format=%s', 'lockstep/cl-1'])).toBe('Add hello');
    },
  );
});
