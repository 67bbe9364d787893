// A human reviews in the browser: the implementer's diff, a line comment that reaches the implementer's
// MCP session, the conflict forecast before landing, and an approval that lands the reviewed commit.

import { describe, expect, it } from 'vitest';
import { git } from '../../fixtures/git.js';
import { agent, dashboard, openPage, pageSuite, submitWork } from './harness.js';

const { h, chromium } = pageSuite({ files: { 'README.md': '# r\n', 'src/shared.ts': 'export const shared = 0;\n' } });

describe('reviewing in the browser', () => {
  it('approving lands the reviewed commit in git and the page shows the landed commit', async (test) => {
    const browser = chromium.browser;
    if (!browser) return test.skip(chromium.missing);
    const board = await dashboard(h);
    const planner = await agent(h, 'planner', 'lead');
    const ada = await agent(h, 'implementer', 'ada');
    const { id, head } = await submitWork(planner, ada, 'Add a greeting', { 'src/greet.ts': 'export const greet = () => "hi";\n' });
    const page = await openPage(h, browser, board.url);

    await page.locator(`.card[data-task="${id}"]`).click();
    await page.getByRole('button', { name: 'Approve and land' }).click();

    const landed = (await page.getByTestId('landed-commit').textContent())!;
    expect(git(h.t.repo, ['rev-parse', 'main'])).toBe(landed);
    git(h.t.repo, ['merge-base', '--is-ancestor', head, 'main']);
    await page.getByTestId('task-status').getByText('done').waitFor();
  });

  it('shows the diff with a file tree and both views; a line comment reaches the implementer over MCP, its answer comes back; changes are requested', { timeout: 60_000 }, async (test) => {
    const browser = chromium.browser;
    if (!browser) return test.skip(chromium.missing);
    const board = await dashboard(h);
    const planner = await agent(h, 'planner', 'lead');
    const ada = await agent(h, 'implementer', 'ada');
    const { id } = await submitWork(planner, ada, 'Add a greeting', { 'src/greet.ts': 'export const greet = () => "hi";\nexport const bye = 2;\n' });
    const page = await openPage(h, browser, board.url);

    await page.locator('nav button', { hasText: 'Implementers' }).click();
    await page.locator('[data-implementer=ada] button').click();
    await page.getByTestId('file-tree').locator('[data-file="src/greet.ts"]', { hasText: '+2' }).waitFor();
    await page.getByRole('button', { name: 'Side by side' }).click();
    await page.locator('.d2h-file-side-diff').nth(1).waitFor();
    await page.getByRole('button', { name: 'Unified' }).click();
    await page.locator('.d2h-code-line-ctn', { hasText: 'export const bye = 2;' }).click();
    await page.getByTestId('comment-box').getByLabel('comment').fill('Name this constant after what it counts.');
    await page.getByTestId('comment-box').getByRole('button', { name: 'Comment' }).click();

    await page.getByTestId('comment').getByText('Name this constant after what it counts.').waitFor();
    // The implementer hears of it in its next result's pending block, then reads it.
    const next = await ada.raw('task_list', {});
    expect(JSON.stringify(next)).toMatch(new RegExp(`"comments":\\[${id}\\]`));
    const { threads } = await ada.call('review_comments', { task: id });
    expect(threads).toEqual([
      expect.objectContaining({ file: 'src/greet.ts', side: 'new', line: 2, quote: 'export const bye = 2;', body: 'Name this constant after what it counts.' }),
    ]);

    // The implementer answers and resolves over MCP: the page shows it live; then the human sends it back.
    await ada.call('review_comments', { task: id, action: 'reply', comment: threads[0].id, body: 'Renamed in the next commit.' });
    await ada.call('review_comments', { task: id, action: 'resolve', comment: threads[0].id });
    await page.getByTestId('comment').getByText('Renamed in the next commit.').waitFor();
    await page.getByTestId('comment').locator('.state', { hasText: 'resolved' }).waitFor();
    await page.getByLabel('feedback').fill('Also export a type for the greeting.');
    await page.getByRole('button', { name: 'Request changes' }).click();
    await page.getByTestId('outcome').getByText('changes_requested').waitFor();
    expect((await ada.call('task_get', { id })).task).toMatchObject({ status: 'changes_requested', feedback: 'Also export a type for the greeting.' });
  });

  it('shows a forecast conflict in the matrix before landing, and the conflicting files when the second approval cannot land', async (test) => {
    const browser = chromium.browser;
    if (!browser) return test.skip(chromium.missing);
    const board = await dashboard(h);
    const planner = await agent(h, 'planner', 'lead');
    const ada = await agent(h, 'implementer', 'ada');
    const bob = await agent(h, 'implementer', 'bob');
    await submitWork(planner, ada, 'Ada edits shared', { 'src/shared.ts': 'export const shared = 1;\n' });
    await submitWork(planner, bob, 'Bob edits shared', { 'src/shared.ts': 'export const shared = 2;\n' });
    const page = await openPage(h, browser, board.url);

    await page.locator('nav button', { hasText: 'Implementers' }).click();
    const matrix = page.getByTestId('matrix');
    await matrix.locator('tr[data-row=ada] td.conflict', { hasText: 'src/shared.ts' }).waitFor();
    await matrix.locator('tr[data-row=bob] td.conflict', { hasText: 'src/shared.ts' }).waitFor();

    // Landing one makes the other conflict with the target: the page says on which files.
    await page.locator('nav button', { hasText: 'Board' }).click();
    await page.locator('.card', { hasText: 'Ada edits shared' }).click();
    await page.getByRole('button', { name: 'Approve and land' }).click();
    await page.getByTestId('landed-commit').waitFor();
    await page.locator('.card', { hasText: 'Bob edits shared' }).click();
    await page.getByRole('button', { name: 'Approve and land' }).click();
    await page.getByTestId('outcome').getByText('src/shared.ts').waitFor();
    await page.getByTestId('task-status').getByText('changes_requested').waitFor();
  });
});
