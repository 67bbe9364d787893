// The settings every git we start runs with, so that nothing an agent wrote into a repository's own
// config, hooks or attributes makes our git (or an agent's allow-listed git) start a program.
// Repository-local config is agent-writable; the human's global and the system config are kept.

/**
 * Always set. `core.hooksPath=/dev/null` finds no hook at all (`/dev/null/<hook>` cannot exist), which
 * is safer than an empty directory someone could write into. No pager or editor ever starts (`:` is
 * git's "no editor"); no commit is signed through a `gpg.program` someone else chose; `ext::` URLs stay off.
 */
const ALWAYS: readonly Setting[] = [
  ['core.hooksPath', '/dev/null'],
  ['core.fsmonitor', 'false'],
  ['core.pager', 'cat'],
  ['core.editor', ':'],
  ['sequence.editor', ':'],
  ['commit.gpgSign', 'false'],
  ['tag.gpgSign', 'false'],
  ['log.showSignature', 'false'],
  ['protocol.ext.allow', 'never'],
];

export type Setting = readonly [key: string, value: string];

/** Global options put before every sub-command. */
export const NEUTRAL_GLOBAL_ARGS: readonly string[] = ['--no-pager'];

/**
 * The settings as GIT_CONFIG_COUNT/KEY/VALUE variables (command scope, like `-c`, and inherited by the
 * git processes git starts): unlike `-c key=value` a key holding "=" cannot be misread.
 */
export function neutralEnvironment(overrides: readonly Setting[] = []): Record<string, string> {
  const settings = [...ALWAYS, ...overrides];
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(settings.length) };
  settings.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}

/**
 * Porcelain diffs run textconv filters and external diff drivers by default; these flags, put right
 * after the sub-command, turn both off. (Plumbing such as diff-tree never runs them.)
 */
const READ_FLAGS: Record<string, readonly string[]> = {
  diff: ['--no-ext-diff', '--no-textconv'],
  log: ['--no-ext-diff', '--no-textconv'],
  show: ['--no-ext-diff', '--no-textconv'],
  blame: ['--no-textconv'],
};

export function readFlagsFor(subcommand: string): readonly string[] {
  return Object.hasOwn(READ_FLAGS, subcommand) ? READ_FLAGS[subcommand]! : [];
}

/**
 * Sub-commands that read only the object database and refs: they never convert file content, merge or
 * sign, so no configured program can run and listing the repository's program settings is skipped.
 */
const NO_PROGRAMS = new Set([
  'rev-parse', 'for-each-ref', 'show-ref', 'update-ref', 'symbolic-ref', 'merge-base', 'rev-list',
  'ls-tree', 'ls-files', 'config', 'worktree',
]);

/** `worktree add` checks files out (clean/smudge filters); list, prune and remove do not. */
export function mayRunConfiguredPrograms(args: readonly string[]): boolean {
  const subcommand = subcommandOf(args);
  if (subcommand === 'worktree') return args[args.indexOf('worktree') + 1] === 'add';
  return subcommand === undefined || !NO_PROGRAMS.has(subcommand);
}

/** The first word that is not an option: git's global options (`--literal-pathspecs`) come before it. */
export function subcommandOf(args: readonly string[]): string | undefined {
  return args.find((arg) => !arg.startsWith('-'));
}

/**
 * Settings whose value is a program git runs on content (filters, merge drivers, textconv, external
 * diff, signing, credential and ssh helpers). One in the repository's own config (scope local or
 * worktree, includes followed) is overridden: the empty string makes git refuse or skip it, never run it.
 */
const PROGRAM_SETTING = new RegExp(
  '^(filter\\..+\\.(clean|smudge|process)|diff\\..+\\.(textconv|command)|diff\\.external|merge\\..+\\.driver|' +
    'gpg\\.(.+\\.)?program|gpg\\.ssh\\.defaultkeycommand|credential\\.(.+\\.)?helper|interactive\\.difffilter|' +
    'core\\.(sshcommand|askpass|gitproxy|alternaterefscommand))$',
  'i',
);

/** Config scopes an agent with write access to the repository can change. */
const AGENT_WRITABLE_SCOPES = new Set(['local', 'worktree']);

/**
 * Parses `git config --show-scope -z --get-regexp` output (scope NUL key LF value NUL) into the
 * overrides that disarm every program setting the repository itself defines.
 */
export function overridesFor(configListing: string): Setting[] {
  const fields = configListing.split('\0');
  const overrides = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const scope = fields[i]!;
    const key = fields[i + 1]!.split('\n')[0]!;
    if (!AGENT_WRITABLE_SCOPES.has(scope) || !PROGRAM_SETTING.test(key)) continue;
    // A merge driver of "false" reports a conflict; an empty one would silently keep our side.
    overrides.set(key, /^merge\./i.test(key) ? 'false' : '');
    // A required filter whose command we emptied would make git fail instead of passing content through.
    if (/^filter\./i.test(key)) overrides.set(`${key.replace(/\.[^.]+$/, '')}.required`, 'false');
  }
  return [...overrides];
}

/** The `git config` arguments whose output overridesFor() reads. */
export const PROGRAM_SETTINGS_QUERY: readonly string[] = [
  'config', '--show-scope', '-z', '--get-regexp', '^(filter|diff|merge|gpg|credential|interactive|core)\\.',
];
