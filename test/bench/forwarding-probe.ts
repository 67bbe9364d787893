// Which parts of an MCP tool each real client forwards to the model: runs Claude Code and Codex once
// against a server whose one tool marks every part (forwarding-probe-server.mjs) and reports the
// markers and keywords found in the model request. The findings are in README "What a model request
// costs" and in fixtures/model-request.ts. Run with `tsx test/bench/forwarding-probe.ts`.

import { fileURLToPath } from 'node:url';
import { makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { captureModelRequest, clientBinary, type AgentClient } from '../../fixtures/model-request-capture.js';

const PROBE = fileURLToPath(new URL('./forwarding-probe-server.mjs', import.meta.url));
const MARKS = ['TITLE', 'ANNOTATION', 'OUTPUT_SCHEMA', 'META', 'INSTRUCTIONS', 'DESCRIPTION', 'PARAM', 'NESTED', 'DEFS'];
const KEYWORDS = ['$schema', 'additionalProperties', 'minLength', 'maxLength', 'pattern', 'format', 'default', 'minimum', 'maximum', 'maxItems', 'propertyNames', 'const', '$defs'];

async function probe(client: AgentClient): Promise<string[]> {
  const server = { name: 'probe', command: process.execPath, args: [PROBE], cwd: makeTempDir('lockstep-probe-'), env: {} };
  const { body } = await captureModelRequest(client, server);
  const request = JSON.stringify(body);
  const tool = JSON.stringify(body.tools.find((candidate: { name: string }) => candidate.name.includes('probe')));
  return [
    `${client}: forwarded ${MARKS.filter((mark) => request.includes(`${mark}_MARK`)).join(', ')}`,
    `${client}: not forwarded ${MARKS.filter((mark) => !request.includes(`${mark}_MARK`)).join(', ')}`,
    `${client}: schema keywords kept ${KEYWORDS.filter((keyword) => tool.includes(`"${keyword}"`)).join(', ')}`,
  ];
}

for (const client of ['claude', 'codex'] as const) {
  console.log(clientBinary(client) ? (await probe(client)).join('\n') : `${client}: CLI not installed`);
}
removeTempDirs();
