// The command tool family: run a program without a shell, install packages, and log an agent event.

import * as z from 'zod';
import { DEFAULT_OUTPUT_BYTES, DEFAULT_TIMEOUT_MS, MAX_OUTPUT_BYTES, MAX_TIMEOUT_MS } from '../../domain/commands.js';
import { INSTALL_MANAGERS } from '../../policy/commands.js';
import { defineTool, DESTRUCTIVE, WRITES } from '../define.js';

const cwd = z.string().min(1).optional().describe('Working directory; relative paths start at the project root (default).');
const timeoutMs = z
  .number()
  .int()
  .min(1)
  .max(MAX_TIMEOUT_MS)
  .optional()
  .describe(`Kill the program and everything it started after this long (default ${DEFAULT_TIMEOUT_MS}).`);
const env = z
  .record(z.string(), z.string())
  .optional()
  .describe('Extra environment variables. In allowlist mode HOME, PATH, GIT_*, NODE_* and the like are refused.');

const RUN_RESULT =
  'Returns {exitCode, signal?, timedOut?, durationMs, stdout, stderr, truncated?}; a non-zero exitCode is a result, ' +
  'not an error; truncated means only the tail of the output is kept.';

export const commandTools = [
  defineTool({
    name: 'command_run',
    title: 'Run a program (no shell)',
    description:
      'Runs ONE program with arguments, WITHOUT a shell: the command is split into words (single/double quotes and ' +
      'backslashes work), but ; && || | & > < 2> $( ) backticks and newlines are never interpreted and $VAR is not ' +
      `expanded. Run chained steps as separate calls; read output from the result instead of redirecting. ${RUN_RESULT} ` +
      'Errors: COMMAND_FORBIDDEN (allowlist mode: program not allowlisted, git sub-command/option refused, or shell syntax), ENV_FORBIDDEN, ' +
      'COMMAND_FAILED (program not found or not executable), PATH_OUTSIDE_ROOTS / PATH_NOT_FOUND (cwd).',
    input: z
      .object({
        command: z.string().min(1).max(16_384).describe('Program and arguments, e.g. "npm test -- --run".'),
        cwd,
        timeoutMs,
        maxOutputBytes: z
          .number()
          .int()
          .min(1)
          .max(MAX_OUTPUT_BYTES)
          .optional()
          .describe(`Keep at most this many bytes of stdout+stderr, the tail (default ${DEFAULT_OUTPUT_BYTES}).`),
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
    description:
      `Installs packages with a known manager (${INSTALL_MANAGERS.join(', ')}): npm runs "npm install <args>", ` +
      'pnpm/yarn "add", pip/cargo/go/brew "install", apt-get "install -y". Each arg stays one argument (no shell). ' +
      `${RUN_RESULT} Also returns argv, the exact command run. Errors: INVALID_INPUT (unknown manager), ` +
      'COMMAND_FORBIDDEN (manager not allowlisted), ENV_FORBIDDEN, COMMAND_FAILED (manager not installed).',
    input: z
      .object({
        manager: z.string().min(1).describe(`One of: ${INSTALL_MANAGERS.join(', ')}.`),
        args: z.array(z.string()).max(200).optional().describe('Package names and flags, one per item.'),
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
    description:
      'Records something you did or noticed (e.g. "tests_passed", "deploy_started") in the project event log that ' +
      'the dashboard and the human see, and in the server log file. Use it for milestones, not for messages to ' +
      'agents (note_append). Returns {seq}. Errors: INVALID_INPUT (payload larger than 16 KiB).',
    input: z
      .object({
        event: z.string().min(1).max(200).describe('A short event name.'),
        payload: z.record(z.string(), z.json()).optional().describe('Small JSON details.'),
      })
      .strict(),
    annotations: WRITES,
    handler: async (input, { app, caller }) => app.commands.log(caller, input.event, input.payload),
  }),
];
