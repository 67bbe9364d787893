// `lockstep-mcp demo`: the first command a newcomer runs. Plays the scripted story (src/demo/), then
// keeps the dashboard up until Ctrl-C; with --fast it plays without pauses and stops when done
// (unless --stay).

import { runDemo } from '../demo/demo.js';
import { createNarrator } from '../demo/narrator.js';
import { say } from './output.js';

export interface DemoFlags {
  fast?: boolean;
  /** Keep the dashboard up after a --fast run too (for scripts that look at it). */
  stay?: boolean;
  open?: boolean;
  dir?: string;
}

export async function runDemoCommand(flags: DemoFlags, build: { cliFile: string }): Promise<void> {
  const fast = Boolean(flags.fast);
  const narrator = createNarrator({ fast });
  const run = await runDemo({ cliFile: build.cliFile, open: flags.open !== false, dir: flags.dir }, narrator);
  if (!fast || flags.stay) {
    say();
    say(`The dashboard stays up at ${run.dashboard.url}`);
    say('Ctrl-C ends the demo (the scratch repository stays for you to look at).');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  }
  await run.stop();
  say(`Done. The scratch repository is ${run.workspace.repo}`);
}
