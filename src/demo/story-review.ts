// The second half of the demo's story: a review with a line comment that the implementer answers, a
// landing, a conflicting landing sent back and fixed, and a last task left for the human to review.

import type { DemoAgent } from './agent-client.js';
import { ADA_COMMENTED_LINE, ADA_FALLBACK, BOB_RESOLVED } from './greeter-edits.js';
import type { Narrator } from './narrator.js';
import { commitFiles, plainGit, plainGitMayFail } from './plain-git.js';
import { writeFiles } from './scratch-repo.js';
import type { Assignment, Assignments, Cast } from './story-work.js';

interface Landing {
  landed: boolean;
  commit?: string;
  conflicts?: string[];
}

async function submit(work: Assignment, notes: string, say: Narrator): Promise<void> {
  await work.agent.call('task_submit_for_review', { id: work.task, reviewNotes: notes });
  say.act(work.agent.name, `submitted #${work.task} for review: "${notes}"`);
}

async function approve(lead: DemoAgent, work: Assignment): Promise<Landing> {
  // The landing's outcome comes beside the task: landed and its commit, or the conflicting files.
  const { landed, commit, conflicts } = await lead.call('task_approve', { id: work.task });
  return { landed: Boolean(landed), commit, conflicts };
}

export async function reviewWithComment(cast: Cast, work: Assignments, say: Narrator): Promise<void> {
  say.chapter('5. A review with a line comment');
  const ada = work.ada;
  await submit(ada, 'French salutations; default language fr', say);
  await say.pause();
  const file = 'src/salutations.ts';
  const { id: thread } = await cast.lead.call('review_comments', {
    task: ada.task, action: 'add', file, line: ADA_COMMENTED_LINE,
    body: 'A language without an entry returns undefined here. Fall back to English?',
  });
  say.act('lead', `commented on ${file}:${ADA_COMMENTED_LINE}: "Fall back to English?"`);
  await cast.lead.call('task_request_changes', { id: ada.task, feedback: 'See my line comment.' });
  say.act('lead', `requested changes on #${ada.task}`);
  await say.pause();

  // Any call tells an agent its news: the comment arrives in the pending block of her next result.
  const { task } = await ada.agent.call('task_get', { id: ada.task });
  const announced = (ada.agent.lastPending()?.comments as number[] | undefined)?.includes(ada.task);
  say.act('ada', `#${ada.task} came back (${task.status}: "${task.feedback}")${announced ? '; her pending block lists new line comments on it' : ''}`);
  const { threads } = await ada.agent.call('review_comments', { task: ada.task });
  say.act('ada', `read ${threads.length} line comment: "${threads[0].body}"`);
  writeFiles(ada.worktree, ADA_FALLBACK);
  const fix = commitFiles(ada.worktree, 'ada', 'Fall back to English for unknown languages');
  say.act('ada', `committed ${fix} "Fall back to English for unknown languages"`);
  await ada.agent.call('review_comments', { task: ada.task, action: 'reply', comment: thread, body: `Done in ${fix}: unknown languages get English.` });
  await ada.agent.call('review_comments', { task: ada.task, action: 'resolve', comment: thread });
  say.act('ada', 'answered the comment and marked it resolved');
  await submit(ada, 'Falls back to English now', say);
  await say.pause();

  const landing = await approve(cast.lead, ada);
  if (!landing.landed) throw new Error(`the demo expected ada's work to land: ${JSON.stringify(landing)}`);
  say.act('lead', `approved #${ada.task}: landed ${landing.commit?.slice(0, 7)} on main`);
  await say.pause();
}

export async function conflictSentBackAndFixed(cast: Cast, work: Assignments, say: Narrator): Promise<void> {
  say.chapter('6. A landing that conflicts, sent back and fixed');
  const bob = work.bob;
  await submit(bob, 'Exclamation mark and shout()', say);
  await say.pause();
  const refused = await approve(cast.lead, bob);
  if (refused.landed) throw new Error('the demo expected bob\'s first landing to conflict');
  say.act('lead', `approved #${bob.task}: nothing landed, ${refused.conflicts?.join(', ')} conflicts with main; back to bob`);
  await say.pause();

  const merge = plainGitMayFail(bob.worktree, ['merge', '--no-edit', 'main'], 'bob');
  say.act('bob', `merged main into his branch: ${merge.ok ? 'clean' : 'conflict in src/settings.ts'}`);
  writeFiles(bob.worktree, BOB_RESOLVED);
  plainGit(bob.worktree, ['add', '-A'], 'bob');
  plainGit(bob.worktree, ['commit', '--quiet', '--no-edit'], 'bob');
  say.act('bob', 'kept both: French from ada, "!" from him; committed the merge');
  await submit(bob, 'Merged main; French and loud', say);
  await say.pause();
  const landing = await approve(cast.lead, bob);
  if (!landing.landed) throw new Error(`the demo expected bob's fixed work to land: ${JSON.stringify(landing)}`);
  say.act('lead', `approved #${bob.task}: landed ${landing.commit?.slice(0, 7)} on main`);
  await say.pause();
}

export async function leaveForTheHuman(work: Assignments, say: Narrator): Promise<void> {
  say.chapter('7. Your turn');
  await submit(work.cy, 'farewell() in the configured language', say);
  say.line(`  #${work.cy.task} "${work.cy.title}" waits for your review in the dashboard: open the Board, click the`);
  say.line('  card, read the diff (click a line to comment), then "Approve and land" or "Request changes".');
}
