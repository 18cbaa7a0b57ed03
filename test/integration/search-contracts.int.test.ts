/**
 * The DSL contracts of search on a real OpenSearch (docs/opensearch-design.md; it checks date_histogram
 * paths in a zone, explicit ranges, include/exclude regexps on __paths with escaped UTF-8,
 * polygons on points and shapes) with a small dataset made here, so every kind of facet the sample
 * datasets lack (hierarchical text) is covered. Expected values are counted from the rows below.
 */
import request from 'supertest';
import type { Client } from '@opensearch-project/opensearch';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { createOpenSearchClient } from '../../src/opensearch/client';
import { openSearchBackend } from '../../src/opensearch/backend';
import { indexNames } from '../../src/datasets/index-names';
import { datasetRegistry } from '../../src/datasets/registry';
import { parseDescriptor } from '../../src/datasets/descriptor';
import { loadDataset } from '../../src/ingest';

jest.setTimeout(120_000);
const URL = process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200';
const names = indexNames(`itsearch${Date.now().toString(36)}`);

const descriptor = parseDescriptor({
  datasetid: 'shops',
  metas: { title: 'Shops', timezone: 'UTC' },
  fields: [
    { name: 'name', label: 'Name', type: 'text', annotations: [{ name: 'sortable' }, { name: 'id' }] },
    { name: 'category', label: 'Category', type: 'text', annotations: [{ name: 'facet' }, { name: 'hierarchical', args: ['/'] }] },
    { name: 'tags', label: 'Tags', type: 'text', annotations: [{ name: 'facet' }, { name: 'multivalued', args: [','] }] },
    { name: 'staff', label: 'Staff', type: 'int', annotations: [{ name: 'facet' }] },
    { name: 'rating', label: 'Rating', type: 'double', annotations: [{ name: 'facet' }] },
    { name: 'visited', label: 'Visited', type: 'datetime', annotations: [{ name: 'facet' }] },
    { name: 'outline', label: 'Outline', type: 'geo_shape' },
    { name: 'geo_point_2d', label: 'Point', type: 'geo_point_2d' },
  ],
});

const square = (lon: number, lat: number, d = 0.01) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});

const rows = [
  { name: 'A', category: 'Food/Bread/Rye', tags: 'bio,local', staff: 3, rating: 4.5, visited: '2020-12-31T23:30:00Z', outline: square(2, 48), geo_point_2d: '48.005,2.005' },
  { name: 'B', category: 'Food/Bread', tags: 'bio', staff: 3, rating: 3, visited: '2021-01-01T10:00:00Z', outline: square(2.1, 48), geo_point_2d: '48.005,2.105' },
  { name: 'C', category: 'Food/Méat (fresh)', tags: 'local', staff: 10, rating: 4.5, visited: '2021-03-15T12:00:00Z', outline: square(3, 49), geo_point_2d: '49.005,3.005' },
  { name: 'D', category: 'Tools', staff: 1, visited: '2022-06-01T00:00:00Z', geo_point_2d: '10,10' },
];

let client: Client;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  client = createOpenSearchClient({ opensearchUrl: URL });
  await loadDataset({
    client,
    names,
    datasetId: 'shops',
    descriptor,
    source: { rows: (async function* () { let line = 0; for (const row of rows) yield { line: ++line, row }; })() },
    log: () => {},
  });
  const backend = openSearchBackend(client, names);
  app = createApp({ config: { trustProxy: false, maxRequestBodyBytes: 1 << 20 }, logger: createLogger('silent'), backend, registry: datasetRegistry(backend, 0) });
});

afterAll(async () => {
  await client.indices.delete({ index: `${names.prefix}-*` }).catch(() => undefined);
  await client.close();
});

const search = async (qs: string) => (await request(app).get(`/api/records/1.0/search?dataset=shops&${qs}`).expect(200)).body;

describe('search contracts on a real node', () => {
  it('opens a hierarchical text facet level by level, with escaped UTF-8 paths', async () => {
    const top = await search('facet=category&rows=0');
    expect(top.facet_groups[0].facets).toEqual([
      { name: 'Food', path: 'Food', count: 3, state: 'displayed' },
      { name: 'Tools', path: 'Tools', count: 1, state: 'displayed' },
    ]);
    const food = await search('facet=category&refine.category=Food&rows=0');
    expect(food.nhits).toBe(3);
    expect(food.facet_groups[0].facets).toEqual([
      {
        name: 'Food',
        path: 'Food',
        count: 3,
        state: 'refined',
        facets: [
          { name: 'Bread', path: 'Food/Bread', count: 2, state: 'displayed' },
          { name: 'Méat (fresh)', path: 'Food/Méat (fresh)', count: 1, state: 'displayed' },
        ],
      },
    ]);
    const meat = await search(`facet=category&refine.category=${encodeURIComponent('Food/Méat (fresh)')}&rows=0`);
    expect(meat.nhits).toBe(1);
    expect(meat.facet_groups[0].facets[0].facets).toEqual([{ name: 'Méat (fresh)', path: 'Food/Méat (fresh)', count: 1, state: 'refined' }]);
  });

  it('buckets datetimes in the request timezone (key_as_string paths) and refines with explicit ranges', async () => {
    const utc = await search('facet=visited&rows=0');
    expect(utc.facet_groups[0].facets.map((v: { path: string; count: number }) => [v.path, v.count])).toEqual([['2022', 1], ['2021', 2], ['2020', 1]]);
    const paris = await search('facet=visited&rows=0&timezone=Europe/Paris&refine.visited=2021/01');
    // A (2020-12-31T23:30Z) is 2021-01-01 00:30 in Paris.
    expect(paris.nhits).toBe(2);
    expect(paris.facet_groups[0].facets).toEqual([
      {
        name: '2021',
        path: '2021',
        count: 2,
        state: 'refined',
        facets: [{ name: '01', path: '2021/01', count: 2, state: 'refined', facets: [{ name: '01', path: '2021/01/01', count: 2, state: 'displayed' }] }],
      },
    ]);
  });

  it('counts multivalued values once each, numbers as numbers, and keeps refined values listed', async () => {
    const r = await search('facet=tags&facet=staff&facet=rating&refine.staff=10&disjunctive.staff=true&refine.rating=4.5&rows=0');
    expect(r.nhits).toBe(1);
    const group = (name: string) => r.facet_groups.find((g: { name: string }) => g.name === name).facets;
    expect(group('tags')).toEqual([{ name: 'local', path: 'local', count: 1, state: 'displayed' }]);
    // Disjunctive: counted without its own refine (rating 4.5 holds A and C); equal counts in natural order.
    expect(group('staff')).toEqual([
      { name: '3', path: '3', count: 1, state: 'displayed' },
      { name: '10', path: '10', count: 1, state: 'refined' },
    ]);
    expect(group('rating')).toEqual([{ name: '4.5', path: '4.5', count: 1, state: 'refined' }]);
  });

  it('filters polygons on the shape, bbox and distance on the point', async () => {
    const poly = await search(`geofilter.polygon=${encodeURIComponent('(47.9,1.9),(48.1,1.9),(48.1,2.05),(47.9,2.05)')}`);
    expect(poly.records.map((x: { fields: { name: string } }) => x.fields.name)).toEqual(['A']);
    const bbox = await search('geofilter.bbox=47,1,50,4');
    expect(bbox.nhits).toBe(3);
    const near = await search('geofilter.distance=48.005,2.005,9000&sort=-dist');
    expect(near.records.map((x: { fields: { name: string; dist: string } }) => [x.fields.name, Number(x.fields.dist) < 9000])).toEqual([['A', true], ['B', true]]);
    expect(near.records[0].fields.dist).toBe('0.0');
  });

  it('sorts text on .lower and numbers descending by default', async () => {
    const byName = await search('sort=-name&fields=name');
    expect(byName.records.map((x: { fields: { name: string } }) => x.fields.name)).toEqual(['D', 'C', 'B', 'A']);
    const byStaff = await search('sort=staff&fields=name,staff');
    expect(byStaff.records.map((x: { fields: { staff: number } }) => x.fields.staff)).toEqual([10, 3, 3, 1]);
  });
});
