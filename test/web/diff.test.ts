// An implementer's work in the page beyond the plain diff: a diff larger than one page comes in pages,
// uncommitted changes are shown apart, and a change under .lockstep/ is flagged.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agent, dashboard, openPage, pageSuite, submitWork } from './harness.js';

const { h, chromium } = pageSuite();

/** About 15 KB of new lines: three such files overflow the API's 32 KB diff page. */
const bigFile = (name: string) => Array.from({ length: 300 }, (_, n) => `export const ${name}${n} = ${n}; // padding padding\n`).join('');

describe('an implementer\'s work in the page', () => {
  it('pages a large diff, shows uncommitted changes apart and flags a .lockstep/ change', async (test) => {
    const browser = chromium.browser;
    if (!browser) return test.skip(chromium.missing);
    const board = await dashboard(h);
    const planner = await agent(h, 'planner', 'lead');
    const ada = await agent(h, 'implementer', 'ada');
    const files = { '.lockstep/config.json': '{}\n', 'src/a.ts': bigFile('a'), 'src/b.ts': bigFile('b'), 'src/c.ts': bigFile('c') };
    const { worktree } = await submitWork(planner, ada, 'Three big files', files);
    writeFileSync(join(worktree, 'draft.txt'), 'not committed yet\n');
    const page = await openPage(h, browser, board.url);

    await page.locator('nav button', { hasText: 'Implementers' }).click();
    await page.locator('[data-implementer=ada] button').click();
    await page.getByTestId('lockstep-flag').waitFor();
    await page.locator('[data-file=".lockstep/config.json"]', { hasText: 'project config' }).waitFor();
    expect(await page.locator('[data-file="src/c.ts"]', { hasText: '+300' }).count()).toBe(0);
    expect(await page.getByTestId('more').count()).toBe(1);

    // Each click fetches the next page from its byte offset; a file cut by a page end is joined up.
    for (let pages = 1; await page.getByTestId('more').count(); pages++) {
      expect(pages).toBeLessThan(10);
      await page.getByTestId('more').click();
      await page.locator('[data-testid=more]:not([disabled])').or(page.locator('[data-file="draft.txt"]')).first().waitFor();
    }
    await page.locator('[data-file="src/c.ts"]', { hasText: '+300' }).waitFor();
    await page.getByRole('heading', { name: 'Uncommitted in the worktree' }).waitFor();
    await page.locator('[data-file="draft.txt"]').waitFor();
  });
});
