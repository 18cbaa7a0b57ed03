/**
 * The front door as HTTP: pages with their security headers, the OpenAPI document, the assets (only
 * web/ and the whitelisted npm files), and none of it counted in the quota.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import request from 'supertest';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { datasetRegistry } from '../../src/datasets/registry';
import { PAGE_CSP, VENDOR_FILES, defaultWebDir } from '../../src/http/routes/front-door';
import { openApiDocument } from '../../src/openapi/document';
import { buildApp } from '../helpers/build-app';
import { fakeBackend } from '../helpers/fake-backend';
import { memoryQuotaStore, quotaService } from '../helpers/quota-support';

const app = buildApp(fakeBackend());
const WEB = defaultWebDir();
const PAGES = ['/', '/explore', '/explore/', '/explore/dataset/movies/', '/console/'];

function webFiles(dir = WEB): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? webFiles(join(dir, f)) : [join(dir, f)]));
}

describe('pages', () => {
  it.each(PAGES)('%s is an HTML page with a strict Content-Security-Policy', async (path) => {
    const res = await request(app).get(path);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toBe(PAGE_CSP);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('the dataset page is the same static page whatever the id (nothing of the URL is reflected)', async () => {
    const a = await request(app).get('/explore/dataset/movies/');
    const b = await request(app).get('/explore/dataset/%3Cscript%3Ealert(1)%3C%2Fscript%3E/');
    expect(b.status).toBe(200);
    expect(b.text).toBe(a.text);
  });

  it('pages hold no inline script (the policy would block it) and every asset they name is served', async () => {
    for (const file of webFiles().filter((f) => f.endsWith('.html'))) {
      const html = readFileSync(file, 'utf8');
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attrs, body] of scripts) {
        expect(attrs).toMatch(/\bsrc="/);
        expect(body!.trim()).toBe('');
      }
      expect(html).not.toMatch(/\son[a-z]+="/); // no inline event handler either
      const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
      expect(assets.length).toBeGreaterThan(0);
      for (const asset of assets) expect([asset, (await request(app).get(asset)).status]).toEqual([asset, 200]);
    }
  });

  it('every module the scripts import exists', () => {
    for (const file of webFiles().filter((f) => f.endsWith('.js'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/^import [^;]*? from '([^']+)';/gm)) {
        const target = resolve(dirname(file), m[1]!);
        expect([file, m[1], statSync(target, { throwIfNoEntry: false })?.isFile() ?? false]).toEqual([file, m[1], true]);
      }
    }
  });
});

describe('the OpenAPI document', () => {
  it('is served as JSON, the same as src/openapi builds', async () => {
    const res = await request(app).get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    expect(res.headers['access-control-allow-origin']).toBe('*'); // tools of other origins read it
  });
});

describe('assets', () => {
  it.each(Object.entries(VENDOR_FILES).flatMap(([name, v]) => v.files.map((f) => `/assets/vendor/${name}/${f}`)))('%s is served', async (path) => {
    const res = await request(app).get(path);
    expect(res.status).toBe(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it.each([
    '/assets/vendor/leaflet/package.json',
    '/assets/vendor/swagger-ui/index.html',
    '/assets/vendor/swagger-ui/swagger-initializer.js',
    '/assets/vendor/nothing/x.js',
    '/assets/web/%2e%2e/package.json',
    '/assets/web/../package.json',
    '/assets/web/..%2fpackage.json',
    '/assets/web/explore/',
    '/assets/web/tsconfig.json',
    '/assets/web/globals.d.ts',
  ])('%s is not served', async (path) => {
    const res = await request(app).get(path);
    expect([403, 404]).toContain(res.status);
    expect(res.text).not.toContain('"dependencies"');
  });

  it('web scripts are JavaScript, revalidated on every use (max-age=0 with an ETag)', async () => {
    const res = await request(app).get('/assets/web/explore/dataset.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=0');
    expect(res.headers.etag).toBeDefined();
    expect((await request(app).get('/assets/web/explore/dataset.js').set('If-None-Match', res.headers.etag as string)).status).toBe(304);
  });
});

it('loading pages, assets and the document costs no API call of the quota', async () => {
  const backend = fakeBackend();
  const quota = quotaService(memoryQuotaStore(), { anonymousDailyLimit: 1 });
  const counted = createApp({ config: { trustProxy: false, maxRequestBodyBytes: 1 << 20 }, logger: createLogger('silent'), backend, registry: datasetRegistry(backend, 0), quota });
  for (const path of [...PAGES, '/api/openapi.json', '/assets/web/common/style.css', '/assets/vendor/leaflet/leaflet.js']) {
    const res = await request(counted).get(path);
    expect([path, res.status, res.headers['x-ratelimit-limit']]).toEqual([path, 200, undefined]);
  }
  // The one call of the day (an unknown dataset, still a call), then the quota answers.
  expect((await request(counted).get('/api/datasets/1.0/no-such-dataset/')).status).toBe(404);
  expect((await request(counted).get('/api/datasets/1.0/no-such-dataset/')).status).toBe(429);
});
