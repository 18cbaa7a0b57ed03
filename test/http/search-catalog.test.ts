import request from 'supertest';
import { XMLParser } from 'fast-xml-parser';
import { parse as parseCsv } from 'csv-parse/sync';
import { buildApp } from '../helpers/build-app';
import { fakeBackend } from '../helpers/fake-backend';
import { citiesDescriptor } from '../fixtures/datasets/cities';

const answer = {
  hits: { total: { value: 1, relation: 'eq' }, hits: [{ _id: 'cities', _source: { recordid: 'cities', dataset: citiesDescriptor } }] },
  aggregations: {
    'f:theme': { doc_count: 1, l: { buckets: [{ key: 'Places', doc_count: 1 }] } },
    'f:modified': { doc_count: 1, l: { buckets: [{ key: 0, key_as_string: '2021', doc_count: 1 }] } },
  },
};

function setup() {
  const backend = fakeBackend();
  backend.searchCatalog = async (body) => {
    backend.calls.push({ method: 'searchCatalog', args: [body] });
    return answer;
  };
  return { backend, app: buildApp(backend) };
}
const bodies = (b: ReturnType<typeof setup>['backend']) => b.calls.filter((c) => c.method === 'searchCatalog').map((c) => c.args[0] as Record<string, unknown>);
/** The query search built, inside the visibility filter that permissions wrap around it (src/auth/access.ts). */
const searchQuery = (body: Record<string, unknown> | undefined) => (body?.query as { bool: { must: unknown[]; filter: unknown[] } }).bool.must[0];

describe('GET /api/datasets/1.0/search (catalog)', () => {
  it('searches the catalog (not a dataset lookup of "search") and answers datasets with facets', async () => {
    const { app, backend } = setup();
    const res = await request(app).get('/api/datasets/1.0/search/?rows=0&facet=modified&facet=theme&timezone=UTC&extrametas=true').expect(200);
    expect(res.body).toMatchObject({
      nhits: 1,
      parameters: { timezone: 'UTC', rows: 0, start: 0, format: 'json', facet: ['modified', 'theme'], staged: false },
      datasets: [{ datasetid: 'cities', metas: { title: 'Cities' }, extra_metas: { explore: { download_count: 3 }, visualization: {} } }],
      facet_groups: [
        { name: 'modified', facets: [{ name: '2021', path: '2021', count: 1, state: 'displayed' }] },
        { name: 'theme', facets: [{ name: 'Places', path: 'Places', count: 1, state: 'displayed' }] },
      ],
    });
    const [body] = bodies(backend);
    expect(body).toMatchObject({ from: 0, size: 0, sort: [{ recordid: 'asc' }], _source: ['recordid', 'dataset'] });
    expect(searchQuery(body)).toEqual({ match_all: {} });
    expect(Object.keys(body!.aggs as object)).toEqual(['f:modified', 'f:theme']);
    expect(backend.calls.map((c) => c.method)).toEqual(['searchCatalog']);
  });

  it('lists everything for rows=1000000 (clamped to 10000), ignores widget popularity sorts, sorts title as text', async () => {
    const { app, backend } = setup();
    const res = await request(app).get('/api/datasets/1.0/search?rows=1000000&sort=explore.popularity_score').expect(200);
    expect(res.body.parameters).toMatchObject({ rows: 10000, sort: ['explore.popularity_score'] });
    await request(app).get('/api/datasets/1.0/search?sort=-modified&sort=title&refine.publisher=Test&exclude.keyword=x').expect(200);
    const [first, second] = bodies(backend);
    expect(first).toMatchObject({ size: 10000, sort: [{ recordid: 'asc' }] });
    // refined and excluded catalog facets get their facet group: the exclude goes to post_filter
    expect(searchQuery(second)).toEqual({ bool: { filter: [{ term: { 'fields.publisher.keyword': 'Test' } }] } });
    expect(second!.post_filter).toEqual({ bool: { must_not: [{ term: { 'fields.keyword.keyword': 'x' } }] } });
    expect(Object.keys(second!.aggs as object)).toEqual(['f:publisher', 'f:keyword']);
    expect(second).toMatchObject({
      sort: [{ 'fields.modified': 'asc' }, { 'fields.title.lower': 'asc' }, { 'fields.title.keyword': 'asc' }, { recordid: 'asc' }],
    });
  });

  it.each([
    ['facet=description', 'facet'],
    ['sort=description', 'sort'],
    ['facetsort.theme=up', 'facetsort.theme'],
    ['format=geojson', 'format'],
  ])('rejects %s with a 400 naming %s', async (qs, parameter) => {
    const { app } = setup();
    expect((await request(app).get(`/api/datasets/1.0/search?${qs}`).expect(400)).body.parameter).toBe(parameter);
  });

  it('writes csv and rss', async () => {
    const { app } = setup();
    const csv = await request(app).get('/api/datasets/1.0/search?format=csv').expect(200);
    const rows = parseCsv(csv.text, { delimiter: ';', columns: true }) as Record<string, string>[];
    expect(rows).toEqual([expect.objectContaining({ datasetid: 'cities', title: 'Cities', publisher: 'Test', theme: 'Places', records_count: '2' })]);
    const rss = await request(app).get('/api/datasets/1.0/search?format=rss').expect(200);
    const channel = new XMLParser().parse(rss.text).rss.channel;
    expect(channel.item).toMatchObject({ title: 'Cities', link: expect.stringMatching(/\/api\/datasets\/1\.0\/cities$/) });
  });
});
