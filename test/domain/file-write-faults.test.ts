import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../fixtures/app.js';
import { makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { fileError } from '../../src/domain/file-errors.js';

let t: TestApp;

beforeEach(async () => {
  t = await makeTestApp({ settings: { mode: 'strict' } });
});

afterEach(() => t.app.close());
afterAll(() => removeTempDirs());

describe('file names at the limit', () => {
  it('writes a file whose name is 255 bytes, the most the file system allows', async () => {
    const name = `${'é'.repeat(125)}a.txt`; // 250 + 5 bytes
    expect(Buffer.byteLength(name)).toBe(255);
    expect(await t.app.files.write(t.caller(), { path: name, content: 'x' })).toEqual({ path: name, bytes: 1 });
    expect(readFileSync(join(t.repo, name), 'utf8')).toBe('x');
    expect(readdirSync(t.repo).filter((entry) => entry.endsWith('.tmp'))).toEqual([]);
  });

  it('says NAME_TOO_LONG, not INTERNAL, for a name past the limit, reading or writing', async () => {
    const name = 'a'.repeat(256);
    await expect(t.app.files.write(t.caller(), { path: name, content: 'x' })).rejects.toMatchObject({ code: 'NAME_TOO_LONG' });
    await expect(t.app.files.write(t.caller(), { path: `${name}/x`, content: 'x', createDirs: true })).rejects.toMatchObject({ code: 'NAME_TOO_LONG' });
    await expect(t.app.files.read(t.caller(), { path: name })).rejects.toMatchObject({ code: 'NAME_TOO_LONG' });
  });
});

describe('a full disk', () => {
  it('says DISK_FULL when the device refuses the bytes (a real ENOSPC from /dev/full)', async () => {
    const open = await makeTestApp({ settings: { mode: 'open' } });
    const error = await open.app.files.write(open.caller(), { path: '/dev/full', content: 'x', mode: 'append' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DISK_FULL', next: expect.stringMatching(/space/) });
    open.app.close();
  });

  it('maps a quota error (EDQUOT) like a full disk', () => {
    const quota = Object.assign(new Error('EDQUOT: disk quota exceeded, write'), { code: 'EDQUOT' });
    expect(fileError(quota, 'big.bin')).toMatchObject({ code: 'DISK_FULL', details: { path: 'big.bin' } });
  });

  // A tiny tmpfs is the one honest way to fill a disk during an overwrite; mounting needs root.
  it.runIf(process.getuid?.() === 0 && canMount())('keeps the old file whole, with no temp file or partial append, when a write runs out of space', async () => {
    const disk = mountTinyDisk();
    try {
      const open = await makeTestApp({ settings: { mode: 'open' } });
      writeFileSync(join(disk, 'old.txt'), 'old');
      const big = 'x'.repeat(64 * 1024);
      const error = await open.app.files.write(open.caller(), { path: join(disk, 'old.txt'), content: big }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'DISK_FULL' });
      expect(readFileSync(join(disk, 'old.txt'), 'utf8')).toBe('old');
      expect(readdirSync(disk)).toEqual(['old.txt']);
      const append = await open.app.files.write(open.caller(), { path: join(disk, 'old.txt'), content: big, mode: 'append' }).catch((e: unknown) => e);
      expect(append).toMatchObject({ code: 'DISK_FULL' });
      expect(readFileSync(join(disk, 'old.txt'), 'utf8')).toBe('old');
      open.app.close();
    } finally {
      execFileSync('umount', [disk]);
    }
  });
});

function canMount(): boolean {
  try {
    execFileSync('umount', [mountTinyDisk()]);
    return true;
  } catch {
    return false;
  }
}

function mountTinyDisk(): string {
  const dir = makeTempDir('lockstep-disk-');
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', dir], { stdio: 'ignore' });
  return dir;
}
