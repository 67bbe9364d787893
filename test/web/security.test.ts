// The page's door, tried from a real browser: without the token nothing loads, a name that only
// resolves to loopback (DNS rebinding) is refused, and a page of another origin cannot act or listen.

import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { agent, dashboard, pageSuite } from './harness.js';

// rebind.test is an attacker's name that resolves to this machine, as after a DNS rebinding.
const { h, chromium } = pageSuite({ chromiumArgs: ['--host-resolver-rules=MAP rebind.test 127.0.0.1'] });

async function newPage(b: Browser) {
  const context = await b.newContext();
  h.contexts.push(context);
  return context.newPage();
}

describe('the dashboard refuses strangers in the browser', () => {
  it('loads nothing without the token', async (test) => {
    const browser = chromium.browser;
    if (!browser) return test.skip(chromium.missing);
    const board = await dashboard(h);
    const page = await newPage(browser);
    const response = await page.goto(`${board.origin}/`);
    expect(response!.status()).toBe(401);
    expect(await page.content()).toContain('TOKEN_INVALID');
    expect((await page.goto(`${board.origin}/api/projects`))!.status()).toBe(401);
  });

  it('refuses a foreign Host even with the right token', async (test) => {
    const browser = chromium.browser;
    if (!browser) return test.skip(chromium.missing);
    const board = await dashboard(h);
    const page = await newPage(browser);
    const rebound = board.url.replace('127.0.0.1', 'rebind.test').replace('localhost', 'rebind.test');
    const response = await page.goto(rebound);
    expect(response!.status()).toBe(403);
    expect(await page.content()).toContain('HOST_FORBIDDEN');
  });

  it('lets a page of another origin neither change state nor open the live feed', async (test) => {
    const browser = chromium.browser;
    if (!browser) return test.skip(chromium.missing);
    const board = await dashboard(h);
    const planner = await agent(h, 'planner', 'lead');
    await planner.call('project_status_set', { status: 'in_progress' });
    const page = await newPage(browser);
    // The human is signed in (the cookie is set) when the foreign page tries its luck.
    await page.goto(board.url);
    // The attacker's page comes from elsewhere (served by the test, not the dashboard: no CSP of ours).
    await page.route('http://evil.test/**', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>evil</title>' }));
    await page.goto('http://evil.test/');
    const attempt = await page.evaluate(`(async () => {
      const post = await fetch('${board.origin}/api/project/status?project=' + encodeURIComponent(${JSON.stringify(h.t.repo)}), {
        method: 'POST', credentials: 'include', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: '{"status":"stopped"}',
      }).then(() => 'sent', () => 'failed');
      const socket = await new Promise((resolve) => {
        const ws = new WebSocket('${board.origin.replace('http', 'ws')}/api/live');
        ws.onopen = () => resolve('opened');
        ws.onerror = () => resolve('refused');
      });
      return { post, socket };
    })()`);
    expect(attempt).toMatchObject({ socket: 'refused' });
    const context = await planner.call('project_context_get', {});
    expect(context.status ?? context.context?.status).toBe('in_progress');
  });
});
