// Branch naming for implementers, in one place: every name that becomes a ref or a directory passes
// through here before any git command sees it, so hostile names never reach argv.

const IMPLEMENTER_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/;

export const IMPLEMENTER_BRANCH_PREFIX = 'lockstep/';

/** Why `name` cannot name an implementer (branch `lockstep/<name>`, worktree directory), or null if it can. */
export function implementerNameProblem(name: string): string | null {
  if (!IMPLEMENTER_NAME.test(name)) {
    return 'use 1-64 letters, digits, "-", "_" or "."; it may not start with "-" or "."';
  }
  if (name.includes('..')) return 'it may not contain ".."';
  if (name.endsWith('.lock') || name.endsWith('.')) return 'it may not end with "." or ".lock"';
  return null;
}

export function implementerBranch(name: string): string {
  return `${IMPLEMENTER_BRANCH_PREFIX}${name}`;
}
