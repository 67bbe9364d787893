// The git manager's own refusals that have no richer class: each carries a stable code, so the domain
// (src/domain/git-errors.ts, the one place git errors become DomainErrors) never reads a message.

export type GitManagerProblem =
  /** A revision an agent gave names no commit. */
  | 'COMMIT_NOT_FOUND'
  /** A worktree to snapshot has no commit checked out. */
  | 'NO_COMMIT_CHECKED_OUT'
  /** Neither the branch nor the worktree to archive exists. */
  | 'NOTHING_TO_ARCHIVE'
  | 'ARCHIVE_NOT_FOUND'
  /** Another writer moved the target during every landing attempt. */
  | 'TARGET_KEEPS_MOVING';

export class GitManagerError extends Error {
  override readonly name = 'GitManagerError';

  constructor(
    readonly code: GitManagerProblem,
    message: string,
  ) {
    super(message);
  }
}
