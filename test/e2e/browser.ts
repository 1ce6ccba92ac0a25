/// <reference lib="dom" /> -- e2e predicates run in the page, where document exists.
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestApp, type TestApp, type TestAppOptions } from '../helpers/context';

/**
 * The browser harness: the whole service in-process on an isolated database,
 * listening on a free loopback port, driven by Debian's Chromium.
 */
export interface BrowserSession {
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  /** A fresh page; console errors and refused requests (CSP) are collected in `problems`. */
  newPage(): Promise<Page>;
  problems: string[];
  close(): Promise<void>;
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function startBrowserSession(options: TestAppOptions = {}): Promise<BrowserSession> {
  const t = await startTestApp(options);
  // A test that sets PUBLIC_URL (test/helpers/free-port.ts) gets the server on that address.
  const publicUrl = options.env?.PUBLIC_URL;
  await t.app.listen({ port: publicUrl ? Number(new URL(publicUrl).port) : 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  if (!address || typeof address === 'string') throw new Error('the test server has no port');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const problems: string[] = [];
  return {
    t,
    baseUrl: `http://127.0.0.1:${address.port}`,
    browser,
    problems,
    async newPage() {
      const page = await browser.newPage();
      page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('requestfailed', (r) => {
        // A request the browser abandons because the page moved on (a click during loading) is
        // not a fault of the service; refused (CSP), unreachable or broken ones are.
        const reason = r.failure()?.errorText ?? '';
        if (reason !== 'net::ERR_ABORTED') problems.push(`request failed: ${r.url()} ${reason}`.trim());
      });
      return page;
    },
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

/**
 * Waits until `predicate` holds in the page. Playwright's waitForFunction evaluates a string
 * with eval while polling, which our Content-Security-Policy (no 'unsafe-eval') rightly refuses;
 * page.evaluate with a function does not need eval.
 */
export async function waitInPage(page: Page, predicate: (arg: string) => boolean, arg: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(predicate, arg))) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for a condition in the page`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
