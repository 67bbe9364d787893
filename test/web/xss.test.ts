// Agent-written text is data: markup in a task title, a note, a discussion, a file name and a diff line
// shows as the literal text and never becomes an element or runs. The CSP would also stop inline
// handlers, so the test checks the DOM itself (no element made from the payload), not only a flag.

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { agent, dashboard, openPage, pageSuite, submitWork } from './harness.js';

const { h, chromium } = pageSuite();

const PAYLOAD = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script><b id=injected>bold</b>';
const FILE_PAYLOAD = '<img src=x onerror=window.__xss=3>.ts';

/** No element came from a payload, and nothing set the flag. */
async function expectInert(page: Page): Promise<void> {
  expect(await page.evaluate('window.__xss')).toBeUndefined();
  expect(await page.evaluate("document.querySelectorAll('img, #injected, [onerror]').length")).toBe(0);
  expect(await page.evaluate("document.querySelectorAll('script').length")).toBe(1);
}

describe('agent-written text in the page', () => {
  it('renders markup in a task title, a note, a discussion, a file name and a diff line as text', async (test) => {
    const browser = chromium.browser;
    if (!browser) return test.skip(chromium.missing);
    const board = await dashboard(h);
    const planner = await agent(h, 'planner', 'lead');
    const ada = await agent(h, 'implementer', 'ada');
    await planner.call('note_append', { text: `note ${PAYLOAD}` });
    await planner.call('discussion_start', { topic: `topic ${PAYLOAD}`, message: `message ${PAYLOAD}`, author: 'lead', category: 'question' });
    const { id } = await submitWork(planner, ada, `title ${PAYLOAD}`, { [FILE_PAYLOAD]: `const line = '${PAYLOAD}';\n` });
    const page = await openPage(h, browser, board.url);

    await page.locator(`.card[data-task="${id}"] .title`).getByText(`title ${PAYLOAD}`, { exact: true }).waitFor();
    await page.locator(`.card[data-task="${id}"]`).click();
    await page.getByTestId('task-title').getByText(`title ${PAYLOAD}`, { exact: true }).waitFor();
    await page.getByRole('button', { name: 'view work' }).click();
    await page.getByTestId('file-tree').getByText(FILE_PAYLOAD).waitFor();
    await page.locator('.d2h-file-name').getByText(FILE_PAYLOAD).first().waitFor();
    await page.locator('.d2h-code-line-ctn', { hasText: PAYLOAD }).first().waitFor();
    await expectInert(page);

    await page.locator('nav button', { hasText: 'Notes' }).click();
    await page.getByText(`note ${PAYLOAD}`, { exact: true }).waitFor();
    await page.locator('nav button', { hasText: 'Discussions' }).click();
    await page.getByRole('button', { name: `topic ${PAYLOAD}` }).click();
    await page.getByText(`message ${PAYLOAD}`, { exact: true }).waitFor();
    await page.locator('nav button', { hasText: 'Activity' }).click();
    await page.getByTestId('timeline').getByText(`title ${PAYLOAD}`, { exact: true }).waitFor();
    await expectInert(page);
    expect(h.aborted).toEqual([]);
    // The page itself needs nothing the CSP forbids (no inline script or style, no eval).
    expect(h.console.filter((line) => /^error|pageerror/.test(line))).toEqual([]);
  });
});
