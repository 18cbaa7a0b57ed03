/**
 * Attack suite, error hygiene and quota spoofing. Odd values in every parameter of every endpoint
 * never give a 500 or a hang, and no answer names an internal index, a file path, a stack frame or
 * a backend exception; a spoofed X-Forwarded-For (untrusted proxy) or another way of sending a
 * credential never opens a new quota bucket.
 */
import { join } from 'node:path';
import request from 'supertest';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { datasetRegistry } from '../../src/datasets/registry';
import { openSearchBackend } from '../../src/opensearch/backend';
import { memoryQuotaStore, quotaService } from '../helpers/quota-support';
import { buildWorld, type World } from './world';

let w: World;
beforeAll(async () => {
  w = await buildWorld();
});
afterAll(() => w.close());

/**
 * Values no client should send: control characters, broken escapes (sent as they are), huge and
 * nested values, code.
 */
const ODD = [
 '', ' ', '\t', '%', '%%', '%FF', '%E0%A4%A', '%ED%A0%80', '\u0000', '\u202e', '😀'.repeat(50), 'a'.repeat(5000), '-1', '1e400', 'NaN',
  'Infinity', '-0', '0x10', '99999999999999999999', 'null', 'undefined', 'true', '[]', '{}', '{"a":1}', '[[[[[[[[[[', ']]', '((((((', '))',
  '"', "'", '\\', '\\"', '*', '?', '#', '#now(', '#distance(', '#polygon(geo, "(0,0)")', 'AND', 'OR', 'NOT', 'a:b:c', '==', '>=',
  '<script>', '${7*7}', '{{7*7}}', '../../etc/passwd', 'javascript:alert(1)', 'SELECT * FROM x', 'x\r\nSet-Cookie: a=b',
];

const ENDPOINTS: { path: string; params: string[] }[] = [
  { path: '/api/records/1.0/search/?dataset=open', params: ['q', 'sort', 'facet', 'refine.city', 'exclude.city', 'fields', 'rows', 'start', 'timezone', 'format', 'geofilter.distance', 'geofilter.polygon', 'geofilter.bbox', 'facetsort.city', 'csv_separator', 'lang'] },
  { path: '/api/records/1.0/analyze/?dataset=open', params: ['x', 'y.s.func', 'y.s.expr', 'precision', 'periodic', 'maxpoints', 'sort', 'output_timezone'] },
  { path: '/api/records/1.0/geocluster/?dataset=open', params: ['clusterprecision', 'clusterdistance', 'shapeprecision', 'clustermode'] },
  { path: '/api/records/1.0/download/?dataset=open', params: ['format', 'fields', 'rows', 'sort', 'simplify'] },
  { path: '/api/datasets/1.0/search/?', params: ['q', 'sort', 'facet', 'refine.publisher', 'rows', 'format'] },
  { path: '/api/datasets/1.0/open/?', params: ['extrametas', 'interopmetas', 'format'] },
  { path: '/api/records/1.0/search/?', params: ['dataset'] },
];

/** What an error must not name: index prefixes, the gateway's files, stack frames, exceptions. */
const ROOT = join(__dirname, '..', '..');
const FORBIDDEN = [/secsuite/, /odstest/, new RegExp(ROOT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), /node_modules/, /\bat [\w.<>]+ \(/, /exception/i, /stack/i];

describe('odd values never give a 500, and answers leak nothing internal', () => {
  const cases = ENDPOINTS.flatMap((e) => e.params.map((p): [string, string] => [e.path, p]));
  it.each(cases)('%s with odd values of %s', async (path, param) => {
    for (const value of ODD) {
      const sep = path.endsWith('?') ? '' : '&';
      const base = param === 'y.s.expr' ? `${path}&y.s.func=SUM&x=city` : param.startsWith('y.s.func') ? `${path}&y.s.expr=salary` : path;
      const raw = value.startsWith('%') ? value : encodeURIComponent(value);
      const res = await request(w.app).get(`${base}${sep}${encodeURIComponent(param)}=${raw}`);
      expect({ param, value: value.slice(0, 40), status: res.status < 500 }).toEqual({ param, value: value.slice(0, 40), status: true });
      if (res.status >= 400) {
        const body = JSON.parse(res.text.replace(/^\/\*\*\/\w+\(|\);?$/g, '')) as { errorcode?: number; error?: string };
        expect(typeof body.errorcode).toBe('number');
        for (const re of FORBIDDEN) expect({ param, error: body.error }).not.toEqual({ param, error: expect.stringMatching(re) });
      }
    }
  });

  it('an odd value in a path segment is a 4xx too', async () => {
    for (const value of ODD.filter((v) => v !== '' && !v.includes('/') && !v.startsWith('%'))) {
      for (const path of [`/api/datasets/1.0/${encodeURIComponent(value)}/`, `/api/datasets/1.0/open/records/${encodeURIComponent(value)}/`]) {
        const res = await request(w.app).get(path.replace(encodeURIComponent(value), value.startsWith('%') ? value : encodeURIComponent(value)));
        expect({ path, status: res.status < 500 }).toEqual({ path, status: true });
      }
    }
  });
});

describe('quota buckets cannot be spoofed', () => {
  const quotaApp = (trustProxy: boolean) => {
    const backend = openSearchBackend(w.client, w.names);
    return createApp({
      config: { trustProxy, maxRequestBodyBytes: 1 << 20 },
      logger: createLogger('silent'),
      backend,
      registry: datasetRegistry(backend, 0),
      auth: w.auth,
      quota: quotaService(memoryQuotaStore(), { anonymousDailyLimit: 3, userDailyLimit: 4 }),
    });
  };

  it('X-Forwarded-For from an untrusted client opens no new anonymous bucket', async () => {
    const app = quotaApp(false);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await request(app).get('/api/datasets/1.0/open/').set('X-Forwarded-For', `198.51.100.${i}`)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it('one user has one bucket whichever way the credential comes', async () => {
    const app = quotaApp(false);
    const ways = [
      (r: request.Test) => r.set('Authorization', `Apikey ${w.keys.hana}`),
      (r: request.Test) => r.query({ apikey: w.keys.hana }),
      (r: request.Test) => r.set('Authorization', `Bearer ${w.tokens.hana}`),
      (r: request.Test) => r.query({ access_token: w.tokens.hana }),
      (r: request.Test) => r.set('Authorization', `Apikey ${w.keys.hana}`),
    ];
    const statuses: number[] = [];
    for (const way of ways) statuses.push((await way(request(app).get('/api/datasets/1.0/open/'))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
  });

  it('bad credentials spend nobody\'s quota', async () => {
    const app = quotaApp(false);
    for (let i = 0; i < 5; i++) expect((await request(app).get('/api/datasets/1.0/open/').set('Authorization', `Apikey bad${i}`)).status).toBe(401);
    expect((await request(app).get('/api/datasets/1.0/open/')).status).toBe(200);
    expect((await request(app).get('/api/datasets/1.0/open/').set('Authorization', `Apikey ${w.keys.bob}`)).status).toBe(200);
  });
});
