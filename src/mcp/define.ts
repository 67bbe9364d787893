// The one shape every MCP tool is declared in: name, agent-facing description, strict zod input,
// annotations and a thin handler over one domain method. The server adds identity, the pending
// block and error translation around every handler, so handlers never repeat that.

import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type * as z from 'zod';
import type { Config } from '../config.js';
import type { App } from '../domain/app.js';
import type { Caller, ClientSession, Project } from '../domain/context.js';
import type { AgentRole, AgentType } from '../core/vocabulary.js';
import { acceptBlankOptionals, assertStorableText } from './input-text.js';

/** Per-connection state: a stdio server process serves exactly one, so for real clients one per process. */
export interface Session extends ClientSession {
  /** type: the agent program it said it is, for guidance its client can follow. */
  agent?: { name: string; role: AgentRole; type?: AgentType };
  /** The project coordination_init named (`project`): calls without projectRoot act on it. */
  project?: Project;
}

export interface ToolCall {
  app: App;
  caller: Caller;
  session: Session;
  config: Config;
}

export type ToolInput = z.ZodObject<z.ZodRawShape>;

export interface ToolDefinition<I extends ToolInput = ToolInput> {
  name: string;
  title: string;
  /** Written for an agent: what it does, when to call it, the error codes, what to call next. */
  description: string;
  input: I;
  annotations: ToolAnnotations;
  handler(input: z.output<I>, call: ToolCall): Promise<object> | object;
}

/** Every tool passes through here, so the text rules of input-text.ts hold for all of them. */
export function defineTool<I extends ToolInput>(tool: ToolDefinition<I>): ToolDefinition {
  const checked: ToolDefinition<I> = {
    ...tool,
    input: acceptBlankOptionals(tool.input),
    handler(input, call) {
      assertStorableText(input);
      return tool.handler(input, call);
    },
  };
  return checked as unknown as ToolDefinition;
}

export const READ_ONLY: ToolAnnotations = { readOnlyHint: true, openWorldHint: false };
export const WRITES: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, openWorldHint: false };
export const IDEMPOTENT_WRITE: ToolAnnotations = { ...WRITES, idempotentHint: true };
export const DESTRUCTIVE: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, openWorldHint: false };
