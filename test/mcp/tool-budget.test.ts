// The tool surface an agent pays for on every model request: our tools/list, forwarded the way Claude
// Code and Codex forward it (fixtures/model-request.ts, checked against both real CLIs in
// test/e2e/model-request.test.ts), stays within budget, and still offers every reference parameter.

import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp } from '../../fixtures/app.js';
import { removeTempDirs } from '../../fixtures/git.js';
import { useMcpAgents } from '../../fixtures/mcp-agents.js';
import { claudeTools, codexNamespace, jsonBytes } from '../../fixtures/model-request.js';
import { listToolsOf } from '../../src/mcp/catalog.js';
import { SERVER_INSTRUCTIONS } from '../../src/mcp/instructions.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { SERVER_ENTRY_NAME } from '../../src/server-name.js';

/** Bytes of tool definitions per model request, for each client (issue 10). */
const BUDGET = 15_000;

// reference/tools.md: * = required. The parameters naming the caller (owner, author, agent, decidedBy)
// default to the caller's identity here, and task_create's complexity is optional: additions it allows.
const REFERENCE_PARAMETERS: Record<string, string> = {
  coordination_init: 'role* name type projectRoot',
  project_context_set:
    'description* endState* techStack constraints acceptanceCriteria tests implementationPlan preferredImplementer status projectRoot',
  project_context_get: 'projectRoot',
  project_status_set: 'status* projectRoot',
  launch_implementer: 'type* name isolation projectRoot',
  implementer_list: 'projectRoot',
  implementer_reset: 'projectRoot',
  session_reset: 'confirm* keepProjectContext projectRoot',
  status_get: '',
  task_create: 'title* complexity description isolation owner tags metadata',
  task_claim: 'id* owner',
  task_update: 'id* title description status complexity owner tags metadata',
  task_list: 'status owner tag limit offset includeDone',
  task_summary: '',
  task_submit_for_review: 'id* owner reviewNotes*',
  task_approve: 'id* feedback',
  task_approve_batch: 'ids* feedback',
  task_request_changes: 'id* feedback*',
  lock_acquire: 'path* owner note',
  lock_release: 'path* owner',
  lock_list: 'status owner',
  note_append: 'text* author',
  note_list: 'limit',
  discussion_start: 'topic* message* author category priority waitingOn projectRoot',
  discussion_reply: 'discussionId* message* author recommendation waitingOn',
  discussion_resolve: 'discussionId* decision* reasoning* decidedBy linkedTaskId',
  discussion_get: 'discussionId*',
  discussion_list: 'status category waitingOn projectRoot limit',
  discussion_inbox: 'agent projectRoot',
  discussion_archive: 'discussionId*',
  discussion_cleanup: 'archiveOlderThanDays deleteOlderThanDays projectRoot',
  file_read: 'path* encoding maxBytes binary',
  file_write: 'path* content* encoding mode createDirs',
  artifact_read: 'path* encoding maxBytes binary',
  artifact_write: 'path* content* encoding mode createDirs',
  command_run: 'command* cwd timeoutMs maxOutputBytes env',
  tool_install: 'manager* args cwd timeoutMs env',
  log_append: 'event* payload',
  worktree_status: 'implementerId*',
  worktree_merge: 'implementerId* targetBranch',
  worktree_list: 'projectRoot',
  worktree_cleanup: 'projectRoot',
};

let tools: Tool[];
beforeAll(async () => {
  const { app, config } = await makeTestApp();
  tools = await listToolsOf(createMcpServer(app, config, { version: 'test' }));
  app.close();
});
afterAll(() => removeTempDirs());

/** The whole figure, then every tool's share, largest first: what to cut when the budget breaks. */
function report(client: string, total: number, perTool: { name: string; bytes: number }[], extra = ''): string {
  const rows = [...perTool].sort((a, b) => b.bytes - a.bytes).map(({ name, bytes }) => `  ${String(bytes).padStart(6)}  ${name}`);
  return [`${client}: ${total} B of tool definitions per model request (budget ${BUDGET} B)${extra}`, ...rows].join('\n');
}

describe('the tool definitions a model request carries', () => {
  it(`stay within ${BUDGET} bytes as Claude Code sends them`, () => {
    const sent = claudeTools(SERVER_ENTRY_NAME, tools);
    const total = jsonBytes(sent);
    const perTool = sent.map((tool) => ({ name: String(tool.name), bytes: jsonBytes(tool) }));
    expect(total, report('Claude Code', total, perTool)).toBeLessThanOrEqual(BUDGET);
  });

  it(`stay within ${BUDGET} bytes as Codex sends them, server instructions included`, () => {
    const sent = codexNamespace(SERVER_ENTRY_NAME, SERVER_INSTRUCTIONS, tools);
    const total = jsonBytes(sent);
    const perTool = (sent.tools as { name: string }[]).map((tool) => ({ name: tool.name, bytes: jsonBytes(tool) }));
    const instructions = `; server instructions ${jsonBytes(SERVER_INSTRUCTIONS)} B`;
    expect(total, report('Codex', total, perTool, instructions)).toBeLessThanOrEqual(BUDGET);
  });

  it('still advertise every reference parameter, required where the reference requires it', () => {
    for (const [name, parameters] of Object.entries(REFERENCE_PARAMETERS)) {
      const tool = tools.find((candidate) => candidate.name === name);
      expect(tool, name).toBeDefined();
      const declared = Object.keys(tool!.inputSchema.properties ?? {});
      for (const parameter of parameters.split(' ').filter(Boolean)) {
        const bare = parameter.replace('*', '');
        expect(declared, `${name}.${bare}`).toContain(bare);
        if (parameter.endsWith('*')) expect(tool!.inputSchema.required, `${name}.${bare} required`).toContain(bare);
      }
    }
  });

  it('never advertise the keywords only the validator needs', () => {
    const advertised = JSON.stringify(tools.map((tool) => tool.inputSchema));
    for (const keyword of ['"$schema"', '"additionalProperties":false', '"minLength"', '"maxLength"', '"maximum"', '"definitions"', '"$ref"']) {
      expect(advertised).not.toContain(keyword);
    }
  });
});

describe('the validator behind the leaner schemas', () => {
  const { agent } = useMcpAgents();

  it('still refuses what the advertised schema no longer spells out', async () => {
    const planner = await agent('plan', 'planner');
    expect(await planner.callError('task_create', { title: 'x'.repeat(201) })).toMatch(/title/);
    expect(await planner.callError('task_list', { limit: 10_000 })).toMatch(/limit/);
    expect(await planner.callError('task_create', { title: 'Lexer', metadata: { note: 'y'.repeat(5_000) } })).toMatch(/metadata/);
    expect(await planner.callError('lock_list', { owner: 'plan', verbose: true })).toMatch(/verbose/);
  });
});
