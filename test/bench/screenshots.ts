// The README's pictures: plays `lockstep-mcp demo --fast --stay` (its agents and dashboard stay up after the
// story), opens the dashboard it prints in headless Chromium and saves the board and a diff review
// (with a line comment typed in the page) under docs/. Not a test; `npm run screenshots` after a page change.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../../fixtures/browser.js';
import { makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { BUILT_CLI } from '../../fixtures/mcp.js';

const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));
const VIEWPORT = { width: 1440, height: 900 };
const STAYS_UP = /The dashboard stays up at (\S+)/;

const temp = makeTempDir('lockstep-screenshots-');
// The dashboard signs the human's actions with git's user.name: give the pictures a neutral one.
const gitConfig = join(temp, 'gitconfig');
writeFileSync(gitConfig, '[user]\n\tname = Grace\n\temail = grace@example.invalid\n');
const demo = spawn(process.execPath, [BUILT_CLI, 'demo', '--fast', '--stay', '--no-open', '--dir', join(temp, 'demo')], {
  env: { ...process.env, GIT_CONFIG_GLOBAL: gitConfig, NO_COLOR: '1' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((resolve, reject) => {
  let output = '';
  demo.stdout!.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk);
    output += chunk.toString();
    const match = STAYS_UP.exec(output);
    if (match) resolve(match[1]!);
  });
  demo.once('exit', (code) => reject(new Error(`the demo exited (${code}) before its dashboard stayed up`)));
});

const { browser, missing } = await launchChromium();
try {
  if (!browser) throw new Error(missing);
  const page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
  await page.goto(url);
  await page.waitForSelector('[data-testid=live]:has-text("live")');
  await page.locator('.card', { hasText: 'Say goodbye' }).waitFor();
  // The board beside a landed task's story: its answered line comment, landed commit and history.
  await page.locator('.card', { hasText: 'Greet in French' }).click();
  await page.getByTestId('comment').getByText('Done in').waitFor();
  await page.screenshot({ path: join(DOCS, 'dashboard-board.png') });

  await page.locator('.card', { hasText: 'Say goodbye' }).click();
  await page.getByRole('button', { name: 'view work' }).click();
  await page.getByTestId('file-tree').locator('[data-file="src/farewell.ts"]').waitFor();
  await page.locator('.d2h-code-line-ctn', { hasText: "const word = settings.language === 'fr'" }).click();
  await page.getByTestId('comment-box').getByLabel('comment').fill('Could this read the word from salutations.ts, like greet() does?');
  await page.getByTestId('comment-box').getByRole('button', { name: 'Comment' }).click();
  await page.getByTestId('comment').getByText('Could this read the word').waitFor();
  await page.screenshot({ path: join(DOCS, 'dashboard-review.png'), fullPage: true });
  console.log(`saved ${join(DOCS, 'dashboard-board.png')} and ${join(DOCS, 'dashboard-review.png')}`);
} finally {
  await browser?.close();
  demo.kill('SIGINT');
  await once(demo, 'exit');
  removeTempDirs();
}
