// `lockstep-mcp token create|list|revoke`: a human issues the access tokens remote agents connect with
// (server --http). The secret is printed once, on stdout alone so it can be captured; only its hash is kept.

import * as z from 'zod';
import { loadConfig, type Settings } from '../config.js';
import { DomainError } from '../core/errors.js';
import { AGENT_ROLES } from '../core/vocabulary.js';
import { createApp, type App } from '../domain/app.js';
import { say } from './output.js';

export interface TokenFlags extends Partial<Record<keyof Settings, unknown>> {
  name?: unknown;
  role?: unknown;
  expires?: unknown;
}

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

const createFlags = z.object({
  name: z.string().min(1),
  role: z.enum(AGENT_ROLES).default('implementer'),
  expires: z
    .string()
    .regex(/^\d+[mhd]$/, 'a number and a unit: 90m, 12h or 30d')
    .transform((text) => Number(text.slice(0, -1)) * UNIT_MS[text.at(-1) as keyof typeof UNIT_MS])
    .optional(),
});

export async function runToken(action: string, name: string | undefined, { name: nameFlag, role, expires, ...settings }: TokenFlags): Promise<void> {
  const app = await createApp(loadConfig(settings));
  try {
    if (action === 'create') return await create(app, { name: nameFlag ?? name, role, expires });
    if (action === 'list') return await list(app);
    if (action === 'revoke') {
      if (!name) throw new DomainError('INVALID_INPUT', 'token revoke needs the token name', 'Run: lockstep-mcp token revoke NAME (token list shows the names).');
      await app.tokens.revoke(name);
      return say(`Revoked token "${name}": its sessions are refused from their next request.`);
    }
    throw new DomainError('INVALID_INPUT', `unknown token action "${action}"`, 'Use: token create --name NAME [--role planner|implementer] [--expires 30d], token list, token revoke NAME');
  } finally {
    app.close();
  }
}

async function create(app: App, flags: Record<string, unknown>): Promise<void> {
  const parsed = createFlags.safeParse(flags);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DomainError('INVALID_INPUT', `bad --${String(issue.path[0])}: ${issue.message}`, 'Fix the flag and run token create again.');
  }
  const { name, role, expires } = parsed.data;
  const issued = await app.tokens.create({ name, role }, expires);
  say(issued.token);
  const until = issued.expiresAt === null ? 'does not expire' : `expires ${new Date(issued.expiresAt).toISOString()}`;
  process.stderr.write(`Token for ${role} "${name}" (${until}). It is shown only this once: give it to the agent's client as a bearer token.\n`);
}

async function list(app: App): Promise<void> {
  const tokens = await app.tokens.list();
  if (tokens.length === 0) return say('No tokens. Create one: lockstep-mcp token create --name NAME');
  for (const token of tokens) {
    const expiry = token.expiresAt === null ? 'no expiry' : `expires ${new Date(token.expiresAt).toISOString()}`;
    say(`${token.name.padEnd(24)} ${token.role.padEnd(12)} ${token.state.padEnd(8)} ${expiry}`);
  }
}
