// install / uninstall over a set of client configuration files. All files are read and edited in
// memory first; if any of them does not parse, none is written. After writing, the configured command
// is started (or the remote server connected to) and must answer tools/list before the install counts
// as a success.

import { isDomainError } from '../core/errors.js';
import type { ClientName, ConfigTarget, Scope } from './client-config.js';
import { readConfigText, replaceConfigText } from './config-file.js';
import { probeServer, type ProbeOptions, type ProbeResult } from './probe.js';
import type { ServerEntry } from './server-entry.js';

export type EntryChange = 'added' | 'updated' | 'unchanged' | 'removed' | 'absent';

export interface EntryReport {
  client: ClientName;
  scope: Scope;
  file: string;
  change: EntryChange;
  /** Where the file's previous content was saved, when it was changed. */
  backup?: string;
  /** The file held nothing but our entry and was deleted. */
  fileDeleted?: boolean;
  probe?: ProbeResult;
}

export interface ConfigProblem {
  client: ClientName;
  scope: Scope;
  file: string;
  error: string;
}

export interface IntegrationReport {
  ok: boolean;
  entries: EntryReport[];
  /** Files that could not be read or edited; when there are any, no file was changed. */
  problems: ConfigProblem[];
}

interface PlannedEdit {
  target: ConfigTarget;
  before: string | undefined;
  after: string | null | undefined;
  hadEntry: boolean;
}

export async function installServer(targets: ConfigTarget[], server: ServerEntry, probe: ProbeOptions): Promise<IntegrationReport> {
  const planned = await planEdits(targets, (target, text) => target.format.withEntry(text, server, target.file));
  if ('problems' in planned) return { ok: false, entries: [], problems: planned.problems };
  const entries = await applyEdits(planned.edits, (edit) => (edit.after === edit.before ? 'unchanged' : edit.hadEntry ? 'updated' : 'added'));
  // Every file now holds the same entry: one probe proves it for all of them.
  const answer = await probeServer(server, probe);
  for (const entry of entries) entry.probe = answer;
  return { ok: answer.ok, entries, problems: [] };
}

export async function uninstallServer(targets: ConfigTarget[]): Promise<IntegrationReport> {
  const planned = await planEdits(targets, (target, text) => (text === undefined ? undefined : target.format.withoutEntry(text, target.file)));
  if ('problems' in planned) return { ok: false, entries: [], problems: planned.problems };
  const entries = await applyEdits(planned.edits, (edit) => (edit.hadEntry ? 'removed' : 'absent'));
  return { ok: true, entries, problems: [] };
}

type Edit = (target: ConfigTarget, text: string | undefined) => string | null | undefined;

async function planEdits(targets: ConfigTarget[], edit: Edit): Promise<{ edits: PlannedEdit[] } | { problems: ConfigProblem[] }> {
  const edits: PlannedEdit[] = [];
  const problems: ConfigProblem[] = [];
  for (const target of targets) {
    try {
      const before = await readConfigText(target.file);
      const hadEntry = before !== undefined && target.format.read(before, target.file) !== undefined;
      edits.push({ target, before, after: edit(target, before), hadEntry });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      problems.push({ client: target.client, scope: target.scope, file: target.file, error: error.message });
    }
  }
  return problems.length > 0 ? { problems } : { edits };
}

async function applyEdits(edits: PlannedEdit[], classify: (edit: PlannedEdit) => EntryChange): Promise<EntryReport[]> {
  const reports: EntryReport[] = [];
  for (const edit of edits) {
    const { client, scope, file } = edit.target;
    const report: EntryReport = { client, scope, file, change: classify(edit) };
    if (edit.after !== undefined && edit.after !== edit.before) {
      const backup = await replaceConfigText(file, edit.before, edit.after);
      if (backup) report.backup = backup;
      if (edit.after === null) report.fileDeleted = true;
    }
    reports.push(report);
  }
  return reports;
}
