// Project settings that run commands, widen what agents may reach or decide where code goes take effect
// only once a human has approved their exact value (the pattern of `direnv allow`): a branch that lands a
// new `.lockstep/config.json` must not make the server run what that branch chose.
// The approvals live in the server's data directory, outside the repository, keyed by project id and by
// a sha256 of each setting's value, so a changed value needs a new approval.

import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { acquireFileLock } from '../../git/file-lock.js';
import { DomainError } from '../core/errors.js';
import { shellQuote } from '../launch/quoting.js';
import type { Project } from './context.js';
import { PROJECT_CONFIG_FILE, readProjectConfig, type ProjectConfig } from './project-config.js';
import type { WorktreeSettings } from './worktree-settings.js';

/**
 * Every setting that needs a human's approval, with what it lets the repository decide. A new risky
 * setting (launcher permissions, environment pass-through, a remote) joins by adding its key here.
 */
export const APPROVAL_REQUIRED = {
  verifyCommand: 'runs a command in the implementer worktree at every submission',
  gateCommand: 'runs a command on the merged result before every landing',
  worktreeRoot: 'decides where worktrees are created, and in strict mode widens what the file tools reach',
  targetBranch: 'decides where approved work lands',
  remote: 'decides which repository implementer branches are fetched from and landed work is pushed to',
  launch: 'widens what launched implementer agents may run, write and read from the environment',
} as const satisfies Partial<Record<keyof ProjectConfig, string>>;

export type GuardedSetting = keyof typeof APPROVAL_REQUIRED;

const GUARDED = Object.keys(APPROVAL_REQUIRED) as GuardedSetting[];

export interface SettingState {
  setting: GuardedSetting;
  value: NonNullable<ProjectConfig[GuardedSetting]>;
  approved: boolean;
}

interface Approval {
  sha256: string;
  approvedAt: string;
}

/** project id → setting → the approved value's hash. */
type ApprovalRecord = Record<string, Partial<Record<GuardedSetting, Approval>>>;

export function approvalFile(dataDir: string): string {
  return join(dataDir, 'config-approvals.json');
}

/** The guarded settings the project's config sets now, each with whether its exact value is approved. */
export async function configApprovalStates(dataDir: string, project: Project): Promise<SettingState[]> {
  const [config, record] = await Promise.all([readProjectConfig(project.root), readRecord(dataDir)]);
  const approvals = record[project.id] ?? {};
  return GUARDED.flatMap((setting) => {
    const value = config[setting];
    if (value === undefined) return [];
    return [{ setting, value, approved: approvals[setting]?.sha256 === valueHash(value) }];
  });
}

/**
 * The project config with every unapproved guarded setting left out, and those settings listed: callers
 * act on the rest and refuse (unapprovedSetting) only where they would have used a left-out one.
 */
export async function readApprovedProjectConfig(dataDir: string, project: Project): Promise<{ config: ProjectConfig; unapproved: SettingState[] }> {
  const [config, states] = await Promise.all([readProjectConfig(project.root), configApprovalStates(dataDir, project)]);
  const unapproved = states.filter((state) => !state.approved);
  const approved: Record<string, unknown> = { ...config };
  for (const { setting } of unapproved) delete approved[setting];
  return { config: approved as ProjectConfig, unapproved };
}

/** Approves exactly these values (the ones the human was shown), replacing earlier approvals of those settings. */
export async function approveSettings(dataDir: string, project: Project, shown: readonly Pick<SettingState, 'setting' | 'value'>[], now = new Date()): Promise<void> {
  await updateRecord(dataDir, (record) => {
    const approvals = (record[project.id] ??= {});
    for (const { setting, value } of shown) approvals[setting] = { sha256: valueHash(value), approvedAt: now.toISOString() };
  });
}

/** Withdraws the approvals of these settings (all of them when none is named); returns those withdrawn. */
export async function revokeSettings(dataDir: string, project: Project, settings: readonly GuardedSetting[] = GUARDED): Promise<GuardedSetting[]> {
  let revoked: GuardedSetting[] = [];
  await updateRecord(dataDir, (record) => {
    const approvals = record[project.id] ?? {};
    revoked = settings.filter((setting) => approvals[setting] !== undefined);
    for (const setting of revoked) delete approvals[setting];
    if (Object.keys(approvals).length === 0) delete record[project.id];
  });
  return revoked;
}

export function isGuardedSetting(name: string): name is GuardedSetting {
  return (GUARDED as string[]).includes(name);
}

/** The exact command a human runs to approve this project's config for this server's data directory. */
export function approveCommand(dataDir: string, project: Project): string {
  return `lockstep-mcp config approve --project ${shellWord(project.root)} --data-dir ${shellWord(dataDir)}`;
}

/** The WorktreeSettings field each guarded setting decides. */
const SETTINGS_FIELD = {
  verifyCommand: 'verifyCommand',
  gateCommand: 'gateCommand',
  worktreeRoot: 'worktreeRoot',
  targetBranch: 'target',
  remote: 'remote',
} as const satisfies Partial<Record<GuardedSetting, keyof WorktreeSettings>>;

/**
 * The settings with every unapproved field turned into a getter that throws CONFIG_UNAPPROVED: each call
 * fails exactly where it would use that setting (a submission its verifyCommand, a landing its gateCommand
 * or targetBranch) before running or moving anything, and calls that never read it keep working.
 */
export function guardUnapproved(settings: WorktreeSettings, unapproved: readonly SettingState[], dataDir: string, project: Project): WorktreeSettings {
  for (const state of unapproved) {
    if (!(state.setting in SETTINGS_FIELD)) continue;
    Object.defineProperty(settings, SETTINGS_FIELD[state.setting as keyof typeof SETTINGS_FIELD], {
      enumerable: true,
      get: () => {
        throw unapprovedSetting(dataDir, project, state);
      },
    });
  }
  return settings;
}

export function unapprovedSetting(dataDir: string, project: Project, state: SettingState): DomainError {
  const file = join(project.root, PROJECT_CONFIG_FILE);
  const command = approveCommand(dataDir, project);
  return new DomainError(
    'CONFIG_UNAPPROVED',
    `${file} sets ${state.setting} to ${JSON.stringify(state.value)}, which no human has approved (it ${APPROVAL_REQUIRED[state.setting]})`,
    `Nothing ran. Tell the human a setting awaits approval: they review it and run \`${command}\` in a terminal; then retry.`,
    { setting: state.setting, value: state.value, command },
  );
}

/** JSON of the value: exact, and ready for settings that are not strings (lists, objects). */
function valueHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

async function readRecord(dataDir: string): Promise<ApprovalRecord> {
  const file = approvalFile(dataDir);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ApprovalRecord;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    if (error instanceof SyntaxError) {
      throw new DomainError('CONFIG_INVALID', `${file} is not valid JSON: ${error.message}`, `Ask the human to delete ${file} and approve again.`);
    }
    throw error;
  }
}

/** Read-modify-write under a cross-process lock, written by temp file + rename: two approvals never lose one. */
async function updateRecord(dataDir: string, change: (record: ApprovalRecord) => void): Promise<void> {
  const file = approvalFile(dataDir);
  await mkdir(dataDir, { recursive: true });
  const lock = await acquireFileLock(`${file}.lock`);
  try {
    const record = await readRecord(dataDir);
    change(record);
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, file);
  } finally {
    await lock.release();
  }
}

/** A path as one sh word, quoted only when it needs to be, so the printed command can be pasted. */
function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : shellQuote(path);
}
