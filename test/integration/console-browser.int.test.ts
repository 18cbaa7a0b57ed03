/**
 * The API console (/console/, Swagger UI over /api/openapi.json) in headless Chromium: "Try it out"
 * on the record search sends the request to this gateway with the visitor's API key (set with the
 * site header's credential button) and a `refine.<field>` family parameter as the document describes
 * it, and shows the answer, checked against the source data.
 * Screenshots: .local/test-output/browser/console-try-it/.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { HTTPRequest } from 'puppeteer-core';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { openSearchBackend } from '../../src/opensearch/backend';
import { datasetRegistry } from '../../src/datasets/registry';
import { inMemoryAuth } from '../../src/auth/services';
import { launchBrowser, openPage, screenshotDir, waitReady, type TestBrowser } from '../helpers/browser';
import { closeTestContext, testContext } from '../helpers/integration';
import { movies } from '../helpers/sample-data';

jest.setTimeout(300_000);

const ctx = testContext();
const auth = inMemoryAuth();
let server: Server;
let base: string;
let browser: TestBrowser;
let key: string;

beforeAll(async () => {
  await auth.identity.putUser({ username: 'developer' });
  key = (await auth.identity.createApiKey({ username: 'developer' })).key;
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

it('"Try it out" on the record search calls the gateway with the visitor\'s API key', async () => {
  const t = await openPage(browser, screenshotDir('console-try-it'));
  const { page } = t;
  // The credential is set once, on any page of the site (it lives in the tab's sessionStorage).
  await page.goto(`${base}/explore/`);
  await waitReady(page, '#catalog-list');
  await page.click('#credential-button');
  await page.type('#credential-value', key);
  await page.click('.credential-form button[type="submit"]');

  // A deep link opens the operation.
  await page.goto(`${base}/console/#/Records/searchRecords`);
  await waitReady(page, '#swagger-ui');
  await t.shot('console');
  const op = '#operations-Records-searchRecords';
  await page.waitForSelector(`${op} .try-out__btn`);
  await page.click(`${op} .try-out__btn`);
  await page.waitForSelector(`${op} tr[data-param-name="dataset"] input`);
  // Type into an input as a person does: select what it holds, type over it.
  const typeInto = async (param: string, text: string, element = 'input') => {
    await page.click(`${op} tr[data-param-name="${param}"] ${element}`);
    await page.keyboard.down('Control');
    await page.keyboard.press('KeyA');
    await page.keyboard.up('Control');
    await page.keyboard.type(text);
  };
  await typeInto('dataset', 'movies');
  await typeInto('rows', '2');
  // A parameter family, as the document describes it: an object whose properties are sent as they are.
  await typeInto('refine.<field>', '{"refine.major_genre": "Drama"}', 'textarea');

  const sent = new Promise<HTTPRequest>((resolve) => {
    page.on('request', (r) => {
      if (r.url().includes('/api/records/1.0/search')) resolve(r);
    });
  });
  await page.click(`${op} .execute`);
  const request = await sent;
  expect(request.headers().authorization).toBe(`Apikey ${key}`);
  const query = new URL(request.url()).searchParams;
  expect(query.get('dataset')).toBe('movies');
  expect(query.get('rows')).toBe('2');
  expect(query.getAll('refine.major_genre')).toEqual(['Drama']);
  // Nothing but what the visitor typed and the documented defaults: no example fills a filter in.
  expect([...new Set(query.keys())].sort()).toEqual(['csv_separator', 'dataset', 'format', 'refine.major_genre', 'rows', 'start', 'timezone']);
  expect(Object.fromEntries(['csv_separator', 'format', 'start', 'timezone'].map((k) => [k, query.get(k)]))).toEqual({ csv_separator: ';', format: 'json', start: '0', timezone: 'UTC' });

  await page.waitForSelector(`${op} .live-responses-table tr.response .response-col_status`);
  expect((await page.$eval(`${op} .live-responses-table tr.response .response-col_status`, (el) => (el as unknown as { textContent: string }).textContent)).trim()).toBe('200');
  const body = JSON.parse(await page.$eval(`${op} .live-responses-table tr.response .response-col_description pre.microlight`, (el) => (el as unknown as { textContent: string }).textContent)) as {
    nhits: number;
    records: unknown[];
  };
  expect(body.nhits).toBe(movies().filter((m) => m['Major Genre'] === 'Drama').length);
  expect(body.records).toHaveLength(2);
  await t.shot('try-it-out-response', `${op} .responses-wrapper`);
  expect(t.problems).toEqual([]);
});
