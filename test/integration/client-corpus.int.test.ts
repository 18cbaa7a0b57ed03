/**
 * The client corpus (test/fixtures/client-corpus.ts) against the real node: each recorded client
 * request gets a 2xx (or the status the case names) and exactly the keys and types the client reads.
 * Beside it, a few values checked against the source data (us-atlas counties): the map of a shape
 * dataset shows every county once.
 */
import request from 'supertest';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { openSearchBackend } from '../../src/opensearch/backend';
import { datasetRegistry } from '../../src/datasets/registry';
import { closeTestContext, testContext } from '../helpers/integration';
import { mismatches } from '../helpers/shape-match';
import { usCounties } from '../helpers/sample-data';
import { CLIENT_CORPUS } from '../fixtures/client-corpus';

jest.setTimeout(120_000);
const ctx = testContext();
afterAll(() => closeTestContext());
const backend = openSearchBackend(ctx.client, ctx.names);
const app = createApp({ config: { trustProxy: false, maxRequestBodyBytes: 1 << 20, domainId: 'gateway' }, logger: createLogger('silent'), backend, registry: datasetRegistry(backend, 0) });

describe('client corpus: what recorded clients send, and the keys and types they read', () => {
  it.each(CLIENT_CORPUS.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const res = await request(app).get(c.path).buffer(true).parse((r, done) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (chunk: string) => (text += chunk));
      r.on('end', () => done(null, text));
    });
    const text = res.body as string;
    expect({ status: res.status, start: res.status === (c.status ?? 200) ? '' : text.slice(0, 300) }).toEqual({ status: c.status ?? 200, start: '' });
    if (c.reads) {
      const body = JSON.parse(text) as unknown;
      expect(mismatches(body, c.reads)).toEqual([]);
      // a corpus case that reads a list must get items to check
      const items = Array.isArray(body) ? body : ((body as { records?: unknown[] }).records ?? (body as { clusters?: unknown[] }).clusters);
      if (items && !c.mayBeEmpty && !/rows=0/.test(c.path) && c.status === undefined) expect(items.length).toBeGreaterThan(0);
    }
    for (const pattern of c.raw ?? []) expect(text).toMatch(pattern);
  });
});

describe('the map of a shape dataset, against the source counties', () => {
  const counties = usCounties();

  it('geopreview at world zoom gives every county once (rows above the count), and rows caps the answer', async () => {
    const all = (await request(app).get('/api/records/1.0/geopreview/?rows=10000&clusterprecision=1&dataset=us-counties').expect(200)).body as { geo_digest: string }[];
    expect(all).toHaveLength(counties.length);
    expect(new Set(all.map((s) => s.geo_digest)).size).toBe(counties.length);
    const capped = (await request(app).get('/api/records/1.0/geopreview/?rows=1000&clusterprecision=1&dataset=us-counties').expect(200)).body as unknown[];
    expect(capped).toHaveLength(1000);
  });

  it('a clicked shape finds its county back through geo_digest (the tooltip download)', async () => {
    const [shape] = (await request(app).get('/api/records/1.0/geopreview/?rows=1&clusterprecision=2&dataset=us-counties').expect(200)).body as { geo_digest: string }[];
    const records = (await request(app).get(`/api/records/1.0/download/?format=json&rows=100&geo_digest=${shape!.geo_digest}&dataset=us-counties`).expect(200)).body as {
      fields: { fips: string; name: string };
    }[];
    expect(records).toHaveLength(1);
    // the longest boundary comes first: the county of the source with the longest outline
    const perimeter = (c: (typeof counties)[number]): number => {
      const polys = (c.geometry.type === 'Polygon' ? [c.geometry.coordinates] : c.geometry.coordinates) as number[][][][];
      let total = 0;
      for (const ring of polys.flat()) for (let i = 1; i < ring.length; i++) total += Math.hypot(ring[i]![0]! - ring[i - 1]![0]!, ring[i]![1]! - ring[i - 1]![1]!);
      return total;
    };
    const longest = [...counties].sort((a, b) => perimeter(b) - perimeter(a))[0]!;
    expect(records[0]!.fields.fips).toBe(longest.id);
  });

  it('geopolygon counts one record per county and sums each area', async () => {
    const body = (await request(app).get('/api/records/1.0/geopolygon/?clusterprecision=2&y.n.func=COUNT&dataset=us-counties').expect(200)).body as {
      clusters: { count: number; series: { n: number } }[];
    };
    expect(body.clusters).toHaveLength(counties.length);
    expect(body.clusters.every((c) => c.count === 1 && c.series.n === 1)).toBe(true);
  });

  it('the state facet counts the counties of each state', async () => {
    const body = (await request(app).get('/api/records/1.0/search/?rows=0&facet=state&dataset=us-counties').expect(200)).body as {
      facet_groups: { facets: { name: string; count: number }[] }[];
    };
    const expected = new Map<string, number>();
    for (const c of counties) expected.set(c.state, (expected.get(c.state) ?? 0) + 1);
    expect(new Map(body.facet_groups[0]!.facets.map((f) => [f.name, f.count]))).toEqual(expected);
  });
});
