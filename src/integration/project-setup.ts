// init / enable / disable for one project: our instruction blocks in CLAUDE.md and AGENTS.md, and the
// `enabled` flag in .lockstep/config.json that the server reads when an agent calls coordination_init.

import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readProjectConfig, updateProjectConfig } from '../domain/project-config.js';
import { INSTRUCTION_FILES, withInstructions, withoutInstructions } from './agent-instructions.js';

export type InstructionChange = 'created' | 'updated' | 'unchanged' | 'removed' | 'deleted' | 'absent';

export interface ProjectSetup {
  root: string;
  enabled: boolean;
  files: { file: string; change: InstructionChange }[];
}

interface FileEdit {
  name: string;
  file: string;
  before: string | undefined;
  after: string | undefined;
}

/** Writes (or refreshes) our blocks, creating missing files, and marks coordination enabled. */
export async function enableProject(root: string): Promise<ProjectSetup> {
  const created = new Set((await readProjectConfig(root)).instructionFilesCreated);
  const files: ProjectSetup['files'] = [];
  for (const edit of await planEdits(root, (text, file) => withInstructions(text ?? '', file))) {
    if (edit.after !== edit.before) await writeFile(edit.file, edit.after!);
    if (edit.before === undefined) created.add(edit.name);
    files.push({ file: edit.file, change: edit.before === undefined ? 'created' : edit.after === edit.before ? 'unchanged' : 'updated' });
  }
  await updateProjectConfig(root, { enabled: true, instructionFilesCreated: listOrNothing(created) });
  return { root, enabled: true, files };
}

/** Removes our blocks (deleting the files we created that now hold nothing) and marks coordination off. */
export async function disableProject(root: string): Promise<ProjectSetup> {
  const created = new Set((await readProjectConfig(root)).instructionFilesCreated);
  const files: ProjectSetup['files'] = [];
  for (const { name, file, before, after } of await planEdits(root, (text, file) => text && withoutInstructions(text, file))) {
    if (after === before) {
      files.push({ file, change: 'absent' });
    } else if (after!.trim() === '' && created.has(name)) {
      await unlink(file);
      created.delete(name);
      files.push({ file, change: 'deleted' });
    } else {
      await writeFile(file, after!);
      files.push({ file, change: 'removed' });
    }
  }
  await updateProjectConfig(root, { enabled: false, instructionFilesCreated: listOrNothing(created) });
  return { root, enabled: false, files };
}

/** Every file's edit is worked out before any is written, so a damaged file stops the command cleanly. */
async function planEdits(root: string, edit: (text: string | undefined, file: string) => string | undefined): Promise<FileEdit[]> {
  const edits: FileEdit[] = [];
  for (const name of INSTRUCTION_FILES) {
    const file = join(root, name);
    const before = await readText(file);
    edits.push({ name, file, before, after: edit(before, file) });
  }
  return edits;
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function listOrNothing(names: Set<string>): string[] | undefined {
  return names.size > 0 ? [...names].sort() : undefined;
}
