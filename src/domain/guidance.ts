// What coordination_init tells an agent to do next, by role and project phase. Written for an agent:
// short, concrete, naming the tools to call.

import type { AgentRole, ProjectStatus } from '../core/vocabulary.js';
import { implementerPrompt } from '../launch/agents.js';
import { shellQuote } from '../launch/quoting.js';

const STOP: Partial<Record<ProjectStatus, string>> = {
  stopped: 'The project is STOPPED: do not start or continue work. Release your locks (lock_release) and stop.',
  complete: 'The project is COMPLETE: do not start new work. Release your locks (lock_release) and stop.',
};

const PLANNER: Record<Exclude<ProjectStatus, 'stopped' | 'complete'>, string> = {
  planning:
    'Phase planning: ask the human for the goal, end state, tech stack, constraints, acceptance criteria and tests; ' +
    'record them with project_context_set (add implementationPlan), then project_status_set "ready".',
  ready:
    'Phase ready: split the plan into tasks with task_create (complexity simple|medium|complex|critical; dependsOn for order), ' +
    'ask the human to start implementers (they call coordination_init with role "implementer"), then project_status_set "in_progress".',
  in_progress:
    'Phase in_progress: monitor with task_summary, task_list, note_list and discussion_inbox; review tasks in status "review" ' +
    'with task_approve or task_request_changes (feedback). When all tasks are done, project_status_set "complete".',
};

const IMPLEMENTER =
  'Loop: task_wait (or task_list status "todo") -> task_claim -> lock_acquire every shared file before editing it -> work -> ' +
  'lock_release -> commit with plain git (git add, git commit) in your working directory, or in the worktree task_claim names -> ' +
  'task_submit_for_review with reviewNotes (simple/medium tasks outside a worktree may instead task_update status "done"). ' +
  'Blocked or unsure? discussion_start with waitingOn the planner. Act on every "pending" block in results before continuing.';

/** What coordination_init answers in a project where a human ran `lockstep-mcp disable`. */
export const DISABLED_GUIDANCE =
  'Coordination is DISABLED in this project (a human ran lockstep-mcp disable); you were not registered. ' +
  'Do not call lockstep tools here: work as a single agent. A human can turn it back on with lockstep-mcp enable.';

export function guidanceFor(role: AgentRole, status: ProjectStatus): string {
  const stop = STOP[status];
  if (stop) return stop;
  if (role === 'implementer') {
    const waiting = status === 'in_progress' ? '' : ` The project is still "${status}": tasks may not exist yet; task_wait until they do.`;
    return IMPLEMENTER + waiting;
  }
  return PLANNER[status as keyof typeof PLANNER];
}

export interface WorktreeClient {
  /** The agent program (coordination_init type). */
  type: string;
  /** Where the agent's session runs: its server's working directory. */
  cwd: string;
  name: string;
}

/**
 * What a claim of a worktree task tells the claimer. An agent already running in that worktree edits and
 * commits there. One started elsewhere (by hand, in the main checkout) usually cannot: Codex's sandbox
 * and Claude's edit permission cover its own directory only, so it is told the exact command that
 * continues its work in the worktree rather than to make edits its client would refuse.
 */
export function worktreeInstruction(worktree: { path: string; branch: string }, client: WorktreeClient, inWorktree: boolean): string {
  const commit = 'edit files there and commit with plain git (git add, git commit) before task_submit_for_review: the server never commits for you.';
  if (inWorktree) return `You run in your worktree ${worktree.path} (branch ${worktree.branch}): ${commit}`;
  const prompt = implementerPrompt({ name: client.name, type: client.type, worktree });
  const command = client.type === 'codex' ? `codex -C ${shellQuote(worktree.path)} ${shellQuote(prompt)}` : `cd ${shellQuote(worktree.path)} && ${client.type === 'claude' ? 'claude' : '<your agent CLI>'} ${shellQuote(prompt)}`;
  return (
    `This task's worktree is ${worktree.path} (branch ${worktree.branch}), outside the directory your session runs in (${client.cwd}), ` +
    `where your client may refuse edits. Stop here and ask the human to continue you there with: ${command} ` +
    `(a planner can instead call launch_implementer with isolation "worktree"). Only if your client can write there, work in it directly: ${commit}`
  );
}
