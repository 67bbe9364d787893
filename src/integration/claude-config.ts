// Claude Code's MCP configuration: `mcpServers` at the top of ~/.claude.json (user scope) or of
// .mcp.json at the project root (project scope). Our entry has exactly the shape `claude mcp add`
// writes for a stdio server, or `claude mcp add --transport http` with an Authorization header for a
// remote one; every other key of the file is kept as it was.

import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { SERVER_ENTRY_NAME } from '../server-name.js';
import type { ConfigFormat, ConfigTarget, Scope } from './client-config.js';
import { configInvalid } from './config-file.js';
import { bearerVariable, type RemoteServer } from './remote-server.js';
import { isRemote, type ServerCommand } from './server-entry.js';

type JsonObject = Record<string, unknown>;

export function claudeTarget(scope: Scope, locations: { home: string; projectRoot: string }): ConfigTarget {
  const file = scope === 'user' ? join(locations.home, '.claude.json') : join(locations.projectRoot, '.mcp.json');
  return { client: 'claude', scope, file, format: claudeJsonFormat };
}

export const claudeJsonFormat: ConfigFormat = {
  read(text, file) {
    const entry = servers(parseObject(text, file), file)?.[SERVER_ENTRY_NAME];
    if (!isObject(entry)) return undefined;
    if (typeof entry.command === 'string') return { command: entry.command, args: Array.isArray(entry.args) ? entry.args.map(String) : [] };
    if (typeof entry.url !== 'string') return undefined;
    const tokenEnv = bearerVariable(isObject(entry.headers) ? entry.headers.Authorization : undefined);
    return tokenEnv ? { url: entry.url, tokenEnv } : { url: entry.url };
  },

  withEntry(text, server, file) {
    const document = text === undefined ? {} : parseObject(text, file);
    const existing = servers(document, file)?.[SERVER_ENTRY_NAME];
    // What a user added to our entry of the same kind (env, other headers) stays.
    const kept = (key: string) => (isObject(existing) && isObject(existing[key]) ? existing[key] : {});
    const entry = isRemote(server) ? httpEntry(server, kept('headers')) : stdioEntry(server, kept('env'));
    if (text !== undefined && isDeepStrictEqual(existing, entry)) return text;
    document.mcpServers = { ...servers(document, file), [SERVER_ENTRY_NAME]: entry };
    return serialize(document, text);
  },

  withoutEntry(text, file) {
    const document = parseObject(text, file);
    const current = servers(document, file);
    if (!current || !(SERVER_ENTRY_NAME in current)) return text;
    const { [SERVER_ENTRY_NAME]: _ours, ...others } = current;
    if (Object.keys(others).length > 0) document.mcpServers = others;
    else delete document.mcpServers;
    return Object.keys(document).length > 0 ? serialize(document, text) : null;
  },
};

/** What `claude mcp add --scope user|project lockstep -- <command> <args...>` stores. */
function stdioEntry(command: ServerCommand, env: JsonObject): JsonObject {
  return { type: 'stdio', command: command.command, args: command.args, env };
}

/** What `claude mcp add --transport http lockstep URL --header "Authorization: Bearer ${VAR}"` stores. */
function httpEntry(server: RemoteServer, headers: JsonObject): JsonObject {
  const authorization = server.tokenEnv === undefined ? {} : { Authorization: `Bearer \${${server.tokenEnv}}` };
  return { type: 'http', url: server.url, headers: { ...headers, ...authorization } };
}

function parseObject(text: string, file: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    throw configInvalid(file, `not valid JSON (${message})`, jsonErrorPlace(text, message));
  }
  if (!isObject(value)) throw configInvalid(file, 'the top level is not a JSON object');
  return value;
}

function servers(document: JsonObject, file: string): JsonObject | undefined {
  const value = document.mcpServers;
  if (value === undefined) return undefined;
  if (!isObject(value)) throw configInvalid(file, '"mcpServers" is not an object');
  return value;
}

/** V8 names either a line and column or a character position, depending on the Node version. */
function jsonErrorPlace(text: string, message: string): { line: number; column: number } | undefined {
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const position = /position (\d+)/.exec(message);
  if (!position) return undefined;
  const before = text.slice(0, Number(position[1])).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

/** Keeps the file's own indentation and final newline, so a rewrite changes only what it must. */
function serialize(document: JsonObject, previous: string | undefined): string {
  const indent = previous === undefined ? '  ' : (/^([ \t]+)"/m.exec(previous)?.[1] ?? '  ');
  const newline = previous === undefined || previous.endsWith('\n') ? '\n' : '';
  return JSON.stringify(document, null, indent) + newline;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
