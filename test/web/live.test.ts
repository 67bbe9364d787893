// The page stays current without reloading: events written by other processes arrive over the live
// feed, and after the feed drops the page resumes from its last sequence number.

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { agent, dashboard, openPage, pageSuite, submitWork } from './harness.js';

const { h, chromium } = pageSuite();

describe('the dashboard page, live', () => {
  it('shows a task created over MCP by another process without a reload', async (test) => {
    const browser = chromium.browser;
    if (!browser) return test.skip(chromium.missing);
    const board = await dashboard(h);
    const planner = await agent(h, 'planner', 'lead');
    const page = await openPage(h, browser, board.url);
    await page.evaluate('window.__loadedOnce = 1');

    const { task } = await planner.call('task_create', { title: 'Parse the config file', tags: ['parser'] });

    await page.locator(`.card[data-task="${task.id}"]`).getByText('Parse the config file').waitFor();
    await page.locator('nav button', { hasText: 'Activity' }).click();
    await page.locator('[data-testid=timeline] li', { hasText: 'task_created' }).first().waitFor();
    expect(await page.evaluate('window.__loadedOnce')).toBe(1);
    expect(page.url()).not.toContain('token=');
    expect(h.aborted).toEqual([]);
  });

  it('replaces the placeholder shown before its script runs, and keeps a wide view beside the side panel', async (test) => {
    const browser = chromium.browser;
    if (!browser) return test.skip(chromium.missing);
    const board = await dashboard(h);
    const planner = await agent(h, 'planner', 'lead');
    await submitWork(planner, await agent(h, 'implementer', 'ada'), 'Add a greeting', { 'src/greet.ts': 'export const greet = 1;\n' });
    const page = await openPage(h, browser, board.url);
    expect(await page.locator('#app > p.loading').count()).toBe(0);

    await page.setViewportSize({ width: 1000, height: 700 });
    await page.locator('nav button', { hasText: 'Implementers' }).click();
    await page.locator('[data-implementer=ada] button').click();
    await page.getByTestId('work').waitFor();
    // The implementers table is wider than its column: it scrolls there instead of running under the panel.
    const row = (await page.locator('tr[data-implementer=ada]').boundingBox())!;
    const side = (await page.locator('main .side').boundingBox())!;
    const covering = await page.evaluate(`Boolean(document.elementFromPoint(${side.x + 20}, ${row.y + row.height / 2})?.closest('main .view'))`);
    expect(row.x + row.width).toBeGreaterThan(side.x);
    expect(covering).toBe(false);
  });

  it('searches and filters the board in the store', async (test) => {
    const browser = chromium.browser;
    if (!browser) return test.skip(chromium.missing);
    const board = await dashboard(h);
    const planner = await agent(h, 'planner', 'lead');
    for (const title of ['Write the lexer', 'Write the parser', 'Document the CLI']) await planner.call('task_create', { title });
    const page = await openPage(h, browser, board.url);
    await page.locator('.card').nth(2).waitFor();

    await page.getByLabel('search tasks').fill('parser');
    await page.locator('.card', { hasText: 'Write the lexer' }).waitFor({ state: 'detached' });
    expect(await page.locator('.card .title').allTextContents()).toEqual(['Write the parser']);
  });

  it('resumes from its last sequence number after the live feed drops, without a reload', async (test) => {
    const browser = chromium.browser;
    if (!browser) return test.skip(chromium.missing);
    const board = await dashboard(h);
    const planner = await agent(h, 'planner', 'lead');
    // Test instrumentation only: keep every socket the page opens, so the test can cut the feed while
    // the dashboard keeps running, and read what the page asks for when it comes back.
    const page = await openPage(h, browser, board.url, (p) =>
      p.addInitScript(`{
        const Native = window.WebSocket;
        window.__sockets = [];
        window.WebSocket = class extends Native { constructor(...args) { super(...args); window.__sockets.push(this); } };
      }`),
    );
    await page.evaluate('window.__loadedOnce = 1');
    const first = await planner.call('task_create', { title: 'Seen live' });
    await page.locator(`.card[data-task="${first.task.id}"]`).waitFor();
    const seenSeq = await lastSeq(page);

    await page.evaluate('window.__sockets.at(-1).close()');
    const second = await planner.call('task_create', { title: 'Written around the cut' });
    await page.locator(`.card[data-task="${second.task.id}"]`).waitFor();

    const feeds = (await page.evaluate('window.__sockets.map((socket) => socket.url)')) as string[];
    expect(feeds).toHaveLength(2);
    expect(Number(new URL(feeds[1]!).searchParams.get('after'))).toBe(seenSeq);
    expect(await page.evaluate('window.__loadedOnce')).toBe(1);
  });
});

/** The last sequence number the page has applied. */
async function lastSeq(page: Page): Promise<number> {
  return Number(await page.getByTestId('live').getAttribute('data-seq'));
}
