// The demo's workspace: a small repository for the agents to work on and a data directory of its own
// (store, worktrees, logs), so a demo never touches the human's real lockstep state.

import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DomainError } from '../core/errors.js';
import { plainGit } from './plain-git.js';

export interface DemoWorkspace {
  root: string;
  repo: string;
  dataDir: string;
}

/** The greeter project the scripted agents extend: small enough to read in the diff view. */
const STARTING_FILES: Record<string, string> = {
  'README.md': '# greeter\n\nSays hello. The lockstep demo\'s agents teach it French, volume and farewells.\n',
  'src/settings.ts': "export const settings = { language: 'en', punctuation: '.' };\n",
  'src/greet.ts': [
    "import { settings } from './settings.js';",
    '',
    'export function greet(name: string): string {',
    "  return `Hello, ${name}${settings.punctuation}`;",
    '}',
    '',
  ].join('\n'),
};

export function makeWorkspace(dir?: string): DemoWorkspace {
  const root = dir ? emptyDirectory(resolve(dir)) : mkdtempSync(join(tmpdir(), 'lockstep-demo-'));
  const workspace = { root, repo: join(root, 'greeter'), dataDir: join(root, 'data') };
  writeFiles(workspace.repo, STARTING_FILES);
  plainGit(workspace.repo, ['init', '--quiet', '--initial-branch=main']);
  plainGit(workspace.repo, ['add', '-A']);
  plainGit(workspace.repo, ['commit', '--quiet', '-m', 'greeter: says hello']);
  return workspace;
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

function emptyDirectory(dir: string): string {
  mkdirSync(dir, { recursive: true });
  if (readdirSync(dir).length > 0) {
    throw new DomainError('INVALID_INPUT', `--dir ${dir} is not empty`, 'Pass a new or empty directory, or leave --dir out for a temporary one.');
  }
  return dir;
}
