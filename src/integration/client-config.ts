// What the installer, uninstaller and status share about a client's configuration file: where it is
// and how our entry is read from, put into and taken out of its text.

import type { ServerEntry } from './server-entry.js';

export type ClientName = 'claude' | 'codex';
export type Scope = 'user' | 'project';

/** One file format's edits. Each throws CONFIG_INVALID (with the place) for text that does not parse. */
export interface ConfigFormat {
  /** Our entry (command or remote URL) as configured, or undefined when the text has no entry of ours. */
  read(text: string, file: string): ServerEntry | undefined;
  /** The text with our entry set to `entry`; exactly `text` when it already is. */
  withEntry(text: string | undefined, entry: ServerEntry, file: string): string;
  /** The text without our entry; null when nothing else is left in the file. */
  withoutEntry(text: string, file: string): string | null;
}

export interface ConfigTarget {
  client: ClientName;
  scope: Scope;
  file: string;
  format: ConfigFormat;
}

export function describeTarget(target: Pick<ConfigTarget, 'client' | 'scope'>): string {
  return target.client === 'claude' ? `Claude Code (${target.scope})` : 'Codex';
}
