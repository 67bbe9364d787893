// Where each implementer branch stands, for a list of all of them: its newest commit (subject, time)
// and its commits ahead of and behind the target. One for-each-ref, then one rev-list per branch.

import type { Git } from './exec.js';
import { IMPLEMENTER_BRANCH_PREFIX } from './refs.js';
import { aheadBehind } from './status.js';

export interface BranchSummary {
  subject: string;
  /** Committer time, epoch ms. */
  committedAt: number;
  ahead: number;
  behind: number;
}

/** Keyed by implementer name (the branch name after `lockstep/`). */
export async function implementerBranchSummaries(git: Git, target: string): Promise<Map<string, BranchSummary>> {
  const { stdout } = await git.run(
    ['for-each-ref', '--format=%(refname:lstrip=2)%00%(objectname)%00%(committerdate:unix)%00%(contents:subject)', `refs/heads/${IMPLEMENTER_BRANCH_PREFIX}`],
    { readOnly: true },
  );
  const refs = stdout.split('\n').filter(Boolean).map((line) => line.split('\0') as [string, string, string, string]);
  const summaries = await Promise.all(
    refs.map(async ([branch, head, seconds, subject]) => {
      const position = await aheadBehind(git, target, head);
      return [branch.slice(IMPLEMENTER_BRANCH_PREFIX.length), { subject, committedAt: Number(seconds) * 1000, ...position }] as const;
    }),
  );
  return new Map(summaries);
}
