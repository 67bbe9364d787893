// One typed Config from command-line flags, COORD_* environment variables and defaults, in that order
// of precedence. Every value is validated here so the rest of the code can trust it.

import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import * as z from 'zod';
import { DomainError } from './core/errors.js';
import { STORE_FILE_NAMES } from './store/store.js';

const list = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(',')))
  .transform((items) => items.map((item) => item.trim()).filter((item) => item.length > 0));

const settingsSchema = z.object({
  mode: z.enum(['open', 'strict']).default('open'),
  roots: list.default([]),
  storage: z.enum(['sqlite', 'json']).default('sqlite'),
  dbPath: z.string().min(1).optional(),
  dataDir: z.string().min(1).optional(),
  logDir: z.string().min(1).optional(),
  commandMode: z.enum(['open', 'allowlist']).default('open'),
  commandAllow: list.default([]),
  lockLeaseMs: z.coerce.number().int().min(1_000).max(86_400_000).default(300_000),
});

export type Settings = z.input<typeof settingsSchema>;

export interface Config {
  mode: 'open' | 'strict';
  /** Absolute, not yet realpath-resolved; empty means "the project root" in strict mode. */
  roots: string[];
  storage: 'sqlite' | 'json';
  dbPath: string;
  dataDir: string;
  logDir: string;
  commandMode: 'open' | 'allowlist';
  commandAllow: string[];
  lockLeaseMs: number;
  /** The directory the process started in: it decides the project. */
  cwd: string;
}

const ENVIRONMENT: Record<keyof Settings, string> = {
  mode: 'COORD_MODE',
  roots: 'COORD_ROOTS',
  storage: 'COORD_STORAGE',
  dbPath: 'COORD_DB_PATH',
  dataDir: 'COORD_DATA_DIR',
  logDir: 'COORD_LOG_DIR',
  commandMode: 'COORD_COMMAND_MODE',
  commandAllow: 'COORD_COMMAND_ALLOW',
  lockLeaseMs: 'COORD_LOCK_LEASE_MS',
};

/** Flags (already parsed, camelCase) win over COORD_* variables, which win over defaults. */
export function loadConfig(flags: Partial<Record<keyof Settings, unknown>>, env = process.env, cwd = process.cwd()): Config {
  const merged: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(ENVIRONMENT) as [keyof Settings, string][]) {
    const value = flags[key] ?? env[variable];
    if (value !== undefined && value !== '') merged[key] = value;
  }
  const parsed = settingsSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path[0] as keyof Settings;
    throw new DomainError(
      'INVALID_INPUT',
      `bad setting --${kebab(key)} / ${ENVIRONMENT[key]}: ${issue.message}`,
      'Fix the flag or environment variable and start again.',
    );
  }
  const settings = parsed.data;
  const home = env.HOME || homedir();
  const dataDir = resolve(cwd, settings.dataDir ?? join(home, '.lockstep-mcp', 'data'));
  return {
    mode: settings.mode,
    roots: settings.roots.map((root) => resolve(cwd, root)),
    storage: settings.storage,
    dbPath: resolve(cwd, settings.dbPath ?? join(dataDir, STORE_FILE_NAMES[settings.storage])),
    dataDir,
    logDir: resolve(cwd, settings.logDir ?? join(dataDir, '..', 'logs')),
    commandMode: settings.commandMode,
    commandAllow: settings.commandAllow,
    lockLeaseMs: settings.lockLeaseMs,
    cwd: resolve(cwd),
  };
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
