// Separation of duties: whoever claimed, worked on or submitted a task never approves it. People are
// told apart by client session, not by name: a session may register several names, but all of them
// are the same agent.

import type { Complexity } from '../core/vocabulary.js';
import type { Participant, TaskRow } from '../store/rows.js';
import type { Caller } from './context.js';
import { DomainError } from '../core/errors.js';
import { requiresReview } from './task-rules.js';

/** The task's participants with `name`, acting from the caller's session, added once. */
export function withParticipant(task: Pick<TaskRow, 'participants'>, caller: Caller, name: string): Participant[] {
  const participants = task.participants ?? [];
  const session = caller.session?.id ?? null;
  if (participants.some((known) => known.name === name && known.session === session)) return participants;
  return [...participants, { name, session }];
}

/**
 * Lowering a complexity that needs review to one that does not waives the review: that is an
 * approval, so only a planner who did not work on the task may do it.
 */
export function assertMayWaiveReview(task: TaskRow, caller: Caller, to: Complexity | undefined): void {
  if (to === undefined || !requiresReview(task.complexity) || requiresReview(to)) return;
  const actor = caller.agent;
  if (actor?.role !== 'planner') {
    throw new DomainError(
      'ROLE_FORBIDDEN',
      `task ${task.id} is ${task.complexity}: only a planner may lower it to ${to}, which skips review`,
      'Submit it with task_submit_for_review, or ask the planner to re-estimate it.',
      { id: task.id, complexity: task.complexity },
    );
  }
  assertNotOwnWork(task, caller, actor.name);
}

/** Refuses an approver who is the owner or a participant, under this name or any other of its session. */
export function assertNotOwnWork(task: TaskRow, caller: Caller, reviewer: string): void {
  const session = caller.session?.id;
  const own =
    task.owner === reviewer ||
    (task.participants ?? []).some((known) => known.name === reviewer || (session !== undefined && known.session === session));
  if (!own) return;
  throw new DomainError(
    'ROLE_FORBIDDEN',
    `you (${reviewer}) claimed, worked on or submitted task ${task.id}, under this or another name of your session; you cannot approve it`,
    'Another planner (one you admit with planner_admit) must approve it.',
    { id: task.id },
  );
}
