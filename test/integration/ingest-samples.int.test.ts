/**
 * The sample datasets as the global setup loaded them, checked against their sources read straight from
 * the npm packages (test/helpers/sample-data.ts), plus the OpenSearch features the gateway relies on
 * working on this node: asciifolding, index_prefixes, geo_shape, geotile_grid, lang: expression.
 */
import { closeTestContext, testContext } from '../helpers/integration';
import {
  countries,
  earthquakes,
  foldAccents,
  geonamesCities,
  movieDate,
  movies,
  sampleSourceCounts,
  seattleWeather,
} from '../helpers/sample-data';
import { getCatalogDoc } from '../../src/datasets/index-admin';

// testTimeout is a global jest option: the integration project's value does not reach the tests
jest.setTimeout(120_000);
const ctx = testContext();
afterAll(() => closeTestContext());

type Hit = { _id: string; _source: { recordid: string; fields: Record<string, unknown>; __geo_type?: Record<string, string> } };

async function search(index: string, body: Record<string, unknown>): Promise<{ hits: { total: { value: number }; hits: Hit[] }; aggregations?: Record<string, any> }> {
  const res = await ctx.client.search({ index, body: { track_total_hits: true, ...body } as never });
  return res.body as never;
}
const alias = (id: string): string => ctx.names.recordsAlias(id);

describe('sample datasets', () => {
  const expected = sampleSourceCounts();

  it.each(Object.keys(expected))('%s holds exactly one record per source item', async (id) => {
    const res = await ctx.client.count({ index: alias(id) });
    expect((res.body as { count: number }).count).toBe(expected[id]);
  });

  it.each(Object.keys(expected))('%s has a catalog document with the loaded count and the descriptor', async (id) => {
    const doc = await getCatalogDoc(ctx.client, ctx.names, id);
    const d = ctx.descriptor(id);
    expect(doc?.recordid).toBe(id);
    expect(doc?.fields.records_count).toBe(expected[id]);
    expect(doc?.fields.title).toBe(d.metas.title);
    expect(doc?.dataset.metas.records_count).toBe(expected[id]);
    expect(doc?.dataset.fields).toEqual(d.fields);
    expect(doc?.dataset.extra_metas).toEqual(d.extra_metas);
    expect(doc?.dataset.features).toEqual(expect.arrayContaining(['analyze']));
    expect(doc?.ingest?.rows_rejected).toBe(0);
    expect(doc?.__visibility).toEqual({ public: true, users: [], groups: [] });
  });

  it('movies: release dates (two-digit-year artefacts included) and grosses match the source', async () => {
    const src = movies();
    const dates = src.map((m) => movieDate(m['Release Date'])).sort();
    const res = await search(alias('movies'), {
      size: 0,
      aggs: {
        first: { min: { field: 'fields.release_date', format: 'yyyy-MM-dd' } },
        last: { max: { field: 'fields.release_date', format: 'yyyy-MM-dd' } },
        gross: { sum: { field: 'fields.us_gross' } },
        genres: { terms: { field: 'fields.major_genre.keyword', size: 50 } },
      },
    });
    const aggs = res.aggregations as Record<string, any>;
    expect(aggs.first.value_as_string).toBe(dates[0]);
    expect(aggs.last.value_as_string).toBe(dates[dates.length - 1]);
    expect(aggs.last.value_as_string).toBe('2046-12-31');
    expect(aggs.gross.value).toBe(src.reduce((s, m) => s + (m['US Gross'] ?? 0), 0));
    const drama = aggs.genres.buckets.find((b: { key: string }) => b.key === 'Drama');
    expect(drama.doc_count).toBe(src.filter((m) => m['Major Genre'] === 'Drama').length);
    // numeric titles are text
    const t = await search(alias('movies'), { query: { term: { 'fields.title.keyword': '1776' } } });
    expect(t.hits.total.value).toBe(src.filter((m) => String(m.Title) === '1776').length);
  });

  it('earthquakes: times, magnitudes, depth and epicentres match the source', async () => {
    const src = earthquakes();
    const res = await search(alias('earthquakes'), {
      size: 0,
      aggs: { first: { min: { field: 'fields.time' } }, last: { max: { field: 'fields.time' } }, mag: { max: { field: 'fields.mag' } }, deep: { max: { field: 'fields.depth' } } },
    });
    const aggs = res.aggregations as Record<string, any>;
    expect(aggs.first.value).toBe(Math.min(...src.map((q) => q.properties.time)));
    expect(aggs.last.value).toBe(Math.max(...src.map((q) => q.properties.time)));
    expect(aggs.mag.value).toBe(Math.max(...src.map((q) => q.properties.mag)));
    expect(aggs.deep.value).toBe(Math.max(...src.map((q) => q.geometry.coordinates[2])));
    const q = src[0] as (typeof src)[number];
    const one = await search(alias('earthquakes'), { query: { term: { 'fields.id.keyword': q.id } } });
    const f = one.hits.hits[0]?._source.fields as Record<string, unknown>;
    expect(f.geo_point_2d).toEqual({ lat: q.geometry.coordinates[1], lon: q.geometry.coordinates[0] });
    expect(f.time).toBe(new Date(q.properties.time).toISOString().replace('.000Z', 'Z'));
    expect(f.ids).toEqual(String(q.properties.ids).split(',').filter((s) => s !== ''));
  });

  it('seattle-weather: one record per day, and the weather facet counts match', async () => {
    const src = seattleWeather();
    const res = await search(alias('seattle-weather'), {
      size: 0,
      aggs: {
        weather: { terms: { field: 'fields.weather.keyword', size: 10 } },
        first: { min: { field: 'fields.date', format: 'yyyy-MM-dd' } },
        last: { max: { field: 'fields.date', format: 'yyyy-MM-dd' } },
        rain: { sum: { field: 'fields.precipitation' } },
      },
    });
    const aggs = res.aggregations as Record<string, any>;
    const counts: Record<string, number> = {};
    for (const d of src) counts[d.weather] = (counts[d.weather] ?? 0) + 1;
    expect(Object.fromEntries(aggs.weather.buckets.map((b: { key: string; doc_count: number }) => [b.key, b.doc_count]))).toEqual(counts);
    expect(aggs.first.value_as_string).toBe('2012-01-01');
    expect(aggs.last.value_as_string).toBe('2015-12-31');
    expect(aggs.rain.value).toBeCloseTo(src.reduce((s, d) => s + d.precipitation, 0), 6);
  });

  it('countries: shapes are geo_shape with their type, and a point in France finds France', async () => {
    const mapping = await ctx.client.indices.getMapping({ index: alias('countries') });
    const props = (Object.values(mapping.body as Record<string, any>)[0] as any).mappings.properties;
    expect(props.fields.properties.geo_shape).toEqual({ type: 'geo_shape' });
    expect(props.__geo_type.properties.geo_shape).toEqual({ type: 'keyword' });

    const src = countries();
    const res = await search(alias('countries'), { size: 500, _source: ['fields.name', '__geo_type'] });
    const byName = new Map(res.hits.hits.map((h) => [h._source.fields.name as string, h._source.__geo_type?.geo_shape]));
    for (const c of src) {
      // North Korea: the prepare step drops a degenerate ring, which leaves a Polygon
      const type = c.properties.name === 'North Korea' ? 'polygon' : c.geometry.type.toLowerCase();
      expect([c.properties.name, byName.get(c.properties.name)]).toEqual([c.properties.name, type]);
    }
    const hit = await search(alias('countries'), {
      query: { geo_shape: { 'fields.geo_shape': { shape: { type: 'point', coordinates: [2.35, 48.85] }, relation: 'intersects' } } },
    });
    expect(hit.hits.hits.map((h) => h._source.fields.name)).toEqual(['France']);
    // the computed centroid of a simple country lies inside it
    const it = await search(alias('countries'), { query: { term: { 'fields.name.keyword': 'Germany' } } });
    const p = it.hits.hits[0]?._source.fields.geo_point_2d as { lat: number; lon: number };
    expect(p.lat).toBeGreaterThan(50);
    expect(p.lat).toBeLessThan(52);
    expect(p.lon).toBeGreaterThan(9);
    expect(p.lon).toBeLessThan(11);
  });

  it('geonames-cities: asciifolding finds "Étoile" when searching "etoile", and prefixes are indexed', async () => {
    const src = geonamesCities();
    const expectedNames = src.filter((c) => foldAccents(c.name).split(/[^a-z0-9]+/).includes('etoile')).map((c) => c.name).sort();
    expect(expectedNames).toContain('Étoile-sur-Rhône');
    const res = await search(alias('geonames-cities'), { size: 100, query: { match: { 'fields.name': 'etoile' } } });
    expect(res.hits.hits.map((h) => h._source.fields.name).sort()).toEqual(expectedNames);
    const all = await search(alias('geonames-cities'), { size: 0, query: { match: { __all: 'ÉTOILE' } } });
    expect(all.hits.total.value).toBe(expectedNames.length);
    const prefix = await search(alias('geonames-cities'), { size: 0, query: { prefix: { 'fields.name': 'etoi' } } });
    expect(prefix.hits.total.value).toBe(src.filter((c) => foldAccents(c.name).split(/[^a-z0-9]+/).some((w) => w.startsWith('etoi'))).length);
  });

  it('geonames-cities: a geotile_grid aggregation covers every city', async () => {
    const res = await search(alias('geonames-cities'), {
      size: 0,
      aggs: { tiles: { geotile_grid: { field: 'fields.geo_point_2d', precision: 3, size: 10000 }, aggs: { c: { geo_centroid: { field: 'fields.geo_point_2d' } } } } },
    });
    const buckets = (res.aggregations as Record<string, any>).tiles.buckets as { key: string; doc_count: number }[];
    expect(buckets.length).toBeGreaterThan(20);
    expect(buckets.reduce((s, b) => s + b.doc_count, 0)).toBe(geonamesCities().length);
    expect(buckets[0]?.key).toMatch(/^3\/\d+\/\d+$/);
  });

  it('geonames-cities: a lang: expression script works in an aggregation', async () => {
    const res = await search(alias('geonames-cities'), {
      size: 0,
      query: { term: { 'fields.country_code.keyword': 'FR' } },
      aggs: { twice: { sum: { script: { lang: 'expression', source: "doc['fields.population'].value * 2" } } } },
    });
    const expectedSum = geonamesCities().filter((c) => c.country === 'FR').reduce((s, c) => s + c.population, 0);
    expect((res.aggregations as Record<string, any>).twice.value).toBe(2 * expectedSum);
  });
});
