// Sent in the initialize result, so any connecting agent knows how to begin even when the project's
// CLAUDE.md / AGENTS.md says nothing about lockstep. Codex sends it with every model request (as the
// description of the server's tool namespace), so it stays as short as the tool descriptions; the
// role's full workflow comes once, in coordination_init's guidance.

export const SERVER_INSTRUCTIONS =
  'Coordinates AI agents on this git repo: call coordination_init first, follow its guidance, act on "pending". ' +
  'Stop if told not to use lockstep.';
