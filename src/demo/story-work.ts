// The first half of the demo's story: the planner plans, three implementers claim tasks, each gets a
// worktree and commits there with plain git, and the planner's forecast spots the coming conflict.

import type { DemoAgent } from './agent-client.js';
import { ADA_FRENCH, BOB_LOUD, CY_FAREWELL } from './greeter-edits.js';
import type { Narrator } from './narrator.js';
import { commitFiles } from './plain-git.js';
import { writeFiles } from './scratch-repo.js';

export interface Cast {
  lead: DemoAgent;
  ada: DemoAgent;
  bob: DemoAgent;
  cy: DemoAgent;
}

export interface Assignment {
  agent: DemoAgent;
  task: number;
  title: string;
  worktree: string;
}

export interface Assignments {
  ada: Assignment;
  bob: Assignment;
  cy: Assignment;
}

const PLAN = [
  { who: 'ada', title: 'Greet in French', description: 'Salutations per language; switch the default to French.' },
  { who: 'bob', title: 'Greet loudly', description: 'End greetings with "!" and add shout().' },
  { who: 'cy', title: 'Say goodbye', description: 'farewell(name), in the configured language.' },
] as const;

export async function planTasks(cast: Cast, say: Narrator): Promise<Map<string, number>> {
  say.chapter('1. The planner plans');
  await cast.lead.call('project_context_set', {
    description: 'greeter: a tiny greeting library',
    endState: 'Greets in French, loudly, and says goodbye',
    status: 'in_progress',
  });
  say.act('lead', 'set the project context: greets in French, loudly, and says goodbye');
  const ids = new Map<string, number>();
  for (const step of PLAN) {
    const { task } = await cast.lead.call('task_create', { title: step.title, description: step.description, complexity: 'complex', isolation: 'worktree' });
    ids.set(step.who, task.id as number);
    say.act('lead', `created task #${task.id} "${step.title}" (worktree isolation: approval is what lands it)`);
    await say.pause(700);
  }
  return ids;
}

export async function claimTasks(cast: Cast, ids: Map<string, number>, say: Narrator): Promise<Assignments> {
  say.chapter('2. Implementers claim tasks, each in a worktree of its own');
  const claim = async (agent: DemoAgent, who: 'ada' | 'bob' | 'cy'): Promise<Assignment> => {
    const task = ids.get(who)!;
    const claimed = await agent.call('task_claim', { id: task });
    const worktree = claimed.task.worktree as { path: string; branch: string };
    say.act(who, `claimed #${task} "${claimed.task.title}" → branch ${worktree.branch} in ${worktree.path}`);
    await say.pause(700);
    return { agent, task, title: claimed.task.title as string, worktree: worktree.path };
  };
  return { ada: await claim(cast.ada, 'ada'), bob: await claim(cast.bob, 'bob'), cy: await claim(cast.cy, 'cy') };
}

export async function doTheWork(work: Assignments, say: Narrator): Promise<void> {
  say.chapter('3. They work and commit with plain git');
  const edits = [
    [work.ada, ADA_FRENCH, 'Greet in French'],
    [work.bob, BOB_LOUD, 'Greet loudly'],
    [work.cy, CY_FAREWELL, 'Say goodbye'],
  ] as const;
  for (const [assignment, files, message] of edits) {
    writeFiles(assignment.worktree, files);
    const commit = commitFiles(assignment.worktree, assignment.agent.name, message);
    say.act(assignment.agent.name, `committed ${commit} "${message}" (${Object.keys(files).join(', ')})`);
    await say.pause(900);
  }
}

export async function forecastConflict(cast: Cast, say: Narrator): Promise<string[]> {
  say.chapter('4. The planner looks ahead');
  const status = await cast.lead.call('worktree_status', { implementerId: 'ada' });
  const collisions = (status.conflictsWith ?? []) as { implementer: string; files: string[] }[];
  for (const { implementer, files } of collisions) {
    say.act('lead', `forecast: ada's and ${implementer}'s branches both change ${files.join(', ')}; whichever lands second will conflict`);
  }
  if (collisions.length === 0) say.act('lead', 'forecast: no collisions between branches');
  await say.pause();
  return collisions.flatMap((collision) => collision.files);
}
