/**
 * A browser test of our own: headless Chromium (Debian's `chromium`, driven with puppeteer-core)
 * opens test/browser/map-page, a page that uses the v1 API the way ods-widgets do — a Leaflet map of
 * the us-counties shape dataset in ods-map's auto mode (boundingbox, then geopreview), a facet list
 * and a table — served with the gateway from one origin, Leaflet from node_modules, no tile layer
 * (the machine is offline). What the page shows is checked against counts computed from the source
 * counties (us-atlas), and no request of the page may fail.
 *
 * Needs Chromium at CHROMIUM_PATH (default /usr/bin/chromium); `.ci/run` installs it. Set
 * SKIP_BROWSER_TESTS=1 to skip on a machine without it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import express from 'express';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { openSearchBackend } from '../../src/opensearch/backend';
import { datasetRegistry } from '../../src/datasets/registry';
import { closeTestContext, ROOT, testContext } from '../helpers/integration';
import { foldAccents, usCounties } from '../helpers/sample-data';

// The page functions below run in the browser; these are their only DOM names (no dom lib in this project).
interface PageElement {
  dataset: Record<string, string>;
  className: string;
  textContent: string | null;
  children: ArrayLike<PageElement>;
  click(): void;
}
declare const document: { body: PageElement; querySelector(s: string): PageElement | null; querySelectorAll(s: string): ArrayLike<PageElement> };

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skip = process.env.SKIP_BROWSER_TESTS === '1';
const d = skip ? describe.skip : describe;

jest.setTimeout(180_000);
const ctx = testContext();
afterAll(() => closeTestContext());

let server: Server;
let base: string;
let browser: Browser;
let page: Page;
let profile: string;
const failures: string[] = [];

beforeAll(async () => {
  if (skip) return;
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH, or SKIP_BROWSER_TESTS=1)`);
  const backend = openSearchBackend(ctx.client, ctx.names);
  const gateway = createApp({ config: { trustProxy: false, maxRequestBodyBytes: 1 << 20, domainId: 'gateway' }, logger: createLogger('silent'), backend, registry: datasetRegistry(backend, 0) });
  const site = express();
  site.use('/page', express.static(join(ROOT, 'test', 'browser', 'map-page')));
  site.use('/vendor/leaflet', express.static(join(dirname(require.resolve('leaflet/package.json')), 'dist')));
  site.use(gateway);
  server = createServer(site);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  profile = mkdtempSync(join(tmpdir(), 'ods-chromium-'));
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: profile,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage();
  await page.setViewport({ width: 900, height: 720 });
  page.on('response', (r) => {
    if (r.status() >= 400) failures.push(`${r.status()} ${r.url()}`);
  });
  page.on('requestfailed', (r) => failures.push(`failed ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('pageerror', (e) => failures.push(`page error: ${(e as Error).message}`));
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function shown(): Promise<Record<string, string>> {
  await page.waitForFunction(() => document.body.dataset.ready === 'true' || document.body.dataset.ready === 'error', { timeout: 60_000 });
  const data = await page.evaluate(() => ({ ...document.body.dataset }) as Record<string, string>);
  if (data.ready === 'error') throw new Error(`the page failed: ${data.error}`);
  return data;
}

const paths = () => page.evaluate(() => document.querySelectorAll('.leaflet-overlay-pane path').length);
const facetItems = () =>
  page.evaluate(() => Array.from(document.querySelectorAll('#facets li')).map((li) => ({ name: li.dataset.name, count: Number(li.dataset.count), refined: li.className === 'refined' })));
const tableNames = () => page.evaluate(() => Array.from(document.querySelectorAll('#table tbody tr')).map((tr) => tr.children[0]?.textContent ?? ''));

d('the map page, as ods-widgets use the API', () => {
  const counties = usCounties();
  const byState = new Map<string, number>();
  for (const c of counties) byState.set(c.state, (byState.get(c.state) ?? 0) + 1);

  it('draws the counties of the view (capped at rows=1000, as the widget asks), the state facets and the table', async () => {
    await page.goto(`${base}/page/index.html`, { waitUntil: 'load' });
    const data = await shown();
    expect(data.title).toBe('Counties of the United States (Census Bureau, 1:10m)');
    expect(data.domain).toBe('gateway');
    expect(Number(data.fullCount)).toBe(counties.length);
    // more shapes than rows in the view: the preview is cut at 1000 and the page knows it is incomplete
    expect(data.shapes).toBe('1000');
    expect(data.digests).toBe('1000');
    expect(data.incomplete).toBe('true');
    expect(await paths()).toBe(1000);
    expect(await facetItems()).toEqual([...byState.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, count]) => ({ name, count, refined: false })));
    expect(Number(data.nhits)).toBe(counties.length);
    expect(data.start).toBe('0');
    const sortedNames = counties.map((c) => c.properties.name).sort((a, b) => (foldAccents(a) < foldAccents(b) ? -1 : foldAccents(a) > foldAccents(b) ? 1 : 0));
    expect((await tableNames()).sort()).toEqual(sortedNames.slice(0, 10).sort());
    expect(failures).toEqual([]);
  });

  it('refines on a state: the map fits it and draws each of its counties once, the facet and the table follow', async () => {
    await page.evaluate(() => document.querySelector('#facets li[data-name="Texas"]')?.click());
    await page.waitForFunction(() => document.body.dataset.ready === 'false', { timeout: 30_000 }).catch(() => undefined);
    const data = await shown();
    const texas = byState.get('Texas')!;
    expect(texas).toBe(254);
    expect(data.shapes).toBe(String(texas));
    expect(data.digests).toBe(String(texas));
    expect(data.incomplete).toBe('false');
    expect(await paths()).toBe(texas);
    expect(await facetItems()).toEqual([{ name: 'Texas', count: texas, refined: true }]);
    expect(Number(data.nhits)).toBe(texas);
    expect(failures).toEqual([]);
    if (process.env.BROWSER_SCREENSHOT) await page.screenshot({ path: process.env.BROWSER_SCREENSHOT });
  });
});
