// What every dashboard page test starts from: a real repository and store, a real dashboard process on
// them, real MCP server processes as the agents, and a headless Chromium page that can reach nothing
// but loopback.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { makeTestApp, type TestApp } from '../../fixtures/app.js';
import { blockOutsideNetwork, launchChromium, recordConsole, type BrowserProbe } from '../../fixtures/browser.js';
import { startDashboard, type DashboardProcess } from '../../fixtures/dashboard-process.js';
import { git, removeTempDirs, writeTree, type FileTree } from '../../fixtures/git.js';
import { spawnServer, type ToolClient } from '../../fixtures/mcp.js';

export interface Harness {
  t: TestApp;
  dashboards: DashboardProcess[];
  servers: ToolClient[];
  contexts: BrowserContext[];
  /** Requests the page tried to send off the machine (all aborted). */
  aborted: string[];
  /** What the pages logged, errors included (a CSP violation is logged as an error). */
  console: string[];
}

export interface PageSuiteOptions {
  /** The repository each test starts with; false: each test calls setUp itself. */
  files?: FileTree | false;
  chromiumArgs?: string[];
}

/**
 * The hooks every page test file needs: one Chromium for the file (its absence is a skip, or a failure
 * under CI), a fresh repository and store per test, and everything closed after each.
 */
export function pageSuite(options: PageSuiteOptions = {}): { h: Harness; chromium: BrowserProbe } {
  const chromium: BrowserProbe = {};
  const h = newHarness();
  beforeAll(async () => Object.assign(chromium, await launchChromium(options.chromiumArgs)));
  afterAll(async () => {
    await chromium.browser?.close();
    removeTempDirs();
  });
  if (options.files !== false) beforeEach(() => setUp(h, options.files || undefined));
  afterEach(() => tearDown(h));
  return { h, chromium };
}

export function newHarness(): Harness {
  return { t: undefined as unknown as TestApp, dashboards: [], servers: [], contexts: [], aborted: [], console: [] };
}

export async function setUp(h: Harness, files?: FileTree): Promise<void> {
  h.t = await makeTestApp({ files });
}

export async function dashboard(h: Harness, args?: string[]): Promise<DashboardProcess> {
  const started = await startDashboard({ cwd: h.t.repo, dbPath: h.t.config.dbPath, dataDir: h.t.config.dataDir, args });
  h.dashboards.push(started);
  return started;
}

/** An agent: the built `lockstep-mcp server` as its own process on the same store. */
export async function agent(h: Harness, role: 'planner' | 'implementer', name: string): Promise<ToolClient> {
  const server = await spawnServer({ cwd: h.t.repo, env: { COORD_DB_PATH: h.t.config.dbPath, COORD_DATA_DIR: h.t.config.dataDir } });
  h.servers.push(server);
  await server.call('coordination_init', { role, name });
  return server;
}

/** Opens the dashboard URL (with its token) in a fresh browser context, off-machine network blocked. */
export async function openPage(h: Harness, browser: Browser, url: string, prepare?: (page: Page) => Promise<unknown>): Promise<Page> {
  const context = await browser.newContext();
  h.contexts.push(context);
  const page = await context.newPage();
  await prepare?.(page);
  recordConsole(page, h.console);
  await blockOutsideNetwork(page, h.aborted);
  // A script that runs before the page's own: any injected markup that executes flips this flag.
  await page.addInitScript('window.__xss = undefined');
  await page.goto(url);
  await page.waitForSelector('[data-testid=live]:has-text("live")');
  return page;
}

export async function tearDown(h: Harness): Promise<void> {
  await Promise.all(h.contexts.splice(0).map((context) => context.close().catch(() => undefined)));
  await Promise.all(h.servers.splice(0).map((server) => server.close().catch(() => undefined)));
  await Promise.all(h.dashboards.splice(0).map((d) => d.stop()));
  h.t?.app.close();
  h.aborted.length = 0;
  h.console.length = 0;
}

export function commitAll(dir: string, message: string): string {
  git(dir, ['add', '-A']);
  git(dir, ['commit', '--quiet', '-m', message]);
  return git(dir, ['rev-parse', 'HEAD']);
}

/** An implementer agent claims a new worktree task, commits `files` in its worktree and submits it. */
export async function submitWork(planner: ToolClient, implementer: ToolClient, title: string, files: FileTree): Promise<{ id: number; head: string; worktree: string }> {
  const { task } = await planner.call('task_create', { title, complexity: 'complex', isolation: 'worktree' });
  const id: number = task.id;
  const claimed = await implementer.call('task_claim', { id });
  const worktree: string = claimed.task.worktree.path;
  writeTree(worktree, files);
  const head = commitAll(worktree, title);
  await implementer.call('task_submit_for_review', { id, reviewNotes: 'ready' });
  return { id, head, worktree };
}

export { launchChromium };
