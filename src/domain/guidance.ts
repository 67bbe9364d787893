// What coordination_init tells an agent to do next, by role and project phase. Written for an agent:
// short, concrete, naming the tools to call.

import type { AgentRole, ProjectStatus } from '../core/vocabulary.js';

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
  'lock_release -> task_submit_for_review with reviewNotes (simple/medium tasks outside a worktree may instead task_update status "done"). ' +
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
