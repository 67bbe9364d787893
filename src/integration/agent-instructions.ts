// The coordination instructions `lockstep-mcp init` puts into CLAUDE.md (read by Claude Code) and
// AGENTS.md (read by Codex), between markers so that re-running replaces only our block and
// `disable` can take it out again without touching anything the humans wrote.

import { DomainError } from '../core/errors.js';

export const INSTRUCTION_FILES = ['CLAUDE.md', 'AGENTS.md'] as const;

export const BLOCK_BEGIN = '<!-- lockstep:begin -->';
export const BLOCK_END = '<!-- lockstep:end -->';

const INSTRUCTIONS = `## Working alongside other agents (lockstep)

Several AI agents share this repository through the \`lockstep\` MCP server. Its tools keep you out of
each other's way; use them like this.

- **Begin** each session with \`coordination_init\` and your role: \`"planner"\` if the user asked you to
  plan or lead, \`"implementer"\` if you were asked to build (ask the user when it is unclear). Its
  answer tells you what to do next. If it says coordination is disabled here, work without lockstep.
- **As planner:** agree with the user on the goal, the end state, constraints and the tests that must
  pass, and record them with \`project_context_set\`; split the plan into tasks with \`task_create\`;
  then keep an eye on \`task_summary\`, \`note_list\` and \`discussion_inbox\`, answer questions, and
  review submitted work with \`task_approve\` or \`task_request_changes\`. When every task is done, set
  \`project_status_set\` to "complete"; to halt everyone, set it to "stopped".
- **As implementer:** \`task_wait\` (or \`task_list\`) → \`task_claim\` → \`lock_acquire\` on each shared
  file before editing it → do the work and run the tests → \`lock_release\` →
  \`task_submit_for_review\` with notes (simple and medium tasks outside a worktree may be closed with
  \`task_update\` status "done") → start again. Do not wait for the user between tasks; stop when the project is
  "stopped" or "complete".
- **Your worktree:** if you were given a worktree of your own (branch \`lockstep/<your name>\`), edit,
  build and commit only inside that directory — never in the main checkout or another agent's worktree.
- Any result may carry a \`pending\` block with news for you (notes, review verdicts, lost locks, a
  stopped project). Deal with it before carrying on.
- **Stopping:** when the user tells you not to use lockstep, or to work on your own, release the locks
  you hold with \`lock_release\`, then stop calling lockstep tools and carry on as a single agent.`;

export const INSTRUCTION_BLOCK = `${BLOCK_BEGIN}\n${INSTRUCTIONS}\n${BLOCK_END}`;

interface BlockPlace {
  start: number;
  /** Just past the end marker's line (its newline included). */
  end: number;
}

/** The text with our block in place: replaced where it is, else appended after a blank line. */
export function withInstructions(text: string, file: string): string {
  const place = findBlock(text, file);
  if (place) return text.slice(0, place.start) + INSTRUCTION_BLOCK + '\n' + text.slice(place.end);
  if (text.trim() === '') return `${INSTRUCTION_BLOCK}\n`;
  return `${text.endsWith('\n') ? text : `${text}\n`}\n${INSTRUCTION_BLOCK}\n`;
}

/** The text without our block (and without the blank line that separated it from the text before). */
export function withoutInstructions(text: string, file: string): string {
  const place = findBlock(text, file);
  if (!place) return text;
  let before = text.slice(0, place.start);
  const after = text.slice(place.end);
  if (before.endsWith('\n\n') && (after === '' || after.startsWith('\n'))) before = before.slice(0, -1);
  return before + after;
}

export function hasInstructions(text: string, file: string): boolean {
  return findBlock(text, file) !== undefined;
}

function findBlock(text: string, file: string): BlockPlace | undefined {
  const start = text.indexOf(BLOCK_BEGIN);
  const endMarker = text.indexOf(BLOCK_END, start);
  if (start === -1 && endMarker === -1) return undefined;
  if (start === -1 || endMarker === -1) {
    throw new DomainError(
      'CONFIG_INVALID',
      `${file} has only one of the markers ${BLOCK_BEGIN} / ${BLOCK_END}`,
      `Delete the leftover marker from ${file} by hand, then run the command again.`,
    );
  }
  const lineEnd = text.indexOf('\n', endMarker);
  return { start, end: lineEnd === -1 ? text.length : lineEnd + 1 };
}
