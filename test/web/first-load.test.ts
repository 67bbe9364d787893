// The first load stays small with a big board: 1,000 tasks and 10 implementers cost at most 300 KB on
// the wire (compressed), because the page is one small bundle and the API pages its lists.

import type { Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { dashboard, openPage, pageSuite } from './harness.js';

const { h, chromium } = pageSuite();

const FIRST_LOAD_BUDGET = 300 * 1024;

async function bigBoard(): Promise<void> {
  const planner = h.t.caller('lead', 'planner');
  for (let n = 1; n <= 10; n++) await h.t.app.agents.register(h.t.caller(`impl-${n}`), { role: 'implementer', name: `impl-${n}` });
  for (let n = 1; n <= 1_000; n++) {
    await h.t.app.tasks.create(planner, { title: `Task ${n}: make module ${n} handle its edge cases`, description: `Details of task ${n}. `.repeat(5), tags: ['bulk', `group-${n % 7}`] });
  }
}

describe('the first load of a big project', () => {
  it('transfers at most 300 KB compressed with 1,000 tasks and 10 implementers', async (test) => {
    const browser = chromium.browser;
    if (!browser) return test.skip(chromium.missing);
    await bigBoard();
    const board = await dashboard(h);
    const requests: Request[] = [];
    const page = await openPage(h, browser, board.url, async (p) => void p.on('requestfinished', (request) => requests.push(request)));
    await page.locator('.card').nth(99).waitFor();
    // The store pages the board: 200 of the 1,000 come, with the total from the task summary.
    await page.getByText('200 of 1000 shown').waitFor();

    const sizes = await Promise.all(requests.map(async (request) => ({ url: request.url(), ...(await request.sizes()) })));
    const total = sizes.reduce((sum, size) => sum + size.responseBodySize + size.responseHeadersSize, 0);
    expect(total).toBeLessThanOrEqual(FIRST_LOAD_BUDGET);
  });
});
