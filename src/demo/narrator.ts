// What the demo says in the terminal, at a pace a human can follow: one line per thing an agent does,
// prefixed by who did it. With --fast the pauses are skipped and the lines stay.

export interface Narrator {
  /** An agent did something. */
  act(who: string, what: string): void;
  /** A heading for the next part of the story. */
  chapter(title: string): void;
  /** A plain line (addresses, the summary). */
  line(text?: string): void;
  /** Waits as long as a human needs to look at the dashboard, unless fast. */
  pause(ms?: number): Promise<void>;
}

const WHO_WIDTH = 7;

export function createNarrator(options: { fast: boolean; write?: (text: string) => void }): Narrator {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const colour = process.stdout.isTTY && !process.env.NO_COLOR;
  const dim = (text: string) => (colour ? `\x1b[2m${text}\x1b[0m` : text);
  const bold = (text: string) => (colour ? `\x1b[1m${text}\x1b[0m` : text);
  return {
    act: (who, what) => write(`  ${dim(who.padEnd(WHO_WIDTH))} ${what}\n`),
    chapter: (title) => write(`\n${bold(title)}\n`),
    line: (text = '') => write(`${text}\n`),
    pause: (ms = 1_500) => (options.fast ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms))),
  };
}
