// Recognises the handshake messages a server can answer before it loads the SDK: initialize,
// notifications/initialized and tools/list. The test is deliberately narrower than the SDK's schemas:
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
    return !('id' in value) && (params === undefined || isEmpty(params)) ? { method } : undefined;
  }
  if (!isRequestId(id)) return undefined;
  if (method === 'tools/list' && (params === undefined || isEmpty(params) || isCursorOnly(params))) return { method, id };
  if (method === 'initialize' && isPlainInitialize(params)) return { method, id, protocolVersion: params.protocolVersion };
  return undefined;
}

/** The SDK serves the whole catalog on one page whatever the cursor says. */
const isCursorOnly = (params: unknown) => isObject(params) && hasOnly(params, ['cursor']) && typeof params.cursor === 'string';

function isPlainInitialize(params: unknown): params is { protocolVersion: string } {
  if (!isObject(params) || !hasOnly(params, ['protocolVersion', 'capabilities', 'clientInfo'])) return false;
  const { protocolVersion, capabilities, clientInfo } = params;
  return typeof protocolVersion === 'string' && isPlainClientInfo(clientInfo) && isPlainCapabilities(capabilities);
}

function isPlainClientInfo(info: unknown): boolean {
  return (
    isObject(info) &&
    hasOnly(info, ['name', 'title', 'version']) &&
    typeof info.name === 'string' &&
    typeof info.version === 'string' &&
    (info.title === undefined || typeof info.title === 'string')
  );
}

/** Every capability the SDK knows accepts `{}`; roots may also say whether its list changes. */
function isPlainCapabilities(capabilities: unknown): boolean {
  if (!isObject(capabilities)) return false;
  return Object.entries(capabilities).every(
    ([name, value]) => isEmpty(value) || (name === 'roots' && isObject(value) && hasOnly(value, ['listChanged']) && typeof value.listChanged === 'boolean'),
  );
}
