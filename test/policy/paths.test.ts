import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { displayPath, projectPathPolicy, resolveInsideFolder, resolvePath, type PathPolicy } from '../../src/policy/paths.js';

let root: string;
let outside: string;
let strict: PathPolicy;
const open: PathPolicy = { confined: false, roots: [] };

beforeAll(() => {
  root = makeTempDir('lockstep-root-');
  outside = makeTempDir('lockstep-outside-');
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src', 'a.ts'), 'a');
  writeFileSync(join(outside, 'secret.txt'), 'secret');
  symlinkSync(outside, join(root, 'escape'));
  symlinkSync(join(outside, 'not-yet.txt'), join(root, 'dangling'));
  symlinkSync(join(root, 'src'), join(root, 'inner'));
  strict = { confined: true, roots: [root] };
});

afterAll(() => removeTempDirs());

const refused = { code: 'PATH_OUTSIDE_ROOTS' };

describe('strict containment', () => {
  it('resolves relative paths against the base and allows them inside the root', async () => {
    expect(await resolvePath('src/a.ts', root, strict)).toBe(join(root, 'src', 'a.ts'));
    expect(await resolvePath('src/new/file.ts', root, strict)).toBe(join(root, 'src', 'new', 'file.ts'));
  });

  it('follows a symlink that stays inside the root', async () => {
    expect(await resolvePath('inner/a.ts', root, strict)).toBe(join(root, 'src', 'a.ts'));
  });

  it('refuses a symlink inside the root that points outside, for existing and new files', async () => {
    await expect(resolvePath('escape/secret.txt', root, strict)).rejects.toMatchObject(refused);
    await expect(resolvePath('escape/new.txt', root, strict)).rejects.toMatchObject(refused);
  });

  it('refuses a dangling symlink whose target lies outside', async () => {
    await expect(resolvePath('dangling', root, strict)).rejects.toMatchObject(refused);
  });

  it('refuses .. that climbs out of the root', async () => {
    await expect(resolvePath('../', root, strict)).rejects.toMatchObject(refused);
    await expect(resolvePath('src/../../x.txt', root, strict)).rejects.toMatchObject(refused);
  });

  it('refuses .. after a directory that does not exist', async () => {
    await expect(resolvePath('missing/../../x', root, strict)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('refuses an absolute path outside and names the allowed roots', async () => {
    const error = await resolvePath(join(outside, 'secret.txt'), root, strict).catch((e: unknown) => e);
    expect(error).toMatchObject(refused);
    expect((error as Error).message).toContain(root);
  });

  it('realpaths the roots themselves', async () => {
    const viaLink = { confined: true, roots: [join(root, 'inner')] };
    expect(await resolvePath(join(root, 'src', 'a.ts'), '/', viaLink)).toBe(join(root, 'src', 'a.ts'));
  });
});

describe('the project policy', () => {
  const store = { dataDir: '/data', dbPath: '/data/store.db' };

  it('confines strict mode to the project root (or --roots) plus the extra roots it is given', () => {
    expect(projectPathPolicy({ mode: 'strict', roots: [], ...store }, root, [outside])).toMatchObject({ confined: true, roots: [root, outside] });
    expect(projectPathPolicy({ mode: 'strict', roots: [outside], ...store }, root)).toMatchObject({ confined: true, roots: [outside] });
    expect(projectPathPolicy({ mode: 'open', roots: [], ...store }, root, [outside])).toMatchObject({ confined: false });
  });

  it('fences the store off even when --roots contain it, except a root inside it (the own worktree folder)', async () => {
    const dataDir = join(outside, 'data');
    const ownFolder = join(dataDir, 'worktrees', 'mine');
    mkdirSync(ownFolder, { recursive: true });
    const dbPath = join(outside, 'coord.db');
    const policy = projectPathPolicy({ mode: 'strict', roots: [outside], dataDir, dbPath }, root, [ownFolder]);
    for (const path of [join(dataDir, 'store.db'), join(dataDir, 'worktrees', 'theirs', 'x'), dbPath, `${dbPath}-wal`, dataDir]) {
      await expect(resolvePath(path, root, policy)).rejects.toMatchObject({ code: 'PATH_PROTECTED' });
    }
    expect(await resolvePath(join(ownFolder, 'x.ts'), root, policy)).toBe(join(ownFolder, 'x.ts'));
    expect(await resolvePath(join(outside, 'secret.txt'), root, policy)).toBe(join(outside, 'secret.txt'));
  });
});

describe('open mode', () => {
  it('allows any path but still resolves symlinks', async () => {
    expect(await resolvePath('escape/secret.txt', root, open)).toBe(join(outside, 'secret.txt'));
  });
});

describe('folder-relative paths (artifacts)', () => {
  it('allows a relative path inside the folder', async () => {
    expect(await resolveInsideFolder('reports/a.md', root)).toBe(join(root, 'reports', 'a.md'));
  });

  it('refuses absolute paths, .. segments and symlinks leading out', async () => {
    await expect(resolveInsideFolder('/etc/passwd', root)).rejects.toMatchObject(refused);
    await expect(resolveInsideFolder('a/../../x', root)).rejects.toMatchObject(refused);
    await expect(resolveInsideFolder('escape/secret.txt', root)).rejects.toMatchObject(refused);
  });
});

describe('display paths', () => {
  it('shows paths inside the root relative to it in POSIX form, others absolute', () => {
    expect(displayPath(join(root, 'src', 'a.ts'), root)).toBe('src/a.ts');
    expect(displayPath(join(outside, 'x'), root)).toBe(join(outside, 'x'));
    expect(displayPath(`${root}-sibling/x`, root)).toBe(`${root}-sibling/x`);
  });
});
