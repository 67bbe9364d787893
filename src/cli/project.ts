// `lockstep-mcp init`, `enable` and `disable` for the project the shell is in.

import { basename } from 'node:path';
import { mainWorktreeRoot } from '../../git/project-root.js';
import { INSTRUCTION_FILES } from '../integration/agent-instructions.js';
import { disableProject, enableProject, type InstructionChange, type ProjectSetup } from '../integration/project-setup.js';
import { say, shortPath } from './output.js';

const CHANGE_TEXT: Record<InstructionChange, string> = {
  created: 'created, with the lockstep instructions',
  updated: 'lockstep instructions written',
  unchanged: 'lockstep instructions already current',
  removed: 'lockstep instructions removed',
  deleted: 'deleted (lockstep had created it)',
  absent: 'had no lockstep instructions',
};

export async function runEnable(): Promise<void> {
  const setup = await enableProject(await mainWorktreeRoot(process.cwd()));
  printSetup(setup, 'enabled');
  say(`Next: start Claude Code or Codex in this repository and tell one agent "you are the planner",`);
  say(`the others "you are an implementer". ${INSTRUCTION_FILES.join(' and ')} tell them the rest.`);
}

export async function runDisable(): Promise<void> {
  const setup = await disableProject(await mainWorktreeRoot(process.cwd()));
  printSetup(setup, 'disabled');
  say('Agents that call coordination_init here are now told coordination is off. lockstep-mcp enable turns it back on.');
}

function printSetup(setup: ProjectSetup, state: string): void {
  say(`Coordination ${state} in ${shortPath(setup.root)}`);
  for (const { file, change } of setup.files) say(`  ${basename(file).padEnd(10)} ${CHANGE_TEXT[change]}`);
}
