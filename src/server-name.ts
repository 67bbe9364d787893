// The name our server is registered under in agent clients' configurations, which also prefixes its tools
// there (`mcp__lockstep__…`). A leaf module, so launch and integration share it without importing each other.

export const SERVER_ENTRY_NAME = 'lockstep';
