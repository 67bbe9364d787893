// Access tokens on both store backends: shown once, stored only as a hash, bound to a name and role,
// and refused alike when unknown, revoked or expired.

import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTestApp } from '../../fixtures/app.js';
import { removeTempDirs } from '../../fixtures/git.js';
import { TOKEN_SCOPE } from '../../src/domain/tokens.js';

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
});
