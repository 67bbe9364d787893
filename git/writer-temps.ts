// Temp files named after the process writing them (`<target>.<pid>-<8 hex>.tmp`, the form the JSON
// store's document writes and the file lock's owner records use), so that files a killed writer
// left behind can be told apart from those of a live one and removed.

import { randomUUID } from 'node:crypto';
import { readdirSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isPidAlive } from './pid.js';

/** A fresh temp file name beside `target`, owned by this process. */
export function writerTempPath(target: string): string {
  return `${target}.${process.pid}-${randomUUID().slice(0, 8)}.tmp`;
}

/**
 * Removes the temp files of `target` whose writer process is gone. Only meaningful on the host that
 * wrote them, which holds for a lock file or a store file on a local disk.
 */
export function removeDeadWritersTemps(target: string): void {
  const directory = dirname(target);
  const prefix = `${basename(target)}.`;
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return; // nothing to clean where nothing can be listed
  }
  for (const name of names) {
    const match = name.startsWith(prefix) ? /^(\d+)-[0-9a-f]{8}\.tmp$/.exec(name.slice(prefix.length)) : null;
    if (!match || isPidAlive(Number(match[1]))) continue;
    try {
      unlinkSync(join(directory, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}
