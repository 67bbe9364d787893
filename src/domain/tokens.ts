// Access tokens for remote agents: a human creates one per agent at the command line, the HTTP adapter
// checks it on every request. A token binds a name and a role, and may be limited to projects (ids or
// shared-remote URLs, served-projects.ts decides what matches); only the SHA-256 of its secret is kept,
// so a copy of the store lets no one connect. Secrets are 256 random bits, so one unsalted hash suffices.

import { createHash, randomBytes } from 'node:crypto';
import { DomainError } from '../core/errors.js';
import type { TokenRow } from '../store/rows.js';
import type { Credential, DomainContext } from './context.js';
import { assertImplementerName } from './git-errors.js';

/** Tokens belong to the server, not to a project; project ids are absolute paths, so this never is one. */
export const TOKEN_SCOPE = 'lockstep:tokens';
const SECRET_PREFIX = 'lsk_';

export interface IssuedToken extends Credential {
  /** The secret, shown once: it is not stored anywhere. */
  token: string;
  expiresAt: number | null;
}

export interface TokenView extends Credential {
  state: 'active' | 'expired' | 'revoked';
  createdAt: number;
  expiresAt: number | null;
}

export class TokenService {
  constructor(private readonly context: Pick<DomainContext, 'store' | 'clock'>) {}

  async create(credential: Credential, expiresInMs?: number): Promise<IssuedToken> {
    assertImplementerName(credential.name);
    const token = SECRET_PREFIX + randomBytes(32).toString('base64url');
    const now = this.context.clock.now();
    const expiresAt = expiresInMs === undefined ? null : now + expiresInMs;
    await this.context.store.write(TOKEN_SCOPE, function* (tx) {
      const existing = yield* tx.one('tokens', { name: credential.name });
      if (existing && stateOf(existing, now) === 'active') {
        throw new DomainError(
          'NAME_TAKEN',
          `a token named "${credential.name}" already exists`,
          `Revoke it first (lockstep-mcp token revoke ${credential.name}), or pick another name.`,
          { name: credential.name },
        );
      }
      yield* tx.remove('tokens', { name: credential.name });
      yield* tx.insert('tokens', { name: credential.name, role: credential.role, projects: credential.projects ?? [], hash: hashOf(token), createdAt: now, expiresAt, revokedAt: null });
    });
    return { ...credential, token, expiresAt };
  }

  async list(): Promise<TokenView[]> {
    const now = this.context.clock.now();
    const rows = await this.context.store.read(TOKEN_SCOPE, (tx) => tx.find('tokens', { orderBy: 'name' }));
    return rows.map((row) => ({ ...credentialOf(row), state: stateOf(row, now), createdAt: row.createdAt, expiresAt: row.expiresAt }));
  }

  async revoke(name: string): Promise<void> {
    const now = this.context.clock.now();
    const changed = await this.context.store.write(TOKEN_SCOPE, (tx) => tx.update('tokens', { name, revokedAt: null }, { revokedAt: now }));
    if (changed === 0) {
      throw new DomainError('NOT_FOUND', `no unrevoked token is named "${name}"`, 'List the tokens with: lockstep-mcp token list');
    }
  }

  /** Whether any token could be used right now: a server reachable from other machines needs one. */
  async anyActive(): Promise<boolean> {
    return (await this.list()).some((token) => token.state === 'active');
  }

  /** The credential a presented secret proves; absent, unknown, revoked and expired all read the same. */
  async verify(secret: string | undefined): Promise<Credential> {
    const row = secret?.startsWith(SECRET_PREFIX)
      ? await this.context.store.read(TOKEN_SCOPE, (tx) => tx.one('tokens', { hash: hashOf(secret) }))
      : undefined;
    if (!row || stateOf(row, this.context.clock.now()) !== 'active') {
      throw new DomainError(
        'TOKEN_INVALID',
        secret === undefined ? 'this server needs a bearer token' : 'the bearer token is unknown, revoked or expired',
        'Tell the human: send "Authorization: Bearer <token>" with a token from lockstep-mcp token create.',
      );
    }
    return credentialOf(row);
  }
}

/** A row's credential; `projects` only when the token is limited, so an unlimited one reads as before. */
function credentialOf(row: TokenRow): Credential {
  const projects = row.projects ?? [];
  return { name: row.name, role: row.role, ...(projects.length > 0 && { projects }) };
}

function hashOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function stateOf(row: TokenRow, now: number): TokenView['state'] {
  if (row.revokedAt !== null) return 'revoked';
  return row.expiresAt !== null && row.expiresAt <= now ? 'expired' : 'active';
}
