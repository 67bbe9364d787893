// Quoting for the two interpreters a launcher hands text to: POSIX sh (tmux runs a window's command
// through the user's shell) and AppleScript (osascript). Everything spliced into either passes here.

/**
 * One sh word that means exactly `value`: inside single quotes nothing is special, and a single quote
 * itself is closed, escaped and reopened ('\'').
 */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * A command line that runs argv[0] with exactly these arguments. `exec` replaces the shell, so the
 * process tmux reports for the pane is the program itself.
 */
export function shellCommand(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('shellCommand needs a program');
  return `exec ${argv.map(shellQuote).join(' ')}`;
}

/** An AppleScript string literal for `value`: backslash and double quote are its only escapes. */
export function appleScriptString(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}
