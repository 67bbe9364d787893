// Sent in the initialize result, so any connecting agent knows how to begin even when the project's
// CLAUDE.md / AGENTS.md says nothing about lockstep.

export const SERVER_INSTRUCTIONS = `lockstep coordinates several AI agents working on one git repository.
Begin by calling coordination_init with your role ("planner" or "implementer"); it tells you what to do next.
Planner: set the project context, create tasks, review submitted work (task_approve / task_request_changes).
Implementer: loop task_wait/task_list -> task_claim -> lock_acquire before editing shared files -> work -> commit with plain git -> lock_release -> task_submit_for_review (or task_update status "done" for simple tasks). A worktree task is edited and committed in the worktree its claim names.
Every result may carry a "pending" block: news for you (notes, discussions waiting on you, review verdicts, lost locks, a stopped project). Act on it.
If the user says not to use lockstep, stop calling these tools.`;
