// What only the JSON backend has to get right: its lock file (waiting, stale-owner recovery, breaking
// safely) and its document on disk (versioned, written whole, never overwritten when unreadable).

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { JSON_STORE_VERSION } from '../../src/store/json-file.js';
import { openJsonStore } from '../../src/store/json.js';
import type { FileLockOptions } from '../../git/file-lock.js';

const P = '/projects/alpha';

afterAll(removeTempDirs);

function storeFile(): string {
  return join(makeTempDir('lockstep-json-'), 'store.json');
}

function lockContent(overrides: Partial<{ pid: number; host: string; acquiredAt: number; nonce: string }> = {}) {
  return JSON.stringify({ pid: process.pid, host: hostname(), acquiredAt: Date.now(), nonce: 'other', ...overrides });
}

/** A pid that surely belonged to a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

function ageFile(path: string, ms: number): void {
  const past = new Date(Date.now() - ms);
  utimesSync(path, past, past);
}

async function increment(file: string, options: Partial<FileLockOptions> = {}): Promise<number> {
  return openJsonStore(file, options).write(P, (tx) => tx.nextId('n'));
}

describe('the JSON store document', () => {
  it('is readable, versioned JSON that holds every table and counter', async () => {
    const file = storeFile();
    await increment(file);
    const document = JSON.parse(readFileSync(file, 'utf8'));
    expect(document.version).toBe(JSON_STORE_VERSION);
    expect(Object.keys(document.tables)).toContain('tasks');
    expect(document.counters).toEqual([{ project: P, name: 'n', value: 1 }]);
  });

  it('leaves neither a lock file nor a temp file behind after writes', async () => {
    const file = storeFile();
    await increment(file);
    await expect(openJsonStore(file).write(P, () => { throw new Error('no'); })).rejects.toThrow('no');
    expect(readdirSync(join(file, '..'))).toEqual(['store.json']);
  });

  it('does not rewrite the file for a transaction that changed nothing', async () => {
    const file = storeFile();
    await increment(file);
    ageFile(file, 60_000);
    const before = readFileSync(file, 'utf8');
    const mtime = statSync(file).mtimeMs;
    await openJsonStore(file).write(P, (tx) => tx.update('tasks', { id: 1 }, { owner: 'ann' }));
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(statSync(file).mtimeMs).toBe(mtime);
  });

  it('starts with the stamp of its write and keeps one row per line', async () => {
    const file = storeFile();
    const store = openJsonStore(file);
    await store.write(P, (tx) => tx.insert('notes', { id: 1, author: 'ann', to: null, text: 'a', createdAt: 0 }));
    const first = readFileSync(file, 'utf8');
    await store.write(P, (tx) => tx.insert('notes', { id: 2, author: 'ann', to: null, text: 'b', createdAt: 0 }));
    const second = readFileSync(file, 'utf8');
    const stamp = (text: string) => /^\{"stamp":"([0-9a-f-]{36})"/.exec(text)?.[1];
    expect(stamp(first)).toBeDefined();
    expect(stamp(second)).not.toBe(stamp(first));
    expect(second.split('\n').filter((line) => line.includes('"author":"ann"'))).toHaveLength(2);
    expect(JSON.parse(second).tables.notes.map((note: { text: string }) => note.text)).toEqual(['a', 'b']);
  });

  it("sees another process's write at once, and never a transaction that was rolled back", async () => {
    const file = storeFile();
    const mine = openJsonStore(file);
    const theirs = openJsonStore(file);
    const texts = () =>
      mine.read(P, function* (tx) {
        return (yield* tx.find('notes', { orderBy: 'id' })).map((note) => note.text);
      });
    await mine.write(P, (tx) => tx.insert('notes', { id: 1, author: 'ann', to: null, text: 'mine', createdAt: 0 }));
    expect(await texts()).toEqual(['mine']);
    await theirs.write(P, (tx) => tx.update('notes', { id: 1 }, { text: 'theirs' }));
    expect(await texts()).toEqual(['theirs']);
    // The same length as before, written within the same clock tick: only the stamp tells them apart.
    await theirs.write(P, (tx) => tx.update('notes', { id: 1 }, { text: 'THEIRS' }));
    expect(await texts()).toEqual(['THEIRS']);
    const failing = mine.write(P, function* (tx) {
      yield* tx.insert('notes', { id: 2, author: 'ann', to: null, text: 'lost', createdAt: 0 });
      throw new Error('rolled back');
    });
    await expect(failing).rejects.toThrow('rolled back');
    expect(await texts()).toEqual(['THEIRS']);
  });

  it.each([
    ['an array', '[]'],
    ['a document without version', JSON.stringify({ tables: {}, counters: [] })],
    ['a document missing a table', JSON.stringify({ version: JSON_STORE_VERSION, tables: { tasks: [] }, counters: [] })],
    ['an empty file', ''],
  ])('refuses %s with STORE_CORRUPT and leaves it untouched', (_, content) => {
    const file = storeFile();
    writeFileSync(file, content);
    expect(() => openJsonStore(file)).toThrow(expect.objectContaining({ code: 'STORE_CORRUPT' }));
    expect(readFileSync(file, 'utf8')).toBe(content);
  });

  it('fails the next transaction when the file is corrupted after opening, and never overwrites it', async () => {
    const file = storeFile();
    const store = openJsonStore(file);
    await store.write(P, (tx) => tx.nextId('n'));
    writeFileSync(file, '{ "version": 1, oops');
    await expect(store.write(P, (tx) => tx.nextId('n'))).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    await expect(store.read(P, (tx) => tx.count('tasks'))).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    expect(readFileSync(file, 'utf8')).toBe('{ "version": 1, oops');
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('writes nothing when its lock was broken while the transaction ran', async () => {
    const file = storeFile();
    await increment(file);
    const before = readFileSync(file, 'utf8');
    const attempt = openJsonStore(file).write(P, function* (tx) {
      yield* tx.nextId('n');
      writeFileSync(`${file}.lock`, lockContent({ nonce: 'the-breaker' })); // what a breaker would leave
    });
    await expect(attempt).rejects.toMatchObject({ code: 'STORE_BUSY' });
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readFileSync(`${file}.lock`, 'utf8')).toContain('the-breaker'); // someone else's lock survives
  });
});

describe('the JSON store lock', () => {
  it('makes writers wait for a live lock and fail with STORE_BUSY naming the holder', async () => {
    const file = storeFile();
    writeFileSync(`${file}.lock`, lockContent());
    const started = Date.now();
    const attempt = increment(file, { timeoutMs: 300 });
    await expect(attempt).rejects.toMatchObject({ code: 'STORE_BUSY', details: { pid: process.pid } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(existsSync(file)).toBe(false);
  });

  it('lets a waiting writer proceed as soon as the lock is released', async () => {
    const file = storeFile();
    writeFileSync(`${file}.lock`, lockContent());
    setTimeout(() => unlinkSync(`${file}.lock`), 100);
    expect(await increment(file, { timeoutMs: 5_000 })).toBe(1);
  });

  it('breaks a lock whose process died on this host', async () => {
    const file = storeFile();
    writeFileSync(`${file}.lock`, lockContent({ pid: deadPid() }));
    expect(await increment(file, { timeoutMs: 300 })).toBe(1);
  });

  it('keeps a lock of a pid on another host until it is old, then breaks it', async () => {
    const file = storeFile();
    writeFileSync(`${file}.lock`, lockContent({ pid: deadPid(), host: 'elsewhere.example' }));
    await expect(increment(file, { timeoutMs: 200 })).rejects.toMatchObject({ code: 'STORE_BUSY' });
    writeFileSync(`${file}.lock`, lockContent({ host: 'elsewhere.example', acquiredAt: Date.now() - 31_000 }));
    expect(await increment(file, { timeoutMs: 200 })).toBe(1);
  });

  it('breaks a lock file without an owner record (an older version killed mid-create) after seconds, not staleAfterMs', async () => {
    const file = storeFile();
    writeFileSync(`${file}.lock`, '');
    await expect(increment(file, { timeoutMs: 200 })).rejects.toMatchObject({ code: 'STORE_BUSY' });
    ageFile(`${file}.lock`, 3_000);
    expect(await increment(file, { timeoutMs: 200 })).toBe(1);
  });

  it('removes the temp files of killed writers when opened, and keeps those of live ones', async () => {
    const file = storeFile();
    const dead = `${file}.${deadPid()}-0badc0de.tmp`;
    const live = `${file}.${process.pid}-1234abcd.tmp`;
    writeFileSync(dead, '{"half": "a docu');
    writeFileSync(live, 'still being written');
    openJsonStore(file);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });

  it('clears a break guard abandoned by a crashed breaker', async () => {
    const file = storeFile();
    writeFileSync(`${file}.lock`, lockContent({ pid: deadPid() }));
    writeFileSync(`${file}.lock.break`, lockContent({ pid: deadPid() }));
    ageFile(`${file}.lock.break`, 10_000);
    expect(await increment(file, { timeoutMs: 1_000 })).toBe(1);
    expect(existsSync(`${file}.lock.break`)).toBe(false);
  });

  it('serialises read-modify-write transactions from one process and from two stores on one file', async () => {
    const file = storeFile();
    const first = openJsonStore(file);
    const second = openJsonStore(file);
    await first.write(P, (tx) => tx.insert('notes', { id: 1, author: 'ann', to: null, text: '0', createdAt: 0 }));
    const bump = (store: typeof first) =>
      store.write(P, function* (tx) {
        const seen = Number((yield* tx.one('notes', { id: 1 }))!.text);
        yield* tx.update('notes', { id: 1 }, { text: String(seen + 1) });
      });
    await Promise.all(Array.from({ length: 40 }, (_, i) => bump(i % 2 ? first : second)));
    expect((await first.read(P, (tx) => tx.one('notes', { id: 1 })))!.text).toBe('40');
  });
});
