// The JSON store's document on disk: a lowdb adapter that validates what it reads and writes durably.
// lowdb's own JSONFile (steno) shares one temp name between processes and never fsyncs, so this one
// writes a temp file unique to the writer, fsyncs it and renames it over the document: a reader sees
// the old or the new document, never a mix.

import { readFileSync } from 'node:fs';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import type { Adapter } from 'lowdb';
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

export class DurableJsonFile implements Adapter<JsonDocument> {
  constructor(readonly file: string) {}

  async read(): Promise<JsonDocument | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return parseDocument(this.file, text);
  }

  /** The synchronous twin of read(), for checking the file when the store is opened. */
  readNow(): JsonDocument | null {
    try {
      return parseDocument(this.file, readFileSync(this.file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async write(document: JsonDocument): Promise<void> {
    // Named by writerTempPath so the temps of a killed writer are recognised and removed at open.
    const temp = writerTempPath(this.file);
    try {
      const handle = await open(temp, 'wx');
      try {
        await handle.writeFile(JSON.stringify(document, null, 2));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  }
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
