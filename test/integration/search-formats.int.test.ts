/**
 * Every output format of record search parsed back by a standard parser (csv-parse, JSON,
 * fast-xml-parser), and catalog search over the loaded samples.
 */
import request from 'supertest';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { openSearchBackend } from '../../src/opensearch/backend';
import { datasetRegistry } from '../../src/datasets/registry';
import { SAMPLE_IDS } from '../../src/ingest/samples';
import { closeTestContext, testContext } from '../helpers/integration';
import { movieDate, movies } from '../helpers/sample-data';

jest.setTimeout(120_000);
const ctx = testContext();
afterAll(() => closeTestContext());
const backend = openSearchBackend(ctx.client, ctx.names);
const app = createApp({ config: { trustProxy: false, maxRequestBodyBytes: 1 << 20 }, logger: createLogger('silent'), backend, registry: datasetRegistry(backend, 0) });
const get = async (path: string) => {
  const res = await request(app).get(path);
  if (res.status !== 200) throw new Error(`${res.status} ${res.text}`);
  return res;
};
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false });

describe('record search formats', () => {
  const base = 'dataset=movies&q=release_date>=1998/06/01 AND release_date<1998/07/01&sort=-release_date';
  const qs = `${base}&rows=500`;
  const june1998 = movies().filter((m) => movieDate(m['Release Date']).startsWith('1998-06'));

  it('csv: one row per record, the same values as the JSON records', async () => {
    const json = (await get(`/api/records/1.0/search?${qs}&fields=title,release_date,us_gross`)).body;
    expect(json.nhits).toBe(june1998.length);
    const res = await get(`/api/records/1.0/search?${qs}&fields=title,release_date,us_gross&format=csv`);
    expect(res.headers['content-disposition']).toBe('attachment; filename="movies.csv"');
    const rows = parseCsv(res.text, { delimiter: ';', columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.release_date)).toEqual(json.records.map((r: { fields: { release_date: string } }) => r.fields.release_date));
    expect(rows.map((r) => r.release_date)).toEqual([...rows.map((r) => r.release_date)].sort());
    expect(rows.map((r) => r.us_gross)).toEqual(json.records.map((r: { fields: { us_gross?: number } }) => (r.fields.us_gross === undefined ? '' : String(r.fields.us_gross))));
    expect(Object.keys(rows[0]!)).toEqual(['title', 'release_date', 'us_gross']);
  });

  it('geojson: a FeatureCollection of points', async () => {
    const b = (await get('/api/records/1.0/search?dataset=geonames-cities&geofilter.bbox=48,2,49,3&rows=50&format=geojson')).body;
    expect(b.type).toBe('FeatureCollection');
    expect(b.features).toHaveLength(50);
    for (const f of b.features) {
      expect(f.type).toBe('Feature');
      expect(f.geometry.type).toBe('Point');
      const [lon, lat] = f.geometry.coordinates;
      expect(f.properties.geo_point_2d).toEqual([lat, lon]);
      expect(typeof f.properties.recordid).toBe('string');
    }
    const shapes = (await get('/api/records/1.0/search?dataset=countries&q=name:France&format=geojsonp&callback=cb')).text;
    const fc = JSON.parse(shapes.replace(/^\/\*\*\/cb\(/, '').replace(/\);$/, ''));
    expect(fc.features[0].geometry.type).toMatch(/Polygon/);
  });

  it('rss and atom: valid feeds with one entry per record', async () => {
    const rss = (await get(`/api/records/1.0/search?${base}&rows=5&format=rss`)).text;
    expect(XMLValidator.validate(rss)).toBe(true);
    const items = xml.parse(rss).rss.channel.item;
    expect(items).toHaveLength(5);
    expect(items[0].link).toMatch(/\/api\/datasets\/1\.0\/movies\/records\/[0-9a-f]{40}$/);
    const atom = (await get(`/api/records/1.0/search?${base}&rows=5&format=atom`)).text;
    expect(XMLValidator.validate(atom)).toBe(true);
    const feed = xml.parse(atom).feed;
    expect(feed.entry).toHaveLength(5);
    expect(feed.entry.map((e: { title: string }) => e.title).every((t: string) => june1998.some((m) => String(m.Title) === t))).toBe(true);
  });
});

describe('catalog search', () => {
  it('lists every sample with facets computed over the listed datasets', async () => {
    const b = (await get('/api/datasets/1.0/search/?rows=1000000&facet=publisher&facet=theme&facet=modified&facet=language')).body;
    const ids = b.datasets.map((d: { datasetid: string }) => d.datasetid);
    expect(ids).toEqual(expect.arrayContaining([...SAMPLE_IDS]));
    expect(b.nhits).toBe(ids.length);
    expect(b.parameters).toMatchObject({ rows: 10000, start: 0, staged: false });
    const tally = (values: unknown[]) => {
      const out: Record<string, number> = {};
      for (const v of values.flatMap((x) => (Array.isArray(x) ? x : x === undefined ? [] : [x]))) out[String(v)] = (out[String(v)] ?? 0) + 1;
      return out;
    };
    const facet = (name: string) =>
      Object.fromEntries(b.facet_groups.find((g: { name: string }) => g.name === name).facets.map((v: { path: string; count: number }) => [v.path, v.count]));
    const metas = b.datasets.map((d: { metas: Record<string, unknown> }) => d.metas);
    expect(facet('publisher')).toEqual(tally(metas.map((m: { publisher?: string }) => m.publisher)));
    expect(facet('theme')).toEqual(tally(metas.map((m: { theme?: unknown }) => m.theme)));
    expect(facet('modified')).toEqual(tally(metas.map((m: { modified: string }) => m.modified.slice(0, 4))));
  });

  it('searches the metas with q, refines, sorts by title and writes csv', async () => {
    const b = (await get('/api/datasets/1.0/search?q=movies&rows=10')).body;
    expect(b.datasets.map((d: { datasetid: string }) => d.datasetid)).toContain('movies');
    const sorted = (await get('/api/datasets/1.0/search?sort=title&rows=100')).body;
    const titles = sorted.datasets.map((d: { metas: { title: string } }) => d.metas.title.toLowerCase());
    expect(titles).toEqual([...titles].sort());
    const all = sorted.datasets as { datasetid: string; metas: { publisher?: string } }[];
    const publisher = all.find((d) => d.datasetid === 'movies')?.metas.publisher ?? '';
    const refined = (await get(`/api/datasets/1.0/search?refine.publisher=${encodeURIComponent(publisher)}&rows=100`)).body;
    expect(refined.datasets.map((d: { datasetid: string }) => d.datasetid).sort()).toEqual(all.filter((d) => d.metas.publisher === publisher).map((d) => d.datasetid).sort());
    const csv = (await get('/api/datasets/1.0/search?format=csv&rows=100&csv_separator=,')).text;
    const rows = parseCsv(csv, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.datasetid)).toEqual(expect.arrayContaining([...SAMPLE_IDS]));
  });
});
