// Recognises the handshake messages a server can answer before it loads the SDK: initialize,
// notifications/initialized and tools/list (whose cursor is moot: the catalog is one page). The test is deliberately narrower than the SDK's schemas:
// whatever it accepts, the SDK accepts too and answers the same way; anything else (a _meta, an
// unusual capability, a malformed message) waits for the SDK, which then answers or refuses as ever.

export type RequestId = string | number;

export type EarlyMessage =
  | { method: 'initialize'; id: RequestId; protocolVersion: string }
  | { method: 'notifications/initialized' }
  | { method: 'tools/list'; id: RequestId };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const hasOnly = (value: Json, keys: readonly string[]) => Object.keys(value).every((key) => keys.includes(key));
const isEmpty = (value: unknown) => isObject(value) && Object.keys(value).length === 0;
const isRequestId = (id: unknown): id is RequestId => typeof id === 'string' || Number.isInteger(id);

export function earlyMessage(value: unknown): EarlyMessage | undefined {
  if (!isObject(value) || value.jsonrpc !== '2.0' || !hasOnly(value, ['jsonrpc', 'id', 'method', 'params'])) return undefined;
  const { id, method, params } = value;
  if (method === 'notifications/initialized') {
    return !('id' in value) && hasPlainParams(params, []) ? { method } : undefined;
  }
  if (!isRequestId(id)) return undefined;
  if (method === 'tools/list' && hasPlainParams(params, ['cursor']) && ['string', 'undefined'].includes(typeof params?.cursor)) return { method, id };
  if (method === 'initialize' && isPlainInitialize(params)) return { method, id, protocolVersion: params.protocolVersion };
  return undefined;
}

/** No params, or only `keys` and a plain `_meta` (Codex sends a progress token with tools/list). */
function hasPlainParams(params: unknown, keys: readonly string[]): params is Json | undefined {
  if (params === undefined) return true;
  return isObject(params) && hasOnly(params, [...keys, '_meta']) && (params._meta === undefined || isPlainMeta(params._meta));
}

/** A progress token is fine; a related task (or anything odd) is for the SDK to judge. */
function isPlainMeta(meta: unknown): boolean {
  return isObject(meta) && !('io.modelcontextprotocol/related-task' in meta) && (meta.progressToken === undefined || isRequestId(meta.progressToken));
}

function isPlainInitialize(params: unknown): params is { protocolVersion: string } {
  if (!hasPlainParams(params, ['protocolVersion', 'capabilities', 'clientInfo']) || params === undefined) return false;
  const { protocolVersion, capabilities, clientInfo } = params;
  return typeof protocolVersion === 'string' && isPlainClientInfo(clientInfo) && isPlainCapabilities(capabilities);
}

/** name and version, and the optional texts Claude Code sends; icons are left to the SDK. */
function isPlainClientInfo(info: unknown): boolean {
  const optional = ['title', 'description', 'websiteUrl'];
  return (
    isObject(info) &&
    hasOnly(info, ['name', 'version', ...optional]) &&
    typeof info.name === 'string' &&
    typeof info.version === 'string' &&
    optional.every((key) => info[key] === undefined || typeof info[key] === 'string')
  );
}

/** What the SDK's ClientCapabilitiesSchema certainly accepts, beyond `{}` (which every capability takes). */
const PLAIN_CAPABILITY: Record<string, (value: Json) => boolean> = {
  roots: (value) => hasOnly(value, ['listChanged']) && typeof value.listChanged === 'boolean',
  // Codex: experimental {"codex/auth-change": {}}, elicitation {form: {}, url: {}}
  experimental: (value) => Object.values(value).every(isObject),
  extensions: (value) => Object.values(value).every(isObject),
  elicitation: (value) => Object.values(value).every(isEmpty),
};

function isPlainCapabilities(capabilities: unknown): boolean {
  if (!isObject(capabilities)) return false;
  return Object.entries(capabilities).every(
    ([name, value]) => isEmpty(value) || (isObject(value) && Object.hasOwn(PLAIN_CAPABILITY, name) && PLAIN_CAPABILITY[name]!(value)),
  );
}
