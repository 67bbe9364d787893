// A human answers a line-comment thread in the browser: the reply reaches the implementer's MCP
// session, and resolving (and reopening) it is what the implementer then reads. The implementers list
// shows the branch's last commit and the implementer's last tool call.

import { describe, expect, it } from 'vitest';
import { agent, dashboard, openPage, pageSuite, submitWork } from './harness.js';

const { h, chromium } = pageSuite({ files: { 'README.md': '# r\n' } });

describe('a comment thread in the browser', () => {
  it('the human replies to and resolves a thread, and the implementer reads both over MCP', { timeout: 60_000 }, async (test) => {
    const browser = chromium.browser;
    if (!browser) return test.skip(chromium.missing);
    const planner = await agent(h, 'planner', 'lead');
    const ada = await agent(h, 'implementer', 'ada');
    const { id } = await submitWork(planner, ada, 'Add a greeting', { 'src/greet.ts': 'export const greet = () => "hi";\n' });
    const { id: commentId } = await planner.call('review_comments', { task: id, action: 'add', file: 'src/greet.ts', line: 1, body: 'Say hello instead.' });
    const board = await dashboard(h);
    const page = await openPage(h, browser, board.url);

    await page.locator(`.card[data-task="${id}"]`).click();
    const thread = page.getByTestId('comment').filter({ hasText: 'Say hello instead.' });
    await thread.getByLabel('reply').fill('Fine by me, <b>ship it</b>.');
    await thread.getByRole('button', { name: 'Reply' }).click();
    await thread.getByTestId('reply').getByText('Fine by me, <b>ship it</b>.').waitFor();
    await thread.getByRole('button', { name: 'Resolve' }).click();
    await thread.locator('.state', { hasText: 'resolved' }).waitFor();

    const { threads } = await ada.call('review_comments', { task: id });
    expect(threads).toEqual([
      expect.objectContaining({ id: commentId, resolved: expect.objectContaining({ by: expect.any(String) }), replies: [expect.objectContaining({ body: 'Fine by me, <b>ship it</b>.' })] }),
    ]);

    await thread.getByRole('button', { name: 'Reopen' }).click();
    await thread.locator('.state', { hasText: 'open' }).waitFor();
    expect((await ada.call('review_comments', { task: id })).threads[0].resolved).toBeUndefined();

    await page.locator('nav button', { hasText: 'Implementers' }).click();
    const row = page.locator('[data-implementer=ada]');
    await row.getByTestId('last-commit').getByText('Add a greeting').waitFor();
    expect(await row.getByTestId('last-tool').textContent()).toMatch(/^[a-z_]+$/);
  });
});
