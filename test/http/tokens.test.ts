// Access tokens on both store backends: shown once, stored only as a hash, bound to a name and role,
// and refused alike when unknown, revoked or expired.

import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTestApp } from '../../fixtures/app.js';
import { makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { TOKEN_SCOPE, TokenService } from '../../src/domain/tokens.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite.js';

afterAll(removeTempDirs);

describe.each(['sqlite', 'json'] as const)('tokens in the %s store', (storage) => {
  it('prints the secret once and stores only its hash', async () => {
    const { app, config } = await makeTestApp({ storage });
    const issued = await app.tokens.create({ name: 'ada', role: 'implementer' });
    expect(issued.token).toMatch(/^lsk_[A-Za-z0-9_-]{43}$/);
    const rows = await app.context.store.read(TOKEN_SCOPE, (tx) => tx.find('tokens'));
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(issued.token.slice(4));
    expect(await app.tokens.list()).toEqual([{ name: 'ada', role: 'implementer', state: 'active', createdAt: expect.any(Number), expiresAt: null }]);
    app.close();
    expect(readFileSync(config.dbPath).toString('latin1')).not.toContain(issued.token.slice(4));
  });

  it('verifies a token to its name and role, and refuses unknown, revoked and expired ones alike', async () => {
    const { app, clock } = await makeTestApp({ storage });
    const lead = await app.tokens.create({ name: 'lead', role: 'planner' });
    const brief = await app.tokens.create({ name: 'brief', role: 'implementer' }, 1_000);
    expect(await app.tokens.verify(lead.token)).toEqual({ name: 'lead', role: 'planner' });
    await expect(app.tokens.verify(undefined)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    await expect(app.tokens.verify(`${lead.token}x`)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    clock.advance(1_000);
    await expect(app.tokens.verify(brief.token)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    await app.tokens.revoke('lead');
    await expect(app.tokens.verify(lead.token)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    expect((await app.tokens.list()).map((token) => token.state)).toEqual(['expired', 'revoked']);
    app.close();
  });

  it('refuses a second live token of one name, replaces a revoked one, and refuses names that cannot be agents', async () => {
    const { app } = await makeTestApp({ storage });
    const first = await app.tokens.create({ name: 'ada', role: 'implementer' });
    await expect(app.tokens.create({ name: 'ada', role: 'planner' })).rejects.toMatchObject({ code: 'NAME_TAKEN' });
    await expect(app.tokens.revoke('nobody')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await app.tokens.revoke('ada');
    const second = await app.tokens.create({ name: 'ada', role: 'planner' });
    expect(await app.tokens.verify(second.token)).toEqual({ name: 'ada', role: 'planner' });
    await expect(app.tokens.verify(first.token)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    await expect(app.tokens.create({ name: '-rm', role: 'implementer' })).rejects.toMatchObject({ code: 'INVALID_NAME' });
    app.close();
  });

  it('limits a token to projects, lists the limit, and proves it with the credential; a token without one is not limited', async () => {
    const { app } = await makeTestApp({ storage });
    const limits = ['/srv/billing', 'https://git.example.com/team/web.git'];
    const ada = await app.tokens.create({ name: 'ada', role: 'implementer', projects: limits });
    const bob = await app.tokens.create({ name: 'bob', role: 'implementer' });
    expect(await app.tokens.list()).toEqual([
      expect.objectContaining({ name: 'ada', projects: limits }),
      expect.not.objectContaining({ projects: expect.anything() }),
    ]);
    expect(await app.tokens.verify(ada.token)).toEqual({ name: 'ada', role: 'implementer', projects: limits });
    expect(await app.tokens.verify(bob.token)).toEqual({ name: 'bob', role: 'implementer' });
    app.close();
  });
});

describe('tokens made before project limits', () => {
  it('keep working, limited to no project, once a schema v7 SQLite file is upgraded', async () => {
    const file = join(makeTempDir('lockstep-upgrade-'), 'store.db');
    const db = new Database(file);
    for (const migration of MIGRATIONS.slice(0, 7)) db.exec(migration);
    db.pragma('user_version = 7');
    const secret = 'lsk_made-before-limits';
    db.prepare('INSERT INTO tokens (project, name, role, hash, createdAt) VALUES (?, ?, ?, ?, 1)').run(TOKEN_SCOPE, 'ada', 'planner', createHash('sha256').update(secret).digest('hex'));
    db.close();
    const store = openSqliteStore(file);
    try {
      expect(await new TokenService({ store, clock: { now: () => 2 } }).verify(secret)).toEqual({ name: 'ada', role: 'planner' });
    } finally {
      store.close();
    }
  });
});
