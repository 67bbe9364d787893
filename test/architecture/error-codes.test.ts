// The error codes are a contract with agents: the README lists exactly the codes the server can
// answer with, and every declared code is raised somewhere.

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/core/errors.js';

const repo = resolve(import.meta.dirname, '../..');

function documentedCodes(): string[] {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const list = /^Codes: ([\s\S]*?)\. Expected outcomes/m.exec(readme);
  if (!list) throw new Error('README.md has no "Codes: …. Expected outcomes" paragraph');
  return [...list[1]!.matchAll(/`([A-Z_]+)`/g)].map((match) => match[1]!);
}

function sourceText(dir: string): string {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'))
    .join('\n');
}

describe('error codes', () => {
  it('the README lists every code, once, and nothing else', () => {
    const documented = documentedCodes();
    expect(new Set(documented).size).toBe(documented.length);
    expect([...documented].sort()).toEqual([...ERROR_CODES].sort());
  });

  it('every declared code is raised somewhere in the source', () => {
    const source = sourceText(join(repo, 'src')).replace(readFileSync(join(repo, 'src/core/errors.ts'), 'utf8'), '');
    expect(ERROR_CODES.filter((code) => !source.includes(`'${code}'`))).toEqual([]);
  });
});
