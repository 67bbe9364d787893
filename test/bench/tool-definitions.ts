// Bytes of tool definitions in every model request, measured from what the real Claude Code and Codex
// CLIs send to the scripted model when the built server is configured (issue 10). A size, not a
// timing; the budget test guards it, this prints it beside the reference. Run alone with
// `tsx test/bench/tool-definitions.ts` after `npm run build`.

import { makeRepo } from '../../fixtures/git.js';
import { builtServer, captureModelRequest, clientBinary, type AgentClient } from '../../fixtures/model-request-capture.js';
import { jsonBytes } from '../../fixtures/model-request.js';
import { SERVER_ENTRY_NAME } from '../../src/server-name.js';
import { row } from './stats.js';

/** Measured on this machine against the reference implementation (issue 10), quoted as they are. */
const REFERENCE: Record<AgentClient, number> = { claude: 19_232, codex: 20_108 };
const BUDGET = 15_000;
const LABEL: Record<AgentClient, string> = { claude: 'Claude Code', codex: 'Codex' };

/** Our share of the request's tools: Claude lists mcp__<server>__* tools, Codex one mcp__<server> namespace. */
function ourDefinitions(client: AgentClient, tools: Record<string, any>[]): Record<string, any>[] {
  return client === 'claude'
    ? tools.filter((tool) => String(tool.name).startsWith(`mcp__${SERVER_ENTRY_NAME}__`))
    : tools.filter((tool) => tool.name === `mcp__${SERVER_ENTRY_NAME}`);
}

export async function benchToolDefinitions(): Promise<string[]> {
  const repo = makeRepo();
  const lines: string[] = [];
  for (const client of ['claude', 'codex'] as const) {
    if (!clientBinary(client)) {
      lines.push(row(`tool definitions per model request, ${LABEL[client]}`, 'CLI not installed', '—', null));
      continue;
    }
    const { tools } = await captureModelRequest(client, builtServer(repo, SERVER_ENTRY_NAME));
    const ours = ourDefinitions(client, tools);
    const bytes = client === 'claude' ? jsonBytes(ours) : jsonBytes(ours[0]);
    lines.push(
      row(
        `tool definitions per model request, ${LABEL[client]} (real CLI; budget ${BUDGET.toLocaleString('en')} B)`,
        `${bytes.toLocaleString('en')} B`,
        `${REFERENCE[client].toLocaleString('en')} B (reference)`,
        bytes / REFERENCE[client],
      ),
    );
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log((await benchToolDefinitions()).join('\n'));
  const { removeTempDirs } = await import('../../fixtures/git.js');
  removeTempDirs();
}
