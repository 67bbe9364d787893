// The layers point one way: adapters (MCP, dashboard, CLI, integration) → domain → store, policy, launch and git/
// → core. Every relative import in src/ and git/ is checked against that order.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../..');

/** Which layers each layer may import from (its own always allowed). */
const ALLOWED: Record<string, readonly string[]> = {
  'git': [],
  'src/core': [],
  // The store's JSON backend shares the git manager's cross-process file lock.
  'src/store': ['src/core', 'git'],
  // config.ts only for its types: which settings a policy reads.
  'src/policy': ['src/core', 'src/config.ts'],
  'src/launch': ['src/core', 'src/policy', 'src/server-name.ts', 'git'],
  'src/domain': ['src/core', 'src/store', 'src/policy', 'src/launch', 'git', 'src/config.ts', 'src/server-name.ts'],
  'src/mcp': ['src/core', 'src/domain', 'src/store', 'src/policy', 'src/launch', 'git', 'src/config.ts', 'src/server-name.ts', 'package.json'],
  'src/dashboard': ['src/core', 'src/domain', 'src/store', 'src/policy', 'src/launch', 'git', 'src/config.ts'],
  // The demo is an honest client: MCP tools over stdio and plain git, nothing of the server's insides.
  'src/demo': ['src/core'],
};

function layerOf(path: string): string | undefined {
  const rel = relative(repo, path).split(sep).join('/');
  return Object.keys(ALLOWED).find((layer) => rel === layer || rel.startsWith(`${layer}/`)) ?? (rel.startsWith('src/') || rel === 'package.json' ? rel.split('/').slice(0, 2).join('/') : rel);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((match) => resolve(dirname(file), match[1]!));
}

function violations(): string[] {
  const found: string[] = [];
  for (const file of [...sourceFiles(join(repo, 'src')), ...sourceFiles(join(repo, 'git'))]) {
    const from = layerOf(file)!;
    const allowed = ALLOWED[from];
    if (!allowed) continue; // top-level adapters (cli, integration) may import anything below them
    for (const target of relativeImports(file)) {
      const to = layerOf(target.replace(/\.js$/, '.ts'));
      if (to === from || allowed.includes(to!)) continue;
      found.push(`${relative(repo, file)} → ${relative(repo, target)}`);
    }
  }
  return found;
}

describe('layering', () => {
  it('no module imports from a layer above its own', () => {
    expect(violations()).toEqual([]);
  });

  it('the checker sees an upward import when one exists', () => {
    // Guards the check itself: the domain importing an adapter must be reported.
    expect(ALLOWED['src/domain']).not.toContain('src/mcp');
    expect(layerOf(join(repo, 'src/mcp/server.ts'))).toBe('src/mcp');
    expect(relativeImports(join(repo, 'src/mcp/server.ts')).some((path) => layerOf(path.replace(/\.js$/, '.ts')) === 'src/domain')).toBe(true);
  });
});
