// A human's operations from the page reach the store as domain calls the agents then see: a lock
// forced open, and the project stopped.

import { describe, expect, it } from 'vitest';
import { agent, dashboard, openPage, pageSuite, setUp, submitWork } from './harness.js';

// Each test sets up its own repository (its files differ).
const { h, chromium } = pageSuite({ files: false });

const FAILING_GATE = "console.log('gate says no'); process.exit(1);\n";

describe('operations in the page', () => {
  it('force-releases an agent\'s lock and stops the project, after the human confirms', async (test) => {
    const browser = chromium.browser;
    if (!browser) return test.skip(chromium.missing);
    await setUp(h);
    const board = await dashboard(h);
    const planner = await agent(h, 'planner', 'lead');
    const ada = await agent(h, 'implementer', 'ada');
    await planner.call('project_status_set', { status: 'in_progress' });
    await ada.call('lock_acquire', { path: 'src/parser.ts', note: 'rewriting' });
    const page = await openPage(h, browser, board.url);
    page.on('dialog', (dialog) => void dialog.accept());

    await page.locator('nav button', { hasText: 'Locks' }).click();
    await page.locator('tr', { hasText: 'src/parser.ts' }).getByRole('button', { name: 'Force release' }).click();
    await page.getByText('No locks held.').waitFor();
    expect((await ada.call('lock_list', {})).locks ?? []).toEqual([]);

    await page.locator('nav button', { hasText: 'Operations' }).click();
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.getByTestId('project-status').getByText('stopped').waitFor();
    const context = await ada.call('project_context_get', {});
    expect(context.status ?? context.context?.status).toBe('stopped');
  });

  it('approves the configuration values it shows, and an approval whose gate fails shows the gate log', async (test) => {
    const browser = chromium.browser;
    if (!browser) return test.skip(chromium.missing);
    await setUp(h, { 'README.md': '# r\n', 'gate.js': FAILING_GATE, '.lockstep/config.json': JSON.stringify({ gateCommand: 'node gate.js' }) });
    const board = await dashboard(h);
    const planner = await agent(h, 'planner', 'lead');
    const ada = await agent(h, 'implementer', 'ada');
    const { id } = await submitWork(planner, ada, 'A feature the gate rejects', { 'feature.txt': 'f\n' });
    const page = await openPage(h, browser, board.url);
    page.on('dialog', (dialog) => void dialog.accept());

    await page.locator('nav button', { hasText: 'Operations' }).click();
    await page.locator('.settings li', { hasText: 'gateCommand' }).getByText('node gate.js').waitFor();
    await page.getByRole('button', { name: 'Approve 1 value(s)' }).click();
    await page.locator('.settings li', { hasText: 'gateCommand approved' }).waitFor();

    await page.locator('nav button', { hasText: 'Board' }).click();
    await page.locator(`.card[data-task="${id}"]`).click();
    await page.getByRole('button', { name: 'Approve and land' }).click();
    await page.getByTestId('outcome').locator('pre', { hasText: 'gate says no' }).waitFor();
    await page.getByTestId('task-status').getByText('changes_requested').waitFor();
  });
});
