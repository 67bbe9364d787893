// The demo's implementers commit the way a real agent does: plain `git` in their worktree, run as an
// argv (never a shell), as themselves, and blind to the human's global and system git config (a
// commit-signing or hook setting there must not break a scratch run).

import { execFileSync } from 'node:child_process';

export function plainGit(cwd: string, args: string[], author = 'lockstep demo'): string {
  const email = `${author.replace(/[^A-Za-z0-9._-]/g, '-')}@demo.invalid`;
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_TERMINAL_PROMPT: '0',
      GIT_AUTHOR_NAME: author,
      GIT_AUTHOR_EMAIL: email,
      GIT_COMMITTER_NAME: author,
      GIT_COMMITTER_EMAIL: email,
    },
  }).trim();
}

/** Like plainGit, for commands whose non-zero exit is an answer (a merge that conflicts). */
export function plainGitMayFail(cwd: string, args: string[], author?: string): { ok: boolean; output: string } {
  try {
    return { ok: true, output: plainGit(cwd, args, author) };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}`.trim() };
  }
}

/** An implementer's edit, staged and committed; returns the new commit's short id. */
export function commitFiles(worktree: string, author: string, message: string): string {
  plainGit(worktree, ['add', '-A'], author);
  plainGit(worktree, ['commit', '--quiet', '-m', message], author);
  return plainGit(worktree, ['rev-parse', '--short', 'HEAD'], author);
}
