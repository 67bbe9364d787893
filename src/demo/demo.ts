// `lockstep-mcp demo` end to end: a scratch repository, a real dashboard on it, and a planner and three
// implementers as real MCP server processes driven through the public tools, then a summary.

import { startAgent, type AgentStart, type DemoAgent } from './agent-client.js';
import { startDashboardProcess, type DemoDashboard } from './dashboard-child.js';
import type { Narrator } from './narrator.js';
import { plainGit } from './plain-git.js';
import { makeWorkspace, type DemoWorkspace } from './scratch-repo.js';
import { conflictSentBackAndFixed, leaveForTheHuman, reviewWithComment } from './story-review.js';
import { claimTasks, doTheWork, forecastConflict, planTasks, type Cast } from './story-work.js';

export interface DemoOptions {
  cliFile: string;
  open: boolean;
  /** Where to make the workspace (empty or new); default a fresh temporary directory. */
  dir?: string;
}

export interface DemoRun {
  workspace: DemoWorkspace;
  dashboard: DemoDashboard;
  /** Ends the agents' server processes and the dashboard. */
  stop(): Promise<void>;
}

export async function runDemo(options: DemoOptions, say: Narrator): Promise<DemoRun> {
  const workspace = makeWorkspace(options.dir);
  say.line(`Scratch repository: ${workspace.repo}`);
  const dashboard = await startDashboardProcess(options.cliFile, workspace, options.open);
  say.line(`Dashboard: ${dashboard.url}`);
  say.line('(open it to watch the board, the implementers and their diffs change live)');
  const agents: DemoAgent[] = [];
  const stop = async () => {
    await Promise.all(agents.map((agent) => agent.close().catch(() => undefined)));
    await dashboard.stop();
  };
  try {
    await say.pause(3_000);
    const cast = await startCast({ cliFile: options.cliFile, workspace }, agents);
    const ids = await planTasks(cast, say);
    const work = await claimTasks(cast, ids, say);
    await doTheWork(work, say);
    await forecastConflict(cast, say);
    await reviewWithComment(cast, work, say);
    await conflictSentBackAndFixed(cast, work, say);
    await leaveForTheHuman(work, say);
    await summarize(cast.lead, workspace, say);
  } catch (error) {
    await stop();
    throw error;
  }
  return { workspace, dashboard, stop };
}

async function startCast(base: Pick<AgentStart, 'cliFile' | 'workspace'>, started: DemoAgent[]): Promise<Cast> {
  const start = async (name: string, role: AgentStart['role'], type: AgentStart['type']) => {
    const agent = await startAgent({ ...base, name, role, type });
    started.push(agent);
    return agent;
  };
  // The planner first: a project's first planner is admitted by arriving; implementers join its project.
  const lead = await start('lead', 'planner', 'claude');
  const [ada, bob, cy] = await Promise.all([start('ada', 'implementer', 'claude'), start('bob', 'implementer', 'codex'), start('cy', 'implementer', 'other')]);
  return { lead, ada: ada!, bob: bob!, cy: cy! };
}

async function summarize(lead: DemoAgent, workspace: DemoWorkspace, say: Narrator): Promise<void> {
  say.chapter('Summary');
  const counts = (await lead.call('task_summary')) as Record<string, unknown>;
  const shown = Object.entries(counts).filter(([, count]) => typeof count === 'number' && count > 0);
  say.line(`  tasks: ${shown.map(([status, count]) => `${count} ${status}`).join(', ')}`);
  say.line('  main now:');
  for (const line of plainGit(workspace.repo, ['log', '--oneline', '--graph', 'main']).split('\n')) say.line(`    ${line}`);
}
