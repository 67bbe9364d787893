// The JSON store's document on disk. Each write goes to a temp file unique to the writer and is renamed
// over the document, so a reader or a writer killed at any instant leaves the old or the new document,
// never a mix. Every document starts with a stamp unique to its write: a process keeps the document it
// last read or wrote and, while the file's first bytes still carry that stamp, uses it without reading
// or parsing the rest.
//
// Durability: no fsync, like the reference's lowdb. A crashed process loses nothing it committed; a power
// loss or kernel crash may lose the last seconds of writes, and on file systems that do not order a
// rename after the data it replaces (ext4 does, with its default auto_da_alloc) may leave an empty
// document, refused as STORE_CORRUPT. Use the SQLite backend where that matters.

import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { DomainError } from '../core/errors.js';
import { TABLE_NAMES, type TableName, type Tables } from './rows.js';
import { writerTempPath } from '../../git/writer-temps.js';

/** Bumped whenever the document's shape changes; a newer document is refused, never guessed at. */
export const JSON_STORE_VERSION = 1;

export interface CounterRow {
  project: string;
  name: string;
  value: number;
}

export interface JsonDocument {
  version: number;
  tables: { [T in TableName]: Tables[T][] };
  counters: CounterRow[];
}

export function emptyDocument(): JsonDocument {
  const tables = Object.fromEntries(TABLE_NAMES.map((table) => [table, []]));
  return { version: JSON_STORE_VERSION, tables: tables as unknown as JsonDocument['tables'], counters: [] };
}

const STAMP_PREFIX = '{"stamp":"';
/** The prefix, a UUID and its closing quote. */
const HEAD_BYTES = STAMP_PREFIX.length + 37;

export class JsonDocumentFile {
  /** The document as this process last read or wrote it, with the stamp of that write. */
  private known: { stamp: string; document: JsonDocument } | undefined;
  /** How many times the file was found written by someone else: Store.foreignVersion. */
  private foreignWrites = 0;

  constructor(readonly file: string) {}

  /**
   * Runs `use` on the committed document (an empty one when there is no file yet). It runs in the same
   * turn as the check that the document is current, so no transaction can change it underneath.
   */
  read<R>(use: (document: JsonDocument) => R): R {
    return use(this.current() ?? emptyDocument());
  }

  /** The current document for a transaction to change: no later read is handed this object. */
  take(): { document: JsonDocument; giveBack(): void } {
    const document = this.current() ?? emptyDocument();
    const known = this.known;
    this.known = undefined;
    // A transaction that changed nothing hands the document back, still the one its stamp names.
    return { document, giveBack: () => void (this.known ??= known) };
  }

  /** Writes the document under a fresh stamp (temp file + rename) and keeps it as the known one. */
  save(document: JsonDocument): void {
    const stamp = randomUUID();
    // Named by writerTempPath so the temps of a killed writer are recognised and removed at open.
    const temp = writerTempPath(this.file);
    try {
      writeFileSync(temp, serializeDocument(document, stamp), { flag: 'wx' });
      renameSync(temp, this.file);
    } catch (error) {
      try {
        unlinkSync(temp);
      } catch {
        // never created, or already renamed
      }
      throw error;
    }
    this.known = { stamp, document };
  }

  foreignVersion(): number {
    const head = this.head();
    if (head === undefined || head !== this.known?.stamp) this.foreignWrites++;
    return this.foreignWrites;
  }

  /** The stamp the file starts with now, undefined when it has none (or no file). */
  private head(): string | undefined {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      return this.stampAt(fd);
    } finally {
      closeSync(fd);
    }
  }

  private stampAt(fd: number): string | undefined {
    const head = Buffer.alloc(HEAD_BYTES);
    return stampOf(head.toString('utf8', 0, readSync(fd, head, 0, HEAD_BYTES, 0)));
  }

  /** Reads and checks the file now: how opening the store refuses a corrupt or newer file. */
  check(): void {
    this.known = undefined;
    this.current();
  }

  private current(): JsonDocument | null {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      const stamp = this.stampAt(fd);
      if (stamp !== undefined && stamp === this.known?.stamp) return this.known.document;
      this.foreignWrites++;
      // The same descriptor: the rest belongs to the very document whose head was just read.
      // readSync at an explicit position left the descriptor's own at 0: this reads the whole file.
      const document = parseDocument(this.file, readFileSync(fd, 'utf8'));
      this.known = stamp === undefined ? undefined : { stamp, document };
      return document;
    } finally {
      closeSync(fd);
    }
  }
}
function stampOf(head: string): string | undefined {
  return head.startsWith(STAMP_PREFIX) && head.endsWith('"') ? head.slice(STAMP_PREFIX.length, -1) : undefined;
}

/**
 * The stamp first, then one row per line: a file a person can still read and grep, at the cost of
 * compact JSON (indenting every field made it larger and slower to write).
 */
function serializeDocument(document: JsonDocument, stamp: string): string {
  const rows = (list: readonly object[]) => (list.length === 0 ? '[]' : `[\n${list.map((row) => JSON.stringify(row)).join(',\n')}\n]`);
  const tables = TABLE_NAMES.map((table) => `${JSON.stringify(table)}:${rows(document.tables[table])}`).join(',\n');
  return `${STAMP_PREFIX}${stamp}","version":${document.version},\n"tables":{\n${tables}},\n"counters":${rows(document.counters)}}\n`;
}

function parseDocument(file: string, text: string): JsonDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw corrupt(file, `is not valid JSON (${(error as Error).message})`);
  }
  const document = value as Partial<JsonDocument> | null;
  if (typeof document?.version === 'number' && document.version > JSON_STORE_VERSION) {
    throw new DomainError(
      'STORE_CORRUPT',
      `the store ${file} has format version ${document.version}, newer than this lockstep-mcp understands (${JSON_STORE_VERSION})`,
      'Upgrade lockstep-mcp, or use another --db-path.',
    );
  }
  addLaterTables(document);
  const problem = shapeProblem(document);
  if (problem) throw corrupt(file, problem);
  delete (document as { stamp?: unknown }).stamp; // it names the write, not part of the data
  return document as JsonDocument;
}

/** Tables added after version 1 of the document; a document written before them has none yet. */
const LATER_TABLES: readonly TableName[] = ['admissions', 'tokens', 'comments'];

function addLaterTables(document: Partial<JsonDocument> | null): void {
  const tables = document?.tables as Record<string, unknown> | undefined;
  if (tables === null || typeof tables !== 'object') return;
  for (const table of LATER_TABLES) tables[table] ??= [];
}

function shapeProblem(document: Partial<JsonDocument> | null): string | undefined {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return 'is not a JSON object';
  if (document.version !== JSON_STORE_VERSION) return `has no valid version (found ${JSON.stringify(document.version)})`;
  const tables = document.tables as Record<string, unknown> | undefined;
  if (tables === null || typeof tables !== 'object') return 'has no tables object';
  const broken = TABLE_NAMES.find((table) => !isRowArray(tables[table]));
  if (broken) return `has no valid "${broken}" table`;
  if (!isRowArray(document.counters)) return 'has no valid counters';
  return undefined;
}

function isRowArray(value: unknown): boolean {
  return Array.isArray(value) && value.every((row) => row !== null && typeof row === 'object' && !Array.isArray(row));
}

function corrupt(file: string, problem: string): DomainError {
  return new DomainError(
    'STORE_CORRUPT',
    `the store ${file} ${problem}`,
    'Restore the file from a backup or point --db-path at another one; the file was left untouched.',
  );
}
