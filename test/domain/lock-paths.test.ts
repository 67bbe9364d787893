import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandBraces, matchesGlob, matchGlob } from '../../src/domain/glob.js';
import { locksOverlap, resolveLockTarget, type LockTarget } from '../../src/domain/lock-paths.js';
import { makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';

afterAll(removeTempDirs);

const file = (path: string): LockTarget => ({ path, kind: 'file' });
const dir = (path: string): LockTarget => ({ path, kind: 'dir' });
const glob = (path: string): LockTarget => ({ path, kind: 'glob' });

describe('resolveLockTarget', () => {
  const repo = makeRepo({ 'src/a.ts': '', 'src/api/users.ts': '', 'app/[id]/page.tsx': '' });
  const outside = makeTempDir('lockstep-outside-');
  symlinkSync(join(repo, 'src'), join(repo, 'alias'));
  symlinkSync(outside, join(repo, 'escape'));

  it('maps every spelling of one file to the same repo-relative path', () => {
    for (const spelling of ['src/a.ts', './src/a.ts', 'src//a.ts', `${repo}/src/a.ts`, 'src/./api/../a.ts', 'alias/a.ts']) {
      expect(resolveLockTarget(repo, spelling)).toEqual(file('src/a.ts'));
    }
  });

  it('treats existing directories and trailing slashes as directory locks', () => {
    expect(resolveLockTarget(repo, 'src/api')).toEqual(dir('src/api'));
    expect(resolveLockTarget(repo, 'src/new/')).toEqual(dir('src/new'));
    expect(resolveLockTarget(repo, 'src/new')).toEqual(file('src/new'));
  });

  it('locks the whole project only when "." or the root is named explicitly', () => {
    expect(resolveLockTarget(repo, '.')).toEqual(dir('.'));
    expect(resolveLockTarget(repo, repo)).toEqual(dir('.'));
    expect(() => resolveLockTarget(repo, '  ')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('normalises the literal prefix of a glob and keeps its pattern', () => {
    expect(resolveLockTarget(repo, './src//api/**')).toEqual(glob('src/api/**'));
    expect(resolveLockTarget(repo, 'alias/*.ts')).toEqual(glob('src/*.ts'));
    expect(resolveLockTarget(repo, '**/*.ts')).toEqual(glob('**/*.ts'));
  });

  it('treats an existing path with bracket characters as a literal file, not a glob', () => {
    expect(resolveLockTarget(repo, 'app/[id]/page.tsx')).toEqual(file('app/[id]/page.tsx'));
  });

  it('refuses paths outside the project: "..", absolute, and a symlink pointing out', () => {
    for (const escape of ['../x', 'src/../../x', '/etc/passwd', 'escape/secret.ts', 'escape', '../*.ts', '/*.ts']) {
      expect(() => resolveLockTarget(repo, escape), escape).toThrow(expect.objectContaining({ code: 'PATH_OUTSIDE_PROJECT' }));
    }
  });

  it('refuses malformed globs and ".." after a wildcard', () => {
    expect(() => resolveLockTarget(repo, 'src/[z-a].ts')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => resolveLockTarget(repo, 'src/*/../x')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('refuses globs with too many wildcards, too many characters or too many alternatives', () => {
    expect(() => resolveLockTarget(repo, `src/${'a*'.repeat(65)}`)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => resolveLockTarget(repo, `src/*/${`${'x'.repeat(100)}/`.repeat(11)}`)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => resolveLockTarget(repo, `src/${'{aaaaaaaa,bbbbbbbb}'.repeat(8)}/*`)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(resolveLockTarget(repo, `src/${'a*'.repeat(11)}c`)).toEqual(glob(`src/${'a*'.repeat(11)}c`));
  });

  it('resolves a not-yet-existing path below a symlinked directory through the link', () => {
    mkdirSync(join(repo, 'src', 'later'));
    expect(resolveLockTarget(repo, 'alias/later/new/file.ts')).toEqual(file('src/later/new/file.ts'));
  });
});

describe('matchesGlob', () => {
  it('keeps * and ? inside one segment', () => {
    expect(matchesGlob('src/*.ts', 'src/a.ts')).toBe(true);
    expect(matchesGlob('src/*.ts', 'src/api/a.ts')).toBe(false);
    expect(matchesGlob('src/?.ts', 'src/a.ts')).toBe(true);
    expect(matchesGlob('src/?.ts', 'src/ab.ts')).toBe(false);
  });

  it('lets ** span any number of segments, including none', () => {
    expect(matchesGlob('src/**', 'src/a.ts')).toBe(true);
    expect(matchesGlob('src/**', 'src/api/deep/a.ts')).toBe(true);
    expect(matchesGlob('src/**/*.ts', 'src/a.ts')).toBe(true);
    expect(matchesGlob('src/**/*.ts', 'src/x/y/a.ts')).toBe(true);
    expect(matchesGlob('**/*.ts', 'a.ts')).toBe(true);
    expect(matchesGlob('**/*.ts', 'a/b/c.ts')).toBe(true);
    expect(matchesGlob('**', 'anything/at/all')).toBe(true);
    expect(matchesGlob('src/**', 'lib/a.ts')).toBe(false);
    expect(matchesGlob('src/**/*.ts', 'src/a.js')).toBe(false);
  });

  it('supports character classes and brace alternatives', () => {
    expect(matchesGlob('src/[ab].ts', 'src/b.ts')).toBe(true);
    expect(matchesGlob('src/[!ab].ts', 'src/b.ts')).toBe(false);
    expect(matchesGlob('src/[!ab].ts', 'src/c.ts')).toBe(true);
    expect(matchesGlob('{src,lib}/**/*.{ts,js}', 'lib/x/a.js')).toBe(true);
    expect(matchesGlob('{src,lib}/**/*.{ts,js}', 'test/a.ts')).toBe(false);
    expect(expandBraces('a/{b,{c,d}}')).toHaveLength(3);
  });

  it('matches a glob built to make a backtracking matcher explode with work bounded by its length times the path length', () => {
    const path = `${'a'.repeat(40)}/${'a'.repeat(200)}`;
    for (const attack of [`${'a*'.repeat(11)}c`, `**/${'a*'.repeat(32)}c`, `${'**/a*'.repeat(20)}c`, `{x,${'a*'.repeat(30)}}c`]) {
      const { matched, steps } = matchGlob(attack, path);
      expect(matched, attack).toBe(false);
      expect(steps, attack).toBeLessThanOrEqual(2 * expandBraces(attack).length * (attack.length + 1) * (path.length + 1));
    }
    expect(matchGlob(`${'a*'.repeat(11)}c`, `${'a'.repeat(39)}c`).matched).toBe(true);
  });

  it('backtracks to the last star when an early greedy choice fails', () => {
    expect(matchesGlob('*ab*ab', 'xabyabab')).toBe(true);
    expect(matchesGlob('a/**/b/**/c', 'a/b/x/b/y/c')).toBe(true);
    expect(matchesGlob('a/**/b/*/c', 'a/b/b/x/c')).toBe(true);
    expect(matchesGlob('a/**/b/*/c', 'a/b/x/y/c')).toBe(false);
    expect(matchesGlob('src/[a-c]*.ts', 'src/beta.ts')).toBe(true);
    expect(matchesGlob('src/[a-c]*.ts', 'src/delta.ts')).toBe(false);
  });

  it('treats regex metacharacters in a glob literally', () => {
    expect(matchesGlob('src/a+b.(ts)', 'src/a+b.(ts)')).toBe(true);
    expect(matchesGlob('src/a.ts', 'src/aXts')).toBe(false);
  });
});

describe('locksOverlap', () => {
  it('conflicts a directory lock with every path under it, both ways', () => {
    expect(locksOverlap(dir('src'), file('src/a.ts'))).toBe(true);
    expect(locksOverlap(file('src/api/x.ts'), dir('src'))).toBe(true);
    expect(locksOverlap(dir('src'), dir('src/api'))).toBe(true);
    expect(locksOverlap(dir('src'), file('srcs/a.ts'))).toBe(false);
    expect(locksOverlap(dir('.'), file('anything.ts'))).toBe(true);
  });

  it('conflicts a glob with the files it matches, both ways', () => {
    expect(locksOverlap(glob('src/api/**'), file('src/api/users.ts'))).toBe(true);
    expect(locksOverlap(file('src/api/users.ts'), glob('src/api/**'))).toBe(true);
    expect(locksOverlap(glob('src/*.ts'), file('src/api/users.ts'))).toBe(false);
  });

  it('conflicts globs with directories and globs whose literal prefixes overlap', () => {
    expect(locksOverlap(glob('src/api/**'), dir('src'))).toBe(true);
    expect(locksOverlap(dir('src/api/v1'), glob('src/api/**'))).toBe(true);
    expect(locksOverlap(glob('src/**/*.ts'), glob('src/api/*.js'))).toBe(true);
    expect(locksOverlap(glob('**/*.md'), glob('src/*.ts'))).toBe(true);
    expect(locksOverlap(glob('src/*.ts'), glob('lib/*.ts'))).toBe(false);
    expect(locksOverlap(glob('src/*.ts'), dir('lib'))).toBe(false);
  });

  it('conflicts two files only when they are the same path', () => {
    expect(locksOverlap(file('src/a.ts'), file('src/a.ts'))).toBe(true);
    expect(locksOverlap(file('src/a.ts'), file('src/b.ts'))).toBe(false);
  });
});
