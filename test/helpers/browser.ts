/**
 * Headless Chromium for the browser tests (puppeteer-core over the Debian `chromium` package; .ci/run
 * installs it). Every page records what went wrong in it — console errors, uncaught exceptions,
 * failed requests, Content-Security-Policy violations — and a test ends by asserting that list is
 * empty. Screenshots go to .local/test-output/browser/<test name>/ (git-ignored), for a person to
 * look at.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { ROOT } from './integration';

// The functions below that run in the page see the page's DOM; this project compiles without the
// DOM library, so the little they use is declared here, for this module only.
interface PageElement {
  dataset: Record<string, string | undefined>;
  textContent: string | null;
  querySelector(selector: string): PageElement | null;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  addEventListener(type: 'securitypolicyviolation', listener: (e: { violatedDirective: string; blockedURI: string }) => void): void;
};

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function chromiumPath(): string {
  const found = CANDIDATES.find((p): p is string => typeof p === 'string' && p !== '' && existsSync(p));
  if (!found) {
    throw new Error('No Chromium found for the browser tests: install the Debian package (apt-get install chromium) or set CHROMIUM_PATH.');
  }
  return found;
}

export interface TestBrowser {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'ods-browser-'));
  const browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    // The background-networking flags matter on a closed network: without them Chromium's own
    // connections (updates, safe browsing...) get refused in bursts and slow everything down.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
    ],
    protocolTimeout: 60_000,
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface TestPage {
  page: Page;
  /** What went wrong in the page so far (console errors, exceptions, failed requests, CSP violations). */
  problems: string[];
  /** Saves <dir>/<nn>-<name>.png (the whole page, or the element of `selector`) and returns its path. */
  shot(name: string, selector?: string): Promise<string>;
}

/** A folder of screenshots named after the test, emptied first. */
export function screenshotDir(testName: string): string {
  const dir = join(ROOT, '.local', 'test-output', 'browser', testName.replace(/[^A-Za-z0-9_-]+/g, '-'));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

export async function openPage(b: TestBrowser, dir: string, options: { allowedStatus?: number[] } = {}): Promise<TestPage> {
  const page = await b.browser.newPage();
  await page.setViewport({ width: 1400, height: 1000 });
  await page.emulateTimezone('UTC');
  const problems: string[] = [];
  const allowed = new Set(options.allowedStatus ?? []);
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`exception: ${(e as Error).message}`));
  page.on('requestfailed', (r) => {
    // A request cancelled by the page itself (a newer search replaced it) is not a failure.
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !allowed.has(r.status())) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  let n = 0;
  return {
    page,
    problems,
    async shot(name: string, selector?: string) {
      n += 1;
      const file = join(dir, `${String(n).padStart(2, '0')}-${name}.png`);
      const element = selector ? await page.$(selector) : null;
      if (selector && !element) throw new Error(`No ${selector} to take a screenshot of`);
      if (element) await element.screenshot({ path: file });
      else await page.screenshot({ path: file, fullPage: true });
      return file;
    },
  };
}

/** The load round of a widget (data-round, incremented by each load it starts). */
export async function roundOf(page: Page, selector: string): Promise<number> {
  return page.$eval(selector, (el) => Number((el as unknown as PageElement).dataset.round ?? '0'));
}

/**
 * Waits until the widget's data-status is `ready` (failing with its message on `error`); with
 * `after`, only a load started after that round counts (the answer to the action just made).
 */
export async function waitReady(page: Page, selector: string, after?: number, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    (sel, previous) => {
      const el = document.querySelector(sel) as PageElement | null;
      if (!el) return false;
      if (previous !== null && Number(el.dataset.round ?? '0') <= previous) return false;
      if (el.dataset.status === 'error') throw new Error(`${sel}: ${el.querySelector('.status-message')?.textContent ?? 'error'}`);
      return el.dataset.status === 'ready';
    },
    { timeout, polling: 100 },
    selector,
    after ?? null,
  );
}

/** Runs an action and waits for the widget to be ready with its answer. */
export async function afterAction(page: Page, selector: string, action: () => Promise<unknown>): Promise<void> {
  const before = await roundOf(page, selector);
  await action();
  await waitReady(page, selector, before);
}

/** The exact number behind a count shown to people (data-value). */
export async function countOf(page: Page, selector: string): Promise<number> {
  return page.$eval(selector, (el) => Number((el as unknown as PageElement).dataset.value));
}
