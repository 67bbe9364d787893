// Per-repository settings a human commits with the project: `.lockstep/config.json` in the main
// working tree. Read fresh on each use (it is tiny) so edits apply without restarting servers.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as z from 'zod';
import { DomainError } from '../core/errors.js';
import { ENV_NAME } from '../launch/agent-env.js';

export const PROJECT_CONFIG_FILE = join('.lockstep', 'config.json');

const projectConfigSchema = z
  .object({
    /** false after `lockstep-mcp disable`: agents are told coordination is off here. */
    enabled: z.boolean().optional(),
    /** CLAUDE.md / AGENTS.md that `lockstep-mcp init` created, so `disable` leaves no empty stubs behind. */
    instructionFilesCreated: z.array(z.string().min(1)).optional(),
    /** The branch approved work lands on; default: the branch checked out in the main worktree. */
    targetBranch: z.string().min(1).optional(),
    /** Where implementer worktrees live; relative paths are from the repository root. */
    worktreeRoot: z.string().min(1).optional(),
    /** The shared remote (URL, or path of a bare repository) implementers on other machines push to. */
    remote: z.string().min(1).optional(),
    /** Run in an implementer's worktree when it submits for review (for example "npm test"). */
    verifyCommand: z.string().min(1).optional(),
    /** Run on the merged result before it lands; landing happens only when it passes. */
    gateCommand: z.string().min(1).optional(),
    /** What launched implementers get beyond the defaults (README "Launching implementers"). */
    launch: z
      .object({
        /** More environment variables passed through to launched agents. */
        env: z.array(z.string().regex(ENV_NAME)).optional(),
        /** More Claude permission rules, e.g. "Bash(npm test:*)". */
        claudeAllowedTools: z.array(z.string().min(1)).optional(),
        /** More directories Codex may write; relative paths are from the repository root. */
        codexWritableRoots: z.array(z.string().min(1)).optional(),
        /** How long launch_implementer waits for the agent's coordination_init. */
        arrivalTimeoutSeconds: z.number().int().min(1).max(600).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ProjectConfig = z.infer<typeof projectConfigSchema>;

export async function readProjectConfig(root: string): Promise<ProjectConfig> {
  const file = join(root, PROJECT_CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  let parsed: z.ZodSafeParseResult<ProjectConfig>;
  try {
    parsed = projectConfigSchema.safeParse(JSON.parse(text));
  } catch (error) {
    throw invalidConfig(file, (error as Error).message);
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalidConfig(file, `${issue.path.join('.') || 'top level'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Changes the given keys (undefined removes one), keeping the rest; written by temp file + rename. */
export async function updateProjectConfig(root: string, patch: Partial<ProjectConfig>): Promise<ProjectConfig> {
  const next: Record<string, unknown> = { ...(await readProjectConfig(root)) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete next[key];
    else next[key] = value;
  }
  const config = projectConfigSchema.parse(next);
  const file = join(root, PROJECT_CONFIG_FILE);
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(config, null, 2)}\n`);
  await rename(temporary, file);
  return config;
}

function invalidConfig(file: string, reason: string): DomainError {
  return new DomainError('INVALID_INPUT', `${file} is not a valid lockstep project config: ${reason}`, `Fix or delete ${file}.`);
}
