// The one error type the domain throws. Its code is a stable contract with agents: adapters turn it
// into an isError result (MCP), a status code (HTTP) or an exit code (CLI) without inspecting messages.

export const ERROR_CODES = [
  'INVALID_INPUT',
  'IDENTITY_REQUIRED',
  'NAME_TAKEN',
  'ROLE_FORBIDDEN',
  'NOT_OWNER',
  'NOT_FOUND',
  'TASK_NOT_CLAIMABLE',
  'TASK_DEPENDENCIES_OPEN',
  'TASK_INVALID_TRANSITION',
  'REVIEW_REQUIRED',
  'LOCK_HELD',
  'LOCK_NOT_HELD',
  'DISCUSSION_CLOSED',
  'CONFIRM_REQUIRED',
  'PATH_OUTSIDE_ROOTS',
  'PATH_OUTSIDE_PROJECT',
  'PATH_NOT_FOUND',
  'FILE_TOO_LARGE',
  'COMMAND_FORBIDDEN',
  'COMMAND_FAILED',
  'ENV_FORBIDDEN',
  'STORE_CORRUPT',
  'STORE_BUSY',
  'REPOSITORY_BUSY',
  'INTERNAL',
  'CONFIG_INVALID',
  'INVALID_NAME',
  'WORKTREE_BLOCKED',
  'WORKTREE_DIRTY',
  'WORKTREE_UNTRUSTED',
  'BRANCH_NOT_FOUND',
  'GIT_FAILED',
  'PROGRAM_NOT_FOUND',
  'REVIEW_STALE',
  'TARGET_CHECKOUT_BLOCKED',
  'REMOTE_TARGET_MOVED',
  'CONFIG_PROTECTED',
  'CONFIG_UNAPPROVED',
  'PATH_PROTECTED',
  'IDENTITY_MISMATCH',
  'ADMISSION_REQUIRED',
  'MESSAGE_TOO_LARGE',
  'DISK_FULL',
  'STORE_READ_ONLY',
  'STORE_MISMATCH',
  'STORE_UNAVAILABLE',
  'NAME_TOO_LONG',
  'TOKEN_INVALID',
  'NOTHING_TO_REVIEW',
  'LAUNCH_FAILED',
  'HOST_FORBIDDEN',
  'ORIGIN_FORBIDDEN',
  'PROJECT_UNKNOWN',
  'PROJECT_FORBIDDEN',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class DomainError extends Error {
  override readonly name = 'DomainError';

  /**
   * @param next what the caller should do about it, phrased as an instruction to an agent
   * @param details small machine-readable facts (who holds a lock, until when, ...)
   */
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly next?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
