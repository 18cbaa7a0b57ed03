/**
 * The explore pages in headless Chromium, against the gateway on the sample datasets: a person finds
 * a dataset, types a query, clicks a facet, pages the table, opens the map and the chart, and
 * exports; every number the page shows is checked against counts computed here from the source data
 * (test/helpers/sample-data.ts). Each page must also run clean: no console error, no exception, no
 * failed request, no Content-Security-Policy violation.
 *
 * Screenshots: .local/test-output/browser/<test>/ (look at them: every widget must be drawn).
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { Page } from 'puppeteer-core';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { openSearchBackend } from '../../src/opensearch/backend';
import { datasetRegistry } from '../../src/datasets/registry';
import { inMemoryAuth } from '../../src/auth/services';
import { afterAction, countOf, launchBrowser, openPage, screenshotDir, waitReady, type TestBrowser } from '../helpers/browser';
import { ROOT, closeTestContext, testContext } from '../helpers/integration';
import { countries, earthquakes, foldAccents, seattleWeather } from '../helpers/sample-data';

jest.setTimeout(300_000);

const ctx = testContext();
const auth = inMemoryAuth();
let server: Server;
let base: string;
let browser: TestBrowser;
let visitorKey: string;

beforeAll(async () => {
  // A visitor with an API key sees every Seattle day; anonymous callers only the sunny ones.
  await auth.identity.putUser({ username: 'visitor' });
  visitorKey = (await auth.identity.createApiKey({ username: 'visitor' })).key;
  await auth.identity.putAccessRule({ dataset: 'seattle-weather', subject: 'anonymous', record_filter: 'weather:sun' });
  // The anonymous rule is every caller's default; a rule of the visitor's own (no filter) grants more.
  await auth.identity.putAccessRule({ dataset: 'seattle-weather', subject: 'user:visitor' });
  const backend = openSearchBackend(ctx.client, ctx.names);
  const app = createApp({ config: { trustProxy: false, maxRequestBodyBytes: 1 << 20 }, logger: createLogger('silent'), backend, registry: datasetRegistry(backend, 0), auth });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  await closeTestContext();
});

/** The sample datasets (what the global setup loaded), with their themes. */
const samples = readdirSync(join(ROOT, 'mappings'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(ROOT, 'mappings', f), 'utf8')) as { datasetid: string; metas: { theme?: string[] } });

function tally<T>(items: T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[key(i)] = (out[key(i)] ?? 0) + 1;
  return out;
}

/** The values of one column of the records table. */
const column = (page: Page, field: string): Promise<string[]> =>
  page.$$eval(`#records-table tbody td[data-field="${field}"]`, (tds) => tds.map((td) => (td as unknown as { dataset: { value?: string } }).dataset.value ?? ''));

async function search(page: Page, q: string): Promise<void> {
  await page.$eval('#dataset-q', (el) => ((el as unknown as { value: string }).value = ''));
  await page.type('#dataset-q', q);
  await afterAction(page, '#tab-table', () => page.click('#dataset-search button[type="submit"]'));
}

const openTab = async (page: Page, tab: 'map' | 'chart' | 'export' | 'information'): Promise<void> => {
  if (tab === 'map' || tab === 'chart') await afterAction(page, `#tab-${tab}`, () => page.click(`#tab-button-${tab}`));
  else await page.click(`#tab-button-${tab}`);
};

/** The bars or points Chart.js drew: labels and values, read from the chart instance. */
const chartData = (page: Page): Promise<{ labels: string[]; values: number[]; x: string }> =>
  page.evaluate(() => {
    const w = globalThis as unknown as {
      Chart: { getChart(el: unknown): { data: { labels: string[]; datasets: { data: number[] }[] } } };
      document: { getElementById(id: string): { value?: string } | null };
    };
    const chart = w.Chart.getChart(w.document.getElementById('chart-canvas'));
    return { labels: chart.data.labels, values: chart.data.datasets[0]?.data ?? [], x: w.document.getElementById('chart-x')?.value ?? '' };
  });

describe('explore pages in a browser', () => {
  it('a point dataset: find it, search, refine, page, map, chart and export (earthquakes)', async () => {
    const t = await openPage(browser, screenshotDir('explore-earthquakes'));
    const { page } = t;

    // The catalog: every sample dataset, and the Science theme narrows it.
    await page.goto(`${base}/explore/`);
    await waitReady(page, '#catalog-list');
    expect(await countOf(page, '#catalog-count')).toBe(samples.length);
    await t.shot('catalog');
    const science = samples.filter((s) => (s.metas.theme ?? []).includes('Science'));
    await afterAction(page, '#catalog-list', () => page.click('section[data-facet="theme"] li[data-path="Science"] .facet-refine'));
    expect(await countOf(page, '#catalog-count')).toBe(science.length);
    expect(await page.$$eval('.dataset-card', (cards) => cards.map((c) => (c as unknown as { dataset: { datasetid: string } }).dataset.datasetid).sort())).toEqual(
      science.map((s) => s.datasetid).sort(),
    );
    await t.shot('catalog-science');
    await Promise.all([page.waitForNavigation(), page.click('.dataset-card[data-datasetid="earthquakes"] h2 a')]);

    // The dataset page: every record, then a query, then a facet value.
    await waitReady(page, '#tab-table');
    const quakes = earthquakes();
    expect(await countOf(page, '#dataset-count')).toBe(quakes.length);
    await t.shot('dataset');

    await search(page, 'mag >= 4');
    const strong = quakes.filter((q) => q.properties.mag >= 4);
    expect(await countOf(page, '#dataset-count')).toBe(strong.length);
    const byNet = tally(strong, (q) => String(q.properties.net));
    const [net, expected] = Object.entries(byNet).sort((a, b) => b[1] - a[1])[0] as [string, number];
    expect(await page.$eval(`section[data-facet="net"] li[data-path="${net}"]`, (li) => Number((li as unknown as { dataset: { count: string } }).dataset.count))).toBe(expected);
    await afterAction(page, '#tab-table', () => page.click(`section[data-facet="net"] li[data-path="${net}"] .facet-refine`));
    expect(await countOf(page, '#dataset-count')).toBe(expected);
    expect(await page.$eval(`section[data-facet="net"] li[data-path="${net}"]`, (li) => (li as unknown as { dataset: { state: string } }).dataset.state)).toBe('refined');
    expect(expected).toBeGreaterThan(10);
    expect((await column(page, 'net')).every((v) => v === net)).toBe(true);
    expect((await column(page, 'mag')).every((v) => Number(v) >= 4)).toBe(true);
    await t.shot('query-and-facet');

    // Paging.
    await afterAction(page, '#tab-table', () => page.click('#table-next'));
    const range = await page.$eval('#table-range', (el) => ({ ...(el as unknown as { dataset: Record<string, string> }).dataset }));
    expect(range).toEqual({ first: '11', last: String(Math.min(20, expected)), total: String(expected) });
    expect(await page.$$eval('#records-table tbody tr', (rows) => rows.length)).toBe(Math.min(10, expected - 10));
    expect((await column(page, 'net')).every((v) => v === net)).toBe(true);
    await t.shot('table-page-2');

    // The map: clusters of every filtered record.
    await openTab(page, 'map');
    expect(await countOf(page, '#map-count')).toBe(expected);
    const clustered = await page.$$eval('.cluster', (els) => els.reduce((n, el) => n + Number((el as unknown as { dataset: { count: string } }).dataset.count), 0));
    expect(clustered).toBe(expected);
    await page.waitForSelector('.leaflet-overlay-pane path', { timeout: 10_000 }); // the land (one multipolygon) is drawn
    await t.shot('map');

    // The chart: records by day, against the source.
    await openTab(page, 'chart');
    const chart = await chartData(page);
    expect(chart.x).toBe('time@day');
    const filtered = strong.filter((q) => q.properties.net === net);
    const byDay = tally(filtered, (q) => new Date(q.properties.time).toISOString().slice(0, 10));
    expect(Object.fromEntries(chart.labels.map((l, i) => [l, chart.values[i]]))).toEqual(byDay);
    expect(await countOf(page, '#chart-total')).toBe(expected);
    await t.shot('chart');

    // Export: the CSV link carries the filters and gives the same records.
    await openTab(page, 'export');
    const href = await page.$eval('a.download[data-format="csv"]', (a) => (a as unknown as { getAttribute(n: string): string }).getAttribute('href'));
    const params = new URL(href, base).searchParams;
    expect(params.get('q')).toBe('mag >= 4');
    expect(params.get(`refine.net`)).toBe(net);
    const csv = await (await fetch(new URL(href, base))).text();
    expect(csv.trim().split('\r\n').length).toBe(expected + 1);
    expect(await page.$('a.download[data-format="geojson"]')).not.toBeNull();
    await t.shot('export');

    // Information.
    await openTab(page, 'information');
    expect(await page.$$eval('table.fields tbody tr', (rows) => rows.length)).toBe(ctx.descriptor('earthquakes').fields.length);
    await t.shot('information');
    expect(t.problems).toEqual([]);
  });

  it('a shape dataset: page, search, map the shapes and chart them (countries)', async () => {
    const t = await openPage(browser, screenshotDir('explore-countries'));
    const { page } = t;
    const all = countries();
    await page.goto(`${base}/explore/dataset/countries/`);
    await waitReady(page, '#tab-table');
    expect(await countOf(page, '#dataset-count')).toBe(all.length);
    expect(await page.$eval('#dataset-facets', (el) => (el as unknown as { textContent: string }).textContent)).toContain('no facet');
    await afterAction(page, '#tab-table', () => page.click('#table-next'));
    expect(await page.$eval('#table-range', (el) => ({ ...(el as unknown as { dataset: Record<string, string> }).dataset }))).toEqual({ first: '11', last: '20', total: String(all.length) });
    await t.shot('table-page-2');

    // A word of a name (the query language: a case- and accent-insensitive word prefix).
    await search(page, 'united');
    const united = all.filter((c) => foldAccents(c.properties.name).split(/[^a-z0-9]+/).some((w) => w.startsWith('united')));
    expect(united.length).toBeGreaterThan(1);
    expect(await countOf(page, '#dataset-count')).toBe(united.length);
    expect((await column(page, 'name')).sort()).toEqual(united.map((c) => c.properties.name).sort());

    await openTab(page, 'map');
    expect(await countOf(page, '#map-count')).toBe(united.length);
    expect(await page.$$eval('.leaflet-overlay-pane path.leaflet-interactive', (paths) => paths.length)).toBe(united.length);
    await t.shot('map');

    await openTab(page, 'chart');
    const chart = await chartData(page);
    expect(chart.x).toBe('name');
    expect(Object.fromEntries(chart.labels.map((l, i) => [l, chart.values[i]]))).toEqual(Object.fromEntries(united.map((c) => [c.properties.name, 1])));
    await t.shot('chart');
    expect(t.problems).toEqual([]);
  });

  it('sends the visitor\'s API key: a restricted view without it, everything with it (seattle-weather)', async () => {
    const t = await openPage(browser, screenshotDir('explore-credentials'));
    const { page } = t;
    const days = seattleWeather();
    await page.goto(`${base}/explore/dataset/seattle-weather/`);
    await waitReady(page, '#tab-table');
    expect(await countOf(page, '#dataset-count')).toBe(days.filter((d) => d.weather === 'sun').length);
    await t.shot('anonymous');

    await page.click('#credential-button');
    await page.type('#credential-value', visitorKey);
    await afterAction(page, '#tab-table', () => page.click('.credential-form button[type="submit"]'));
    expect(await countOf(page, '#dataset-count')).toBe(days.length);
    expect(await page.$eval('#credential-button', (b) => (b as unknown as { textContent: string }).textContent)).toContain(`…${visitorKey.slice(-4)}`);
    await openTab(page, 'export');
    const href = await page.$eval('a.download[data-format="csv"]', (a) => (a as unknown as { getAttribute(n: string): string }).getAttribute('href'));
    expect(new URL(href, base).searchParams.get('apikey')).toBe(visitorKey);
    await t.shot('with-key');
    expect(t.problems).toEqual([]);
  });
});
