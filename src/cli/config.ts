// `lockstep-mcp config status|approve|revoke`: the human's side of project-config approval. Approving
// needs a person at a terminal, so an agent running this command (command_run, its own shell) cannot
// grant what the approval exists to withhold.

import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { mainWorktreeRoot } from '../../git/project-root.js';
import { loadConfig } from '../config.js';
import { DomainError } from '../core/errors.js';
import {
  APPROVAL_REQUIRED,
  approvalFile,
  approveSettings,
  configApprovalStates,
  isGuardedSetting,
  revokeSettings,
  type SettingState,
} from '../domain/config-approval.js';
import type { Project } from '../domain/context.js';
import { PROJECT_CONFIG_FILE } from '../domain/project-config.js';
import { FAILED, OK, say, shortPath } from './output.js';

export interface ConfigFlags {
  project?: string;
  dataDir?: string;
}

const ACTIONS = ['status', 'approve', 'revoke'] as const;

export async function runConfig(action: string, settings: string[], flags: ConfigFlags): Promise<void> {
  const { dataDir } = loadConfig({ dataDir: flags.dataDir });
  const root = await mainWorktreeRoot(flags.project ?? process.cwd());
  const project: Project = { id: root, root };
  if (action === 'status') return printStatus(dataDir, project);
  if (action === 'approve') return approve(dataDir, project);
  if (action === 'revoke') return revoke(dataDir, project, settings);
  throw new DomainError('INVALID_INPUT', `unknown config action "${action}"`, `Use one of: ${ACTIONS.join(', ')}.`);
}

async function printStatus(dataDir: string, project: Project): Promise<void> {
  const states = await configApprovalStates(dataDir, project);
  say(`Project config ${shortPath(join(project.root, PROJECT_CONFIG_FILE))}`);
  if (states.length === 0) say('  no setting that needs approval is set');
  for (const state of states) say(stateLine(state));
  say(`Approvals are kept in ${shortPath(approvalFile(dataDir))}`);
  if (states.some((state) => !state.approved)) {
    say('Unapproved settings are not used: the calls that need them fail with CONFIG_UNAPPROVED. Run lockstep-mcp config approve.');
    process.exitCode = 1;
  }
}

/** Shows exactly the values it will approve, asks, and approves those values (not whatever the file says by then). */
async function approve(dataDir: string, project: Project): Promise<void> {
  const pending = (await configApprovalStates(dataDir, project)).filter((state) => !state.approved);
  if (pending.length === 0) {
    say(`Nothing to approve in ${shortPath(join(project.root, PROJECT_CONFIG_FILE))}.`);
    return;
  }
  say(`${shortPath(join(project.root, PROJECT_CONFIG_FILE))} sets, without your approval:`);
  for (const state of pending) say(`  ${state.setting} = ${JSON.stringify(state.value)}\n      ${APPROVAL_REQUIRED[state.setting]}`);
  if (!(await confirmAtTerminal('Approve these exact values? [y/N] '))) {
    say('Nothing approved.');
    process.exitCode = 1;
    return;
  }
  await approveSettings(dataDir, project, pending);
  say(`${OK} Approved ${pending.map((state) => state.setting).join(', ')}. A changed value needs a new approval.`);
}

async function revoke(dataDir: string, project: Project, names: string[]): Promise<void> {
  const unknown = names.filter((name) => !isGuardedSetting(name));
  if (unknown.length > 0) {
    throw new DomainError('INVALID_INPUT', `not a setting that needs approval: ${unknown.join(', ')}`, `Name some of: ${Object.keys(APPROVAL_REQUIRED).join(', ')}.`);
  }
  const revoked = await revokeSettings(dataDir, project, names.length > 0 ? names.filter(isGuardedSetting) : undefined);
  say(revoked.length > 0 ? `Revoked ${revoked.join(', ')}.` : 'No approval to revoke.');
}

function stateLine(state: SettingState): string {
  const mark = state.approved ? `${OK} approved    ` : `${FAILED} NOT approved`;
  return `  ${mark}  ${state.setting.padEnd(14)} ${JSON.stringify(state.value)}`;
}

async function confirmAtTerminal(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new DomainError(
      'CONFIG_UNAPPROVED',
      'approving project settings needs a person at a terminal, and stdin is not one; nothing was approved',
      'A human runs lockstep-mcp config approve in an interactive shell.',
    );
  }
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await prompt.question(question)).trim());
  } finally {
    prompt.close();
  }
}
