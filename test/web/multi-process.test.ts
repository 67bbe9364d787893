// Many processes, one story: two MCP servers write, and two pages on one dashboard plus a page on a
// second dashboard instance (explicit --port) over the same store all see the same events in order.

import { createServer } from 'node:net';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { agent, dashboard, openPage, pageSuite } from './harness.js';

const { h, chromium } = pageSuite();

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The sequence numbers a page's timeline shows, oldest first. */
async function seqs(page: Page): Promise<number[]> {
  const shown = await page.locator('[data-testid=timeline] li').evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-seq'))));
  return shown.reverse();
}

describe('several writers and several dashboards on one store', () => {
  it('shows every page the same events in the same order', async (test) => {
    const browser = chromium.browser;
    if (!browser) return test.skip(chromium.missing);
    const first = await dashboard(h);
    const second = await dashboard(h, ['--port', String(await freePort())]);
    expect(second.origin).not.toBe(first.origin);
    const planner = await agent(h, 'planner', 'lead');
    const ada = await agent(h, 'implementer', 'ada');
    const pages = [await openPage(h, browser, first.url), await openPage(h, browser, first.url), await openPage(h, browser, second.url)];
    for (const page of pages) await page.locator('nav button', { hasText: 'Activity' }).click();

    await Promise.all([
      (async () => {
        for (let n = 0; n < 8; n++) await planner.call('task_create', { title: `planned ${n}` });
      })(),
      (async () => {
        for (let n = 0; n < 8; n++) await ada.call('note_append', { text: `progress ${n}` });
      })(),
    ]);
    const last = await h.t.app.context.store.read(h.t.repo, (tx) => tx.max('events', 'seq'));

    for (const page of pages) await page.locator(`[data-testid=timeline] li[data-seq="${last}"]`).waitFor();
    const [reference, ...others] = await Promise.all(pages.map(seqs));
    expect(reference!.filter((seq, index) => index > 0 && seq <= reference![index - 1]!)).toEqual([]);
    expect(reference!.at(-1)).toBe(last);
    for (const other of others) expect(other).toEqual(reference);
  });
});
