// Codex's MCP configuration: a `[mcp_servers.lockstep]` table in $CODEX_HOME/config.toml (default
// ~/.codex). TOML libraries drop comments when they re-serialise a document, so the file is edited
// surgically: only our table's lines are replaced or removed, our table's text comes from smol-toml,
// and the result is parsed again to prove every other key kept its value before anything is written.
// A remote entry is what `codex mcp add lockstep --url URL --bearer-token-env-var VAR` writes.

import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse, stringify, TomlError, type TomlTable } from 'smol-toml';
import { SERVER_ENTRY_NAME } from '../server-name.js';
import type { ConfigFormat, ConfigTarget } from './client-config.js';
import { configInvalid } from './config-file.js';
import { isRemote, type ServerEntry } from './server-entry.js';

/** Codex gives a server 10 s to start by default; a cold node + SQLite start on a busy machine can need more. */
export const CODEX_STARTUP_TIMEOUT_SEC = 20;

export function codexTarget(locations: { codexHome: string }): ConfigTarget {
  return { client: 'codex', scope: 'user', file: join(locations.codexHome, 'config.toml'), format: codexTomlFormat };
}

export const codexTomlFormat: ConfigFormat = {
  read(text, file) {
    const entry = ourEntry(parseToml(text, file));
    if (entry && typeof entry.command === 'string') return { command: entry.command, args: Array.isArray(entry.args) ? entry.args.map(String) : [] };
    if (!entry || typeof entry.url !== 'string') return undefined;
    return typeof entry.bearer_token_env_var === 'string' ? { url: entry.url, tokenEnv: entry.bearer_token_env_var } : { url: entry.url };
  },

  withEntry(text, server, file) {
    const before = text === undefined ? {} : parseToml(text, file);
    const existing = ourEntry(before);
    const entry = codexEntry(server, existing);
    if (text !== undefined && sameToml(existing, entry)) return text;
    const table = stringify({ mcp_servers: { [SERVER_ENTRY_NAME]: entry } }).trimEnd();
    const lines = splitLines(text ?? '');
    const block = ourBlock(lines, before, file);
    const edited = block ? [...lines.slice(0, block.start), table, ...lines.slice(block.end)] : appendBlock(lines, table);
    return verified(edited.join('\n'), before, entry, file);
  },

  withoutEntry(text, file) {
    const before = parseToml(text, file);
    const lines = splitLines(text);
    const block = ourBlock(lines, before, file);
    if (!block) return text;
    lines.splice(block.start, block.end - block.start);
    // Drop the blank line that separated our table from what came before, if it now doubles another.
    if (block.start > 0 && lines[block.start - 1]!.trim() === '' && (lines[block.start] ?? '').trim() === '') {
      lines.splice(block.start - 1, 1);
    }
    const after = lines.join('\n');
    return after.trim() === '' ? null : verified(after, before, undefined, file);
  },
};

/** Codex refuses a table with both transports' keys: switching transport drops the other one's. */
const STDIO_KEYS = ['command', 'args', 'env', 'env_vars', 'cwd'];
const HTTP_KEYS = ['url', 'bearer_token_env_var', 'http_headers', 'env_http_headers'];

/** Keys a user added to our table (enabled, tool timeouts, env of the same transport) stay. */
function codexEntry(server: ServerEntry, existing: TomlTable | undefined): TomlTable {
  const kept = Object.fromEntries(Object.entries(existing ?? {}).filter(([key]) => !(isRemote(server) ? STDIO_KEYS : HTTP_KEYS).includes(key)));
  if (isRemote(server)) return { ...kept, url: server.url, ...(server.tokenEnv === undefined ? {} : { bearer_token_env_var: server.tokenEnv }) };
  const timeout = Math.max(Number(existing?.startup_timeout_sec) || 0, CODEX_STARTUP_TIMEOUT_SEC);
  return { ...kept, command: server.command, args: server.args, startup_timeout_sec: timeout };
}

function parseToml(text: string, file: string): TomlTable {
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof TomlError) {
      throw configInvalid(file, `not valid TOML (${error.message.split('\n')[0]})`, { line: error.line, column: error.column });
    }
    throw error;
  }
}

function ourEntry(document: TomlTable): TomlTable | undefined {
  const servers = document.mcp_servers;
  const entry = isTable(servers) ? servers[SERVER_ENTRY_NAME] : undefined;
  return isTable(entry) ? entry : undefined;
}

function splitLines(text: string): string[] {
  return text.split('\n');
}

function appendBlock(lines: string[], table: string): string[] {
  const content = lines.join('\n').trimEnd() === '' ? [] : lines;
  // Keep the file's last line, end it with a newline, and leave one blank line before our table.
  const body = content.length > 0 && content.at(-1) === '' ? content.slice(0, -1) : content;
  return [...body, ...(body.length > 0 ? [''] : []), table, ''];
}

const HEADER = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/;

/**
 * The lines [start, end) of our table and its sub-tables: from its header to the next foreign header,
 * leaving the comments and blank lines just before that header to the table they introduce.
 */
function ourBlock(lines: string[], document: TomlTable, file: string): { start: number; end: number } | undefined {
  const headers = tableHeaders(lines);
  const startIndex = headers.findIndex((header) => isOurs(header.path));
  if (startIndex === -1) {
    if (ourEntry(document)) {
      throw configInvalid(file, `[mcp_servers.${SERVER_ENTRY_NAME}] is written as an inline table or dotted keys, which lockstep-mcp does not edit`);
    }
    return undefined;
  }
  const start = headers[startIndex]!.line;
  const next = headers.slice(startIndex + 1).find((header) => !isOurs(header.path));
  let end = next ? next.line : lines.length;
  while (end - 1 > start && /^\s*(#.*)?$/.test(lines[end - 1]!)) end--;
  return { start, end };
}

function isOurs(path: string[]): boolean {
  return path[0] === 'mcp_servers' && path[1] === SERVER_ENTRY_NAME;
}

/** Table header lines with their key path, skipping lines inside multi-line strings. */
function tableHeaders(lines: string[]): { line: number; path: string[] }[] {
  const headers: { line: number; path: string[] }[] = [];
  let openQuote: string | undefined;
  lines.forEach((line, index) => {
    const header = openQuote ? null : HEADER.exec(line);
    if (header) headers.push({ line: index, path: header[1]!.split('.').map((key) => key.trim().replace(/^(["'])(.*)\1$/, '$2')) });
    else if (!/^\s*#/.test(line)) {
      for (const quote of line.match(/"""|'''/g) ?? []) {
        if (!openQuote) openQuote = quote;
        else if (openQuote === quote) openQuote = undefined;
      }
    }
  });
  return headers;
}

/** The edit is kept only if it parses and changed nothing but our entry. */
function verified(text: string, before: TomlTable, entry: TomlTable | undefined, file: string): string {
  let after: TomlTable;
  try {
    after = parse(text);
  } catch (error) {
    throw configInvalid(file, `lockstep-mcp could not edit this file safely (${(error as Error).message.split('\n')[0]})`);
  }
  if (!sameToml(withoutOurs(after), withoutOurs(before)) || !sameToml(ourEntry(after), entry)) {
    throw configInvalid(file, `lockstep-mcp could not edit [mcp_servers.${SERVER_ENTRY_NAME}] without touching other settings`);
  }
  return text;
}

function withoutOurs(document: TomlTable): TomlTable {
  const servers = document.mcp_servers;
  if (!isTable(servers)) return document;
  const { [SERVER_ENTRY_NAME]: _ours, ...others } = servers;
  const { mcp_servers: _servers, ...rest } = document;
  return Object.keys(others).length > 0 ? { ...rest, mcp_servers: others } : rest;
}

/** smol-toml builds tables without a prototype; a strict comparison must not count that as a difference. */
function sameToml(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(structuredClone(a), structuredClone(b));
}

function isTable(value: unknown): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
