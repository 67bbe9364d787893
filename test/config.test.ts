// The settings every command starts from: flags over COORD_* variables over defaults, each checked.

import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { storeArguments } from '../src/core/store-arguments.js';

const HOME = { HOME: '/home/ada' };

describe('loadConfig', () => {
  it('gives the defaults when nothing is set, with paths under the home directory', () => {
    expect(loadConfig({}, HOME, '/work/repo')).toEqual({
      mode: 'open',
      roots: [],
      storage: 'sqlite',
      dbPath: '/home/ada/.lockstep-mcp/data/coordinator.db',
      dataDir: '/home/ada/.lockstep-mcp/data',
      logDir: '/home/ada/.lockstep-mcp/logs',
      commandMode: 'open',
      commandAllow: [],
      lockLeaseMs: 300_000,
      hostId: hostname(),
      cwd: '/work/repo',
    });
  });

  it('prefers a flag to its variable and a variable to the default, ignoring blank values', () => {
    const env = { ...HOME, COORD_STORAGE: 'json', COORD_MODE: 'strict', COORD_ROOTS: ' a, ,b ', COORD_LOCK_LEASE_MS: '60000', COORD_DATA_DIR: '' };
    const config = loadConfig({ mode: 'open', commandAllow: ['git', ' npm '], lockLeaseMs: 2_000 }, env, '/work/repo');
    expect(config).toMatchObject({ mode: 'open', storage: 'json', roots: ['/work/repo/a', '/work/repo/b'], commandAllow: ['git', 'npm'], lockLeaseMs: 2_000 });
    expect(config.dbPath).toBe('/home/ada/.lockstep-mcp/data/coordinator.json');
    expect(loadConfig({}, env).lockLeaseMs).toBe(60_000);
    expect(loadConfig({}, { ...env, COORD_HOST_ID: 'runner-2' }).hostId).toBe('runner-2');
  });

  it.each([
    [{ storage: 'mysql' }, /^bad setting --storage \/ COORD_STORAGE: expected one of "sqlite"\|"json"\|"postgres"$/],
    [{ storage: 'postgres' }, /^--storage postgres needs --database-url \/ COORD_DATABASE_URL$/],
    [{ storage: 'postgres', databaseUrl: 'host=db user=me' }, /^bad setting --database-url \/ COORD_DATABASE_URL: expected a URL like postgres:/],
    [{ lockLeaseMs: '1.5' }, /^bad setting --lock-lease-ms \/ COORD_LOCK_LEASE_MS: expected a whole number from 1000 to 86400000$/],
    [{ lockLeaseMs: 999 }, /--lock-lease-ms/],
    [{ dbPath: true }, /^bad setting --db-path \/ COORD_DB_PATH: expected a non-empty string$/],
    [{ roots: [1] }, /--roots .*expected a comma-separated list/],
    [{ hostId: 'a host' }, /^bad setting --host-id \/ COORD_HOST_ID: expected a host name/],
  ])('refuses %j with INVALID_INPUT naming the flag and its variable', (flags, message) => {
    expect(() => loadConfig(flags, HOME)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(message) }));
  });

  it('takes --storage postgres with the database URL from a flag or COORD_DATABASE_URL', () => {
    const env = { ...HOME, COORD_STORAGE: 'postgres', COORD_DATABASE_URL: 'postgres://ada@db.example:5432/team' };
    expect(loadConfig({}, env, '/work/repo')).toMatchObject({ storage: 'postgres', databaseUrl: 'postgres://ada@db.example:5432/team' });
    expect(loadConfig({ databaseUrl: 'postgresql://bob@db/other' }, env, '/work/repo').databaseUrl).toBe('postgresql://bob@db/other');
    expect(loadConfig({}, { ...HOME, COORD_DATABASE_URL: 'postgres://ada@db/team' }, '/work/repo')).not.toHaveProperty('databaseUrl');
  });

  it('hands launched processes the store flags with the database URL but never its password', () => {
    const config = loadConfig({ storage: 'postgres', databaseUrl: 'postgres://ada:s3cret@db.example:5432/team' }, HOME, '/work/repo');
    const args = storeArguments(config);
    expect(args).toEqual(['--storage', 'postgres', '--db-path', config.dbPath, '--database-url', 'postgres://ada@db.example:5432/team']);
    expect(storeArguments(loadConfig({}, HOME, '/work/repo'))).toEqual(['--storage', 'sqlite', '--db-path', '/home/ada/.lockstep-mcp/data/coordinator.db']);
  });
});
