// What an agent may execute: the command allowlist, the environment variables it may not override,
// and the argv each known package manager gets. Pure functions; running happens in the domain.

import type { Config } from '../config.js';
import { DomainError } from '../core/errors.js';
import type { ParsedCommand } from './argv.js';

export type CommandPolicy = Pick<Config, 'commandMode' | 'commandAllow'>;

/** Refuses, in allowlist mode, a command a shell would have chained, piped, redirected or substituted. */
export function checkNoShellSyntax(parsed: ParsedCommand, policy: CommandPolicy): void {
  if (policy.commandMode !== 'allowlist' || parsed.operators.length === 0) return;
  const found = parsed.operators.map((operator) => `"${operator}"`).join(', ');
  throw new DomainError(
    'COMMAND_FORBIDDEN',
    `the command contains shell syntax (${found}); commands run without a shell, so it would not do what it says`,
    'Run one program per command_run call, pass arguments as plain words (quote them if they contain these characters), and read output from the result instead of redirecting it.',
    { operators: parsed.operators },
  );
}

/** Said wherever an agent or human decides what to allowlist: the allowlist is no sandbox for these. */
export const INTERPRETERS_RUN_ANYTHING =
  'An interpreter, shell, build tool or package manager (node, npm, npx, python, pip, sh, bash, make, cargo, ...) runs whatever ' +
  'code it is given or finds in the project, so allowlisting one allows arbitrary code.';

/**
 * In allowlist mode the executable must be listed: a bare name must be listed as that name; a path
 * must be listed as exactly that path, so "./git" or "/tmp/git" never pass for "git".
 */
export function checkExecutable(executable: string, policy: CommandPolicy): void {
  if (policy.commandMode !== 'allowlist') return;
  if (policy.commandAllow.includes(executable)) return;
  const isPath = executable.includes('/');
  throw new DomainError(
    'COMMAND_FORBIDDEN',
    `${isPath ? 'the path' : 'the program'} "${executable}" is not on the command allowlist (${policy.commandAllow.join(', ') || 'empty'})`,
    (isPath
      ? 'Call an allowlisted program by its bare name, or ask the human to allowlist this exact path.'
      : 'Use one of the allowlisted programs, or ask the human to add this one with --command-allow.') + ` ${INTERPRETERS_RUN_ANYTHING}`,
    { allowed: policy.commandAllow },
  );
}

/**
 * Variables that decide which binaries, libraries, config files or start-up code a program uses:
 * overriding them would escape the allowlist (HOME alone brings a ~/.gitconfig with aliases and hooks).
 */
const PROTECTED_ENV = [
  /^(HOME|ZDOTDIR|PATH|ENV|BASH_ENV|SHELL|EDITOR|VISUAL|PAGER|SSH_ASKPASS|PERL5OPT|PERL5LIB|PERLLIB|RUBYOPT|RUBYLIB|JAVA_TOOL_OPTIONS|_JAVA_OPTIONS)$/,
  /^(XDG_|GIT_|LD_|DYLD_|NODE_|PYTHON|NPM_CONFIG_|YARN_|PNPM_|CARGO_|RUSTC|GO(FLAGS|PATH|ROOT|TOOLCHAIN)$)/,
];
export const PROTECTED_ENV_SUMMARY = 'HOME, PATH, XDG_*, GIT_*, LD_*, DYLD_*, NODE_*, PYTHON*, NPM_CONFIG_*, shell start-up files and the like';

export function checkEnv(env: Record<string, unknown>, policy: CommandPolicy): Record<string, string> {
  for (const [key, value] of Object.entries(env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      throw new DomainError('INVALID_INPUT', `"${key}" is not a valid environment variable name`, 'Use names of letters, digits and underscores.');
    }
    if (typeof value !== 'string') {
      throw new DomainError('INVALID_INPUT', `env.${key} must be a string`, 'Pass every env value as a string.');
    }
    if (policy.commandMode === 'allowlist' && PROTECTED_ENV.some((pattern) => pattern.test(key.toUpperCase()))) {
      throw new DomainError(
        'ENV_FORBIDDEN',
        `env.${key} may not be overridden in allowlist mode (${PROTECTED_ENV_SUMMARY} are protected)`,
        'Remove that variable from env and call again.',
        { key },
      );
    }
  }
  return env as Record<string, string>;
}

/** The argv prefix each supported package manager installs with; args are appended as separate items. */
const INSTALL_COMMANDS: Record<string, readonly string[]> = {
  npm: ['npm', 'install'],
  pnpm: ['pnpm', 'add'],
  yarn: ['yarn', 'add'],
  pip: ['pip', 'install'],
  pip3: ['pip3', 'install'],
  cargo: ['cargo', 'install'],
  go: ['go', 'install'],
  brew: ['brew', 'install'],
  'apt-get': ['apt-get', 'install', '-y'],
};

export const INSTALL_MANAGERS = Object.keys(INSTALL_COMMANDS);

export function installArgv(manager: string, args: readonly string[]): string[] {
  const prefix = Object.hasOwn(INSTALL_COMMANDS, manager) ? INSTALL_COMMANDS[manager] : undefined;
  if (!prefix) {
    throw new DomainError(
      'INVALID_INPUT',
      `unknown package manager "${manager}"; known: ${INSTALL_MANAGERS.join(', ')}`,
      'Pass one of the known managers, or use command_run for anything else.',
    );
  }
  return [...prefix, ...args];
}
