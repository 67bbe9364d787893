// The command tool family: run a program without a shell, install packages, and log an agent event.

import * as z from 'zod';
import { MAX_OUTPUT_BYTES, MAX_TIMEOUT_MS } from '../../domain/commands.js';
import { INSTALL_MANAGERS } from '../../policy/commands.js';
import { defineTool, DESTRUCTIVE, WRITES } from '../define.js';

const cwd = z.string().min(1).optional();
const timeoutMs = z.number().int().min(1).max(MAX_TIMEOUT_MS).optional();
const env = z.record(z.string(), z.string()).optional();

export const commandTools = [
  defineTool({
    name: 'command_run',
    title: 'Run a program (no shell)',
    description: 'Run one program; no shell syntax.',
    input: z
      .object({
        command: z.string().min(1).max(16_384),
        cwd,
        timeoutMs,
        maxOutputBytes: z.number().int().min(1).max(MAX_OUTPUT_BYTES).optional(),
        env,
      })
      .strict(),
    // A program can do anything its arguments say, including deleting files.
    annotations: { ...DESTRUCTIVE, openWorldHint: true },
    handler: (input, { app, caller }) => app.commands.run(caller, input),
  }),
  defineTool({
    name: 'tool_install',
    title: 'Install packages with a package manager',
    description: `Install via ${INSTALL_MANAGERS.join(' ')}.`,
    input: z
      .object({
        manager: z.string().min(1),
        args: z.array(z.string()).max(200).optional(),
        cwd,
        timeoutMs,
        env,
      })
      .strict(),
    annotations: { ...WRITES, openWorldHint: true },
    handler: (input, { app, caller }) => app.commands.install(caller, input),
  }),
  defineTool({
    name: 'log_append',
    title: 'Log an event',
    description: 'Log a milestone for the human.',
    input: z
      .object({
        event: z.string().min(1).max(200),
        payload: z.record(z.string(), z.json()).optional(),
      })
      .strict(),
    annotations: WRITES,
    handler: async (input, { app, caller }) => app.commands.log(caller, input.event, input.payload),
  }),
];
