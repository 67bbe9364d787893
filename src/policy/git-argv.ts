// What an allow-listed `git` may do for an agent: a fixed set of sub-commands for working in its own
// checkout, no global options, and none of the options that write files, read files outside the
// repository or start a program. The domain runs what passes with our own git's disarmed settings.

import { basename } from 'node:path';
import { DomainError } from '../core/errors.js';

/** Sub-commands for reading history and making commits in one's own worktree; nothing networked. */
export const AGENT_GIT_SUBCOMMANDS: readonly string[] = [
  'status', 'diff', 'log', 'show', 'add', 'commit', 'rm', 'mv', 'restore', 'reset',
  'rev-parse', 'ls-files', 'grep', 'blame', 'branch', 'merge-base', 'describe', 'version',
];

/**
 * Refused wherever they appear before `--`, with the reason given to the agent. Git is run with
 * abbreviations disallowed, so the exact name (or name=value) is all there is to match.
 */
const REFUSED_LONG: Record<string, string> = {
  '--output': 'writes a file',
  '--open-files-in-pager': 'starts a program',
  '--ext-diff': 'starts a program',
  '--textconv': 'starts a program',
  '--filters': 'starts a program',
  '--no-index': 'reads files outside the repository',
  '--file': 'reads a file outside git',
  '--template': 'reads a file outside git',
  '--pathspec-from-file': 'reads a file outside git',
  '--contents': 'reads a file outside git',
};

/** Short options (alone or in a cluster such as `-nO`) refused per sub-command. */
const REFUSED_SHORT: Record<string, Record<string, string>> = {
  grep: { O: 'starts a program', f: 'reads a file outside git' },
  commit: { F: 'reads a file outside git', t: 'reads a file outside git' },
};

/** `branch` only lists: creating, deleting or moving branches is the coordinator's job. */
const BRANCH_LISTING = new Set(['--list', '-l', '--show-current', '-a', '--all', '-r', '--remotes', '-v', '-vv', '--verbose']);

/** The allow-listed program is git when it is `git` or a listed path to a binary named git. */
export function isGit(executable: string): boolean {
  return basename(executable) === 'git';
}

export function checkAgentGit(argv: readonly string[]): void {
  const subcommand = argv[1];
  if (subcommand === undefined || subcommand.startsWith('-')) {
    throw forbidden(
      subcommand === undefined ? 'git needs a sub-command' : `git option "${subcommand}" before the sub-command is refused (it could point git at other config or another repository)`,
      'Run "git <sub-command> ...", with options after the sub-command; the working directory is the cwd parameter.',
    );
  }
  if (!AGENT_GIT_SUBCOMMANDS.includes(subcommand)) {
    throw forbidden(`"git ${subcommand}" is not an allow-listed git sub-command`, `Allow-listed: ${AGENT_GIT_SUBCOMMANDS.join(', ')}. Branches, worktrees and landing go through the worktree_* and task_* tools.`);
  }
  const args = argv.slice(2);
  const end = args.indexOf('--');
  for (const arg of end === -1 ? args : args.slice(0, end)) checkOption(subcommand, arg);
  if (subcommand === 'branch' && !args.every((arg) => BRANCH_LISTING.has(arg))) {
    throw forbidden('"git branch" may only list branches here', 'Use "git branch --show-current" or "git branch --list"; worktree_create makes your branch.');
  }
}

function checkOption(subcommand: string, arg: string): void {
  if (arg.startsWith('--')) {
    const name = arg.split('=')[0]!;
    const reason = Object.hasOwn(REFUSED_LONG, name) ? REFUSED_LONG[name] : undefined;
    if (reason) throw forbidden(`"git ${subcommand} ${name}" is refused: it ${reason}`, 'Drop that option; read files with file_read and write them with file_write.');
    return;
  }
  if (!arg.startsWith('-') || arg === '-') return;
  const refused = REFUSED_SHORT[subcommand] ?? {};
  const letter = [...arg.slice(1)].find((char) => Object.hasOwn(refused, char));
  if (letter) {
    throw forbidden(`"git ${subcommand} -${letter}" is refused: it ${refused[letter]}`, 'Drop that option (pass a value that starts with "-" after "--" or with "-e").');
  }
}

function forbidden(message: string, next: string): DomainError {
  return new DomainError('COMMAND_FORBIDDEN', message, next);
}
