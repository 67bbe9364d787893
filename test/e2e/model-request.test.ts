// The real Claude Code and Codex CLIs, run against the built server and the scripted model on
// loopback, forward our tools exactly as fixtures/model-request.ts says; so the byte budget that
// test/mcp/tool-budget.test.ts computes from that fixture is what a model really receives.

import { afterAll, describe, expect, it } from 'vitest';
import { makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { spawnServer } from '../../fixtures/mcp.js';
import { builtServer, captureModelRequest, clientBinary } from '../../fixtures/model-request-capture.js';
import { claudeTools, codexNamespace, jsonBytes } from '../../fixtures/model-request.js';
import { SERVER_ENTRY_NAME } from '../../src/server-name.js';

afterAll(() => removeTempDirs());

const byName = (tools: Record<string, any>[]) => [...tools].sort((a, b) => String(a.name).localeCompare(String(b.name)));

async function listed(repo: string) {
  const client = await spawnServer({ cwd: repo, env: { COORD_DATA_DIR: makeTempDir() } });
  try {
    return { tools: (await client.client.listTools()).tools, instructions: client.client.getInstructions() ?? '' };
  } finally {
    await client.close();
  }
}

describe('what the real agent CLIs send the model for our tools', () => {
  it.skipIf(!clientBinary('claude'))('Claude Code sends name, description and the input schema verbatim, nothing else', { timeout: 120_000 }, async () => {
    const repo = makeRepo();
    const { tools } = await listed(repo);
    const request = await captureModelRequest('claude', builtServer(repo, SERVER_ENTRY_NAME));
    const ours = request.tools.filter((tool) => String(tool.name).startsWith(`mcp__${SERVER_ENTRY_NAME}__`));
    const expected = claudeTools(SERVER_ENTRY_NAME, tools);
    expect(byName(ours)).toEqual(byName(expected));
    expect(jsonBytes(ours)).toBe(jsonBytes(expected));
  });

  it.skipIf(!clientBinary('codex'))('Codex sends one namespace: the instructions, then each tool with a reduced schema', { timeout: 120_000 }, async () => {
    const repo = makeRepo();
    const { tools, instructions } = await listed(repo);
    const request = await captureModelRequest('codex', builtServer(repo, SERVER_ENTRY_NAME));
    const ours = request.tools.find((tool) => tool.name === `mcp__${SERVER_ENTRY_NAME}`)!;
    const expected = codexNamespace(SERVER_ENTRY_NAME, instructions, tools);
    expect({ ...ours, tools: byName(ours.tools) }).toEqual({ ...expected, tools: byName(expected.tools as Record<string, any>[]) });
    expect(jsonBytes(ours)).toBe(jsonBytes(expected));
  });
});
