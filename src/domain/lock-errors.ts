// The errors a lock refusal reads as: who holds the path, until when, and what the caller can do next.

import type { LockRow } from '../store/rows.js';
import { DomainError } from '../core/errors.js';

/** Lock times as agents read them. */
export function iso(time: number): string {
  return new Date(time).toISOString();
}

export function lockHeld(holder: LockRow, wanted: string): DomainError {
  const until = iso(holder.expiresAt);
  const via = holder.path === wanted ? '' : ` (its lock on ${holder.path} covers it)`;
  return new DomainError(
    'LOCK_HELD',
    `${wanted} is held by ${holder.owner}${via} until ${until} unless renewed`,
    'wait (lock_acquire with waitMs), work on something else, or ask the holder with note_append',
    { holder: holder.owner, path: holder.path, expiresAt: until },
  );
}

export function notOwner(holder: LockRow, caller: string): DomainError {
  const until = iso(holder.expiresAt);
  return new DomainError(
    'NOT_OWNER',
    `${holder.path} is locked by ${holder.owner} until ${until} unless renewed, not by ${caller}`,
    `Only ${holder.owner} may release it (a planner may pass force: true); ask with note_append.`,
    { holder: holder.owner, path: holder.path, expiresAt: until },
  );
}
