// `lockstep-mcp join URL --name NAME [--dir D] [--base REV]`: an implementer on another machine gets its
// own clone of the project's shared remote with branch lockstep/<name> checked out, and what to do next.

import { cloneForImplementer, defaultCloneDir } from '../../git/clone.js';
import { DomainError } from '../core/errors.js';
import { translatingGitErrors } from '../domain/git-errors.js';
import { say, OK } from './output.js';

export interface JoinFlags {
  name?: unknown;
  dir?: unknown;
  base?: unknown;
}

export async function runJoin(url: string, flags: JoinFlags): Promise<void> {
  const name = text(flags.name);
  if (name === undefined) {
    throw new DomainError('INVALID_INPUT', 'join needs the implementer name', 'Run: lockstep-mcp join URL --name NAME [--dir DIR] [--base COMMIT]');
  }
  const dir = text(flags.dir) ?? defaultCloneDir(process.cwd(), url, name);
  const clone = await translatingGitErrors(() => cloneForImplementer({ url, dir, name, base: text(flags.base) }));
  const how = clone.resumed ? 'continuing what you pushed before' : 'a new branch';
  say(`${OK} Cloned ${url} into ${clone.dir}: ${clone.branch} at ${clone.head.slice(0, 12)} (${how}).`);
  say('Next:');
  say(`  cd ${clone.dir}`);
  say('  Work and commit there with plain git; your agent connects to the lockstep server as usual.');
  say(`  git push origin ${clone.branch}   (what you pushed is what is reviewed)`);
  say('  Then task_submit_for_review.');
}

/** cac gives numbers for numeric-looking values: a name or commit such as 1234 is still text. */
function text(value: unknown): string | undefined {
  return value === undefined || value === true || value === '' ? undefined : String(value);
}
