// The one place where the git manager's errors become DomainErrors with stable codes: git/ knows
// nothing of agents, so the instruction of what to do next is added here, at the domain boundary.

import { GitManagerError, type GitManagerProblem } from '../../git/errors.js';
import { GitCommandError } from '../../git/exec.js';
import { UntrustedWorktreeError } from '../../git/gitdir.js';
import { implementerNameProblem } from '../../git/refs.js';
import { RemoteUrlError } from '../../git/remote.js';
import { BranchNotFoundError, TargetBranchNotFoundError } from '../../git/target.js';
import { BaseNotFoundError, InvalidNameError, WorktreeBlockedError } from '../../git/worktrees.js';
import { LockTimeoutError } from '../../git/file-lock.js';
import { DomainError, type ErrorCode } from '../core/errors.js';

/** Refuses a name that cannot become branch `lockstep/<name>` and a worktree directory, before anything runs. */
export function assertImplementerName(name: string): void {
  const problem = implementerNameProblem(name);
  if (problem) throw invalidName(name, problem);
}

function invalidName(name: string, problem: string): DomainError {
  return new DomainError(
    'INVALID_NAME',
    `"${name}" cannot name an implementer: ${problem}`,
    'Use 1-64 letters, digits, "-", "_" or "." (not starting with "-" or "."); where the name is optional, omit it to get one generated.',
    { implementer: name },
  );
}

const GIT_MANAGER_CODES: Record<GitManagerProblem, [ErrorCode, string]> = {
  COMMIT_NOT_FOUND: ['NOT_FOUND', 'Pass a commit of this repository (worktree_status shows the branch head).'],
  NO_COMMIT_CHECKED_OUT: ['GIT_FAILED', 'Commit something in that worktree first, or tell the planner.'],
  NOTHING_TO_ARCHIVE: ['NOT_FOUND', 'Nothing of that implementer is left to archive; call worktree_list.'],
  ARCHIVE_NOT_FOUND: ['NOT_FOUND', 'Call worktree_recover without archive to list the archives.'],
  TARGET_KEEPS_MOVING: ['REPOSITORY_BUSY', 'Someone keeps committing to the target; retry in a minute (nothing landed).'],
};

/** Runs git work and rethrows whatever it throws as a DomainError (DomainErrors pass through). */
export async function translatingGitErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toDomainError(error);
  }
}

function toDomainError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  if (error instanceof InvalidNameError) return invalidName(error.implementer, error.problem);
  if (error instanceof WorktreeBlockedError) {
    return new DomainError('WORKTREE_BLOCKED', error.message, 'Move or remove what occupies that path (nothing was changed), or ask the planner.', {
      path: error.path,
    });
  }
  if (error instanceof UntrustedWorktreeError) {
    return new DomainError('WORKTREE_UNTRUSTED', error.message, 'Nothing ran there. Ask the human to check that worktree; `git worktree repair` in the main checkout restores a moved pointer.', {
      path: error.worktree,
    });
  }
  if (error instanceof TargetBranchNotFoundError) {
    return new DomainError('BRANCH_NOT_FOUND', error.message, 'Create the branch or fix "targetBranch" in .lockstep/config.json.');
  }
  if (error instanceof BranchNotFoundError) {
    return new DomainError('BRANCH_NOT_FOUND', error.message, 'Call worktree_list to see the implementers that have a branch, or worktree_create.', {
      branch: error.branch,
    });
  }
  if (error instanceof BaseNotFoundError) {
    return new DomainError('BRANCH_NOT_FOUND', error.message, 'Pass an existing branch, tag or commit as base, or omit it to start from the target.', {
      base: error.base,
    });
  }
  if (error instanceof RemoteUrlError) {
    return new DomainError('CONFIG_INVALID', error.message, 'Ask the human to set "remote" in .lockstep/config.json to the shared repository\'s URL or path.');
  }
  if (error instanceof GitManagerError) {
    const [code, next] = GIT_MANAGER_CODES[error.code];
    return new DomainError(code, error.message, next);
  }
  if (error instanceof LockTimeoutError) {
    return new DomainError('REPOSITORY_BUSY', `another lockstep process kept the repository busy: ${error.message}`, 'Retry in a minute; a landing or worktree change is still running.', {
      ...(error.holder && { holder: error.holder }),
    });
  }
  if (error instanceof GitCommandError) {
    const stderr = error.stderr.trim().slice(0, 1_000);
    return new DomainError('GIT_FAILED', error.message, 'Check the repository state (is this a git repository with a commit?) and retry; tell the planner if it persists.', {
      exitCode: error.exitCode,
      ...(stderr && { stderr }),
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DomainError('GIT_FAILED', message, 'Retry; if it fails again, tell the planner (note_append).');
}
