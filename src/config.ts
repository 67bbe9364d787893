// One typed Config from command-line flags, COORD_* environment variables and defaults, in that order
// of precedence. Every value is validated here so the rest of the code can trust it.

import { homedir, hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { DomainError } from './core/errors.js';
import { redactedUrl } from './store/postgres-faults.js';
import { STORE_FILE_NAMES, type StorageBackend } from './store/store.js';

// Plain checks rather than zod: every server start reads the settings, and compiling zod for them
// was a tenth of a server's start-up and 3 MiB of its memory (the tools load zod on the first call).
type Check<T> = (value: unknown) => T;

const oneOf = <const T extends string>(...options: T[]): Check<T> => (value) => {
  if (typeof value === 'string' && (options as string[]).includes(value)) return value as T;
  throw new Error(`expected one of ${options.map((option) => `"${option}"`).join('|')}`);
};

const nonEmptyString: Check<string> = (value) => {
  if (typeof value === 'string' && value.length > 0) return value;
  throw new Error('expected a non-empty string');
};

/** "a, b" or repeated flags (["a", "b"]); blank items dropped. */
const list: Check<string[]> = (value) => {
  const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
  if (!items) throw new Error('expected a comma-separated list');
  return items.map((item) => item.trim()).filter((item) => item.length > 0);
};

/** postgres:// or postgresql:// URLs, the forms the pg client and libpq document. */
const postgresUrl: Check<string> = (value) => {
  if (typeof value === 'string' && /^postgres(ql)?:\/\/\S+$/.test(value)) return value;
  throw new Error('expected a URL like postgres://user@host:5432/database (the password belongs in PGPASSWORD or ~/.pgpass)');
};

/** Names a machine in lock and agent rows; the same characters as a host name. */
const hostId: Check<string> = (value) => {
  if (typeof value === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(value)) return value;
  throw new Error('expected a host name: letters, digits, ".", "_" and "-", at most 100');
};

const integerIn = (min: number, max: number): Check<number> => (value) => {
  const number = Number(value);
  if (Number.isInteger(number) && number >= min && number <= max) return number;
  throw new Error(`expected a whole number from ${min} to ${max}`);
};

const SETTINGS = {
  mode: { check: oneOf('open', 'strict'), default: 'open' },
  roots: { check: list, default: [] },
  storage: { check: oneOf('sqlite', 'json', 'postgres'), default: 'sqlite' },
  dbPath: { check: nonEmptyString, default: undefined },
  databaseUrl: { check: postgresUrl, default: undefined },
  dataDir: { check: nonEmptyString, default: undefined },
  logDir: { check: nonEmptyString, default: undefined },
  commandMode: { check: oneOf('open', 'allowlist'), default: 'open' },
  commandAllow: { check: list, default: [] },
  lockLeaseMs: { check: integerIn(1_000, 86_400_000), default: 300_000 },
  hostId: { check: hostId, default: undefined },
} satisfies Record<string, { check: Check<unknown>; default: unknown }>;

type Setting = keyof typeof SETTINGS;
type Parsed = { [K in Setting]: ReturnType<(typeof SETTINGS)[K]['check']> | ((typeof SETTINGS)[K]['default'] extends undefined ? undefined : never) };

/** What each setting may be given as, before it is checked (flags and variables arrive as text). */
export type Settings = { [K in Setting]?: ReturnType<(typeof SETTINGS)[K]['check']> | string };

export interface Config {
  mode: 'open' | 'strict';
  /** Absolute, not yet realpath-resolved; empty means "the project root" in strict mode. */
  roots: string[];
  storage: StorageBackend;
  /** The store file of a file backend (with postgres, where one would be: kept out of agents' reach all the same). */
  dbPath: string;
  /** --storage postgres: the database. Secret when it holds a password: never print it, see redactedUrl. */
  databaseUrl?: string;
  dataDir: string;
  logDir: string;
  commandMode: 'open' | 'allowlist';
  commandAllow: string[];
  lockLeaseMs: number;
  /**
   * This machine's name in agent and lock rows: a process is judged dead by its pid only on its own
   * host. Default: the host name; servers of one team on one machine (tests) can each pretend another.
   */
  hostId: string;
  /** The directory the process started in: it decides the project. */
  cwd: string;
}

const ENVIRONMENT: Record<keyof Settings, string> = {
  mode: 'COORD_MODE',
  roots: 'COORD_ROOTS',
  storage: 'COORD_STORAGE',
  dbPath: 'COORD_DB_PATH',
  databaseUrl: 'COORD_DATABASE_URL',
  dataDir: 'COORD_DATA_DIR',
  logDir: 'COORD_LOG_DIR',
  commandMode: 'COORD_COMMAND_MODE',
  commandAllow: 'COORD_COMMAND_ALLOW',
  lockLeaseMs: 'COORD_LOCK_LEASE_MS',
  hostId: 'COORD_HOST_ID',
};

/** Flags (already parsed, camelCase) win over COORD_* variables, which win over defaults. */
export function loadConfig(flags: Partial<Record<keyof Settings, unknown>>, env = process.env, cwd = process.cwd()): Config {
  const checked = {} as Record<Setting, unknown>;
  for (const [key, variable] of Object.entries(ENVIRONMENT) as [Setting, string][]) {
    const value = flags[key] ?? env[variable];
    try {
      checked[key] = value !== undefined && value !== '' ? SETTINGS[key].check(value) : SETTINGS[key].default;
    } catch (error) {
      throw new DomainError(
        'INVALID_INPUT',
        `bad setting --${kebab(key)} / ${variable}: ${(error as Error).message}`,
        'Fix the flag or environment variable and start again.',
      );
    }
  }
  const settings = checked as Parsed;
  if (settings.storage === 'postgres' && !settings.databaseUrl) {
    throw new DomainError('INVALID_INPUT', '--storage postgres needs --database-url / COORD_DATABASE_URL', 'Give the database URL and start again.');
  }
  const home = env.HOME || homedir();
  const dataDir = resolve(cwd, settings.dataDir ?? join(home, '.lockstep-mcp', 'data'));
  return {
    mode: settings.mode,
    roots: settings.roots.map((root) => resolve(cwd, root)),
    storage: settings.storage,
    dbPath: resolve(cwd, settings.dbPath ?? join(dataDir, STORE_FILE_NAMES[settings.storage === 'postgres' ? 'sqlite' : settings.storage])),
    ...(settings.storage === 'postgres' && { databaseUrl: settings.databaseUrl }),
    dataDir,
    logDir: resolve(cwd, settings.logDir ?? join(dataDir, '..', 'logs')),
    commandMode: settings.commandMode,
    commandAllow: settings.commandAllow,
    lockLeaseMs: settings.lockLeaseMs,
    hostId: settings.hostId ?? hostname(),
    cwd: resolve(cwd),
  };
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** Where the store is, as it may be printed and recorded: its file, or the database URL without its password. */
export function shownStoreLocation(config: Pick<Config, 'storage' | 'dbPath' | 'databaseUrl'>): string {
  return config.storage === 'postgres' ? redactedUrl(config.databaseUrl!) : config.dbPath;
}

/** Where the store is: its file, or with postgres the database URL. */
export function storeLocation(config: Pick<Config, 'storage' | 'dbPath' | 'databaseUrl'>): string {
  return config.storage === 'postgres' ? config.databaseUrl! : config.dbPath;
}

