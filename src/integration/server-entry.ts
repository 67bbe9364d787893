// What a client entry points at: either the command an MCP client runs to start our server (the node
// binary running right now, the one that built better-sqlite3, its memory flags (core/server-node-flags.ts)
// and our built entry file, by absolute paths, then `server` and its flags) or a remote server's URL.

import { SERVER_NODE_FLAGS } from '../core/server-node-flags.js';
import { urlWithoutPassword } from '../core/store-arguments.js';
import { loadConfig } from '../config.js';
import type { RemoteServer } from './remote-server.js';

export interface ServerCommand {
  command: string;
  args: string[];
}

export type ServerEntry = ServerCommand | RemoteServer;

export function isRemote(entry: ServerEntry): entry is RemoteServer {
  return 'url' in entry;
}

/** One line a human recognises the entry by. */
export function describeEntry(entry: ServerEntry): string {
  if (!isRemote(entry)) return `${entry.command} ${entry.args.join(' ')}`;
  return `${entry.url} (token from $${entry.tokenEnv ?? '? no variable named'})`;
}

/** The server flags an installer passes through, as cac parses them (camelCase). */
export interface ServerFlags {
  mode?: unknown;
  roots?: unknown;
  storage?: unknown;
  dbPath?: unknown;
  databaseUrl?: unknown;
  commandMode?: unknown;
  commandAllow?: unknown;
}

/**
 * Validates the flags the way the server will (so a typo fails now, naming the flag, not later inside
 * an agent's client) and writes paths absolute: every agent starts the server in another directory.
 */
export function serverCommand(cliFile: string, flags: ServerFlags, cwd: string, nodeBinary = process.execPath): ServerCommand {
  const config = loadConfig({ ...flags }, {}, cwd);
  const given = (key: keyof ServerFlags) => flags[key] !== undefined && flags[key] !== '';
  const args = [...SERVER_NODE_FLAGS, cliFile, 'server'];
  if (given('mode')) args.push('--mode', config.mode);
  if (given('roots')) args.push('--roots', config.roots.join(','));
  if (given('storage')) args.push('--storage', config.storage);
  if (given('dbPath')) args.push('--db-path', config.dbPath);
  // Client settings files are readable by whoever reads the home directory: the password stays in PGPASSWORD or ~/.pgpass.
  if (given('databaseUrl')) args.push('--database-url', urlWithoutPassword(config.databaseUrl!));
  if (given('commandMode')) args.push('--command-mode', config.commandMode);
  if (given('commandAllow')) args.push('--command-allow', config.commandAllow.join(','));
  return { command: nodeBinary, args };
}
