// The page stays current without reloading: events written by other processes arrive over the live
// feed, and after the feed drops the page resumes from its last sequence number.

import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { removeTempDirs } from '../../fixtures/git.js';
import { agent, dashboard, launchChromium, newHarness, openPage, setUp, tearDown } from './harness.js';

let browser: Browser | undefined;
let missing: string | undefined;
beforeAll(async () => ({ browser, missing } = await launchChromium()));
afterAll(async () => {
  await browser?.close();
  removeTempDirs();
});

const h = newHarness();
beforeEach(() => setUp(h));
afterEach(() => tearDown(h));

describe('the dashboard page, live', () => {
  it('shows a task created over MCP by another process without a reload', async (test) => {
    if (!browser) return test.skip(missing);
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

  it('searches and filters the board in the store', async (test) => {
    if (!browser) return test.skip(missing);
    const board = await dashboard(h);
    const planner = await agent(h, 'planner', 'lead');
    for (const title of ['Write the lexer', 'Write the parser', 'Document the CLI']) await planner.call('task_create', { title });
    const page = await openPage(h, browser, board.url);
    await page.locator('.card').nth(2).waitFor();

    await page.getByLabel('search tasks').fill('parser');
    await page.waitForFunction("document.querySelectorAll('.card').length === 1");
    expect(await page.locator('.card .title').allTextContents()).toEqual(['Write the parser']);
  });

  it('resumes from its last sequence number after the live feed drops, without a reload', async (test) => {
    if (!browser) return test.skip(missing);
    const board = await dashboard(h);
    const planner = await agent(h, 'planner', 'lead');
    const page = await openPage(h, browser, board.url);
    await page.evaluate('window.__loadedOnce = 1');

    await page.context().setOffline(true);
    await page.locator('[data-testid=live]', { hasText: 'reconnecting' }).waitFor();
    const { task } = await planner.call('task_create', { title: 'Written while the page was cut off' });
    await page.context().setOffline(false);

    await page.locator(`.card[data-task="${task.id}"]`).waitFor();
    await page.locator('[data-testid=live]', { hasText: 'live' }).waitFor();
    expect(await page.evaluate('window.__loadedOnce')).toBe(1);
  });
});
