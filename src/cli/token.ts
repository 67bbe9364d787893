// `lockstep-mcp token create|list|revoke`: a human issues the access tokens remote agents connect with
// (server --http). The secret is printed once, on stdout alone so it can be captured; only its hash is kept.

import * as z from 'zod';
import { loadConfig, type Settings } from '../config.js';
import { DomainError } from '../core/errors.js';
import { AGENT_ROLES } from '../core/vocabulary.js';
import { createApp, type App } from '../domain/app.js';
import { loadServedProject } from '../domain/served-projects.js';
import { duration } from './duration.js';
import { say } from './output.js';

export interface TokenFlags extends Partial<Record<keyof Settings, unknown>> {
  name?: unknown;
  role?: unknown;
  expires?: unknown;
  project?: unknown;
}

const createFlags = z.object({
  name: z.string().min(1),
  role: z.enum(AGENT_ROLES).default('implementer'),
  expires: duration.optional(),
  project: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
});

export async function runToken(action: string, name: string | undefined, { name: nameFlag, role, expires, project, ...settings }: TokenFlags): Promise<void> {
  const app = await createApp(loadConfig(settings));
  try {
    if (action === 'create') return await create(app, { name: nameFlag ?? name, role, expires, project });
    if (action === 'list') return await list(app);
    if (action === 'revoke') {
      if (!name) throw new DomainError('INVALID_INPUT', 'token revoke needs the token name', 'Run: lockstep-mcp token revoke NAME (token list shows the names).');
      await app.tokens.revoke(name);
      return say(`Revoked token "${name}": its sessions are refused from their next request.`);
    }
    throw new DomainError('INVALID_INPUT', `unknown token action "${action}"`, 'Use: token create --name NAME [--role planner|implementer] [--expires 30d] [--project ID]..., token list, token revoke NAME');
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
  const { name, role, expires, project } = parsed.data;
  const projects = await Promise.all([project ?? []].flat().map(projectLimit));
  const issued = await app.tokens.create({ name, role, ...(projects.length > 0 && { projects }) }, expires);
  say(issued.token);
  const until = issued.expiresAt === null ? 'does not expire' : `expires ${new Date(issued.expiresAt).toISOString()}`;
  process.stderr.write(`Token for ${role} "${name}" (${until}, ${limitText(projects)}). It is shown only this once: give it to the agent's client as a bearer token.\n`);
}

/**
 * What a --project value limits a token to: a directory of this machine becomes its project id (so
 * `--project .` works); a project id or shared-remote URL of a server elsewhere is kept as given.
 */
async function projectLimit(value: string): Promise<string> {
  const local = await loadServedProject(value).catch(() => undefined);
  if (local) return local.id;
  if (/[:/]/.test(value)) return value;
  throw new DomainError('INVALID_INPUT', `--project ${value} is not a project directory, project id or shared-remote URL`, 'Give the project id that lockstep-mcp status shows, or the repository\'s remote URL.');
}

function limitText(projects: readonly string[]): string {
  return projects.length > 0 ? `projects ${projects.join(', ')}` : 'any project';
}

async function list(app: App): Promise<void> {
  const tokens = await app.tokens.list();
  if (tokens.length === 0) return say('No tokens. Create one: lockstep-mcp token create --name NAME');
  for (const token of tokens) {
    const expiry = token.expiresAt === null ? 'no expiry' : `expires ${new Date(token.expiresAt).toISOString()}`;
    say(`${token.name.padEnd(24)} ${token.role.padEnd(12)} ${token.state.padEnd(8)} ${expiry.padEnd(34)} ${limitText(token.projects ?? [])}`);
  }
}
