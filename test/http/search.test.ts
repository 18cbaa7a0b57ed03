import request from 'supertest';
import { buildApp } from '../helpers/build-app';
import { fakeBackend } from '../helpers/fake-backend';
import { citiesDescriptor, emptyish, paris } from '../fixtures/datasets/cities';

/** An OpenSearch answer with the two fixture records and a `country` facet. */
const answer = {
  hits: {
    total: { value: 2, relation: 'eq' },
    hits: [paris, emptyish].map((r) => ({ _id: r.recordid, _source: r })),
  },
  aggregations: {
    'f:country': { doc_count: 2, l: { buckets: [{ key: 'FR', doc_count: 1 }, { key: 'DE', doc_count: 1 }] } },
  },
};

function setup(response: Record<string, unknown> = answer) {
  const backend = fakeBackend();
  backend.addDataset(citiesDescriptor, [paris, emptyish]);
  backend.searchRecords = async (id, body) => {
    backend.calls.push({ method: 'searchRecords', args: [id, body] });
    return response;
  };
  return { backend, app: buildApp(backend) };
}

const searchBodies = (backend: ReturnType<typeof setup>['backend']) =>
  backend.calls.filter((c) => c.method === 'searchRecords').map((c) => c.args[1] as Record<string, unknown>);

describe('GET /api/records/1.0/search', () => {
  it('keeps dataset=<id>@<domain> as asked in the echo and in every record (recorded v1 responses do)', async () => {
    // NinoAraoz/EntrevistaPossumus src/new.js: "dataset": ["commodity-prices@public"] and
    // "datasetid": "commodity-prices@public" on every record
    const { app } = setup();
    const res = await request(app).get('/api/records/1.0/search/?dataset=cities@public&rows=2').expect(200);
    expect(res.body.parameters.dataset).toBe('cities@public');
    expect(res.body.records.map((r: { datasetid: string }) => r.datasetid)).toEqual(['cities@public', 'cities@public']);
    const plain = await request(app).get('/api/records/1.0/search/?dataset=cities').expect(200);
    expect(plain.body.records[0].datasetid).toBe('cities');
  });

  it('sends one search body with query, post_filter, facet aggregations, sort and paging', async () => {
    const { app, backend } = setup();
    await request(app)
      .get('/api/records/1.0/search/?dataset=cities&facet=country&refine.country=FR&refine.country=DE&disjunctive.country=true&facetsort.country=alphanum&exclude.population=3&sort=-population&rows=2&start=4&timezone=Europe/Paris&lang=fr&-sort=dist&location=x')
      .expect(200);
    expect(searchBodies(backend)).toEqual([
      {
        track_total_hits: true,
        from: 4,
        size: 2,
        // population is no facet: its exclude goes to the query (a facet's would go to post_filter)
        query: { bool: { must_not: [{ term: { 'fields.population': 3 } }] } },
        post_filter: { bool: { filter: [{ terms: { 'fields.country.keyword': ['FR', 'DE'] } }] } },
        aggs: {
          'f:country': {
            filter: { match_all: {} },
            aggs: {
              l: { terms: { field: 'fields.country.keyword', size: 1000, order: [{ _key: 'asc' }] } },
              sel: { terms: { field: 'fields.country.keyword', include: ['FR', 'DE'], min_doc_count: 0, size: 2 } },
            },
          },
        },
        sort: [{ 'fields.population': 'asc' }, { recordid: 'asc' }],
        _source: ['recordid', 'record_timestamp', 'fields'],
      },
    ]);
  });

  it('answers the v1 shape: nhits, the parameters echo, records, facet_groups', async () => {
    const { app } = setup();
    const res = await request(app)
      .get('/api/records/1.0/search?dataset=cities&facet=country&refine.country=FR&disjunctive.country=true&q=paris&timezone=Europe/Paris')
      .expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual({
      nhits: 2,
      parameters: { dataset: 'cities', timezone: 'Europe/Paris', q: 'paris', rows: 10, start: 0, format: 'json', facet: ['country'], refine: { country: 'FR' } },
      records: [
        {
          datasetid: 'cities',
          recordid: paris.recordid,
          fields: { name: 'Paris', country: 'FR', tags: 'capital,seine', population: 2148000, founded: '0250-01-01', updated: '2021-01-08T16:31:09+01:00', geo: [48.8566, 2.3522] },
          geometry: { type: 'Point', coordinates: [2.3522, 48.8566] },
          record_timestamp: '2021-01-04T12:22:14.440000+01:00',
        },
        { datasetid: 'cities', recordid: emptyish.recordid, fields: { name: 'Nowhere' }, record_timestamp: '2021-06-01T02:00:00+02:00' },
      ],
      facet_groups: [
        {
          name: 'country',
          facets: [
            { name: 'DE', path: 'DE', count: 1, state: 'displayed' },
            { name: 'FR', path: 'FR', count: 1, state: 'refined' },
          ],
        },
      ],
    });
  });

  it('serves the alias /api/datasets/1.0/<id>/records/, POST forms and JSON bodies, id@domain', async () => {
    const { app, backend } = setup();
    for (const r of [
      request(app).get('/api/datasets/1.0/cities/records/?rows=1'),
      request(app).post('/api/records/1.0/search/').type('form').send('dataset=cities&rows=1'),
      request(app).post('/api/records/1.0/search').send({ dataset: 'cities@public', rows: 1 }),
    ]) {
      const res = await r;
      expect(res.status).toBe(200);
      expect(res.body.nhits).toBe(2);
    }
    expect(searchBodies(backend).map((b) => b.size)).toEqual([1, 1, 1]);
  });

  it('adds fields.dist and sorts by distance with geofilter.distance', async () => {
    const { app, backend } = setup();
    const res = await request(app).get('/api/records/1.0/search?dataset=cities&geofilter.distance=48.8566,%202.3522&sort=-dist&fields=name').expect(200);
    expect(res.body.records[0].fields).toEqual({ name: 'Paris', dist: '0.0' });
    expect(res.body.parameters['geofilter.distance']).toEqual(['48.8566, 2.3522']);
    const body = searchBodies(backend)[0]!;
    expect(body.query).toEqual({ bool: { filter: [{ geo_distance: { distance: '1m', 'fields.geo': { lat: 48.8566, lon: 2.3522 } } }] } });
    expect(body.sort).toEqual([
      { _geo_distance: { 'fields.geo': { lat: 48.8566, lon: 2.3522 }, order: 'asc', unit: 'm', distance_type: 'arc' } },
      { recordid: 'asc' },
    ]);
    expect(body._source).toEqual(['recordid', 'record_timestamp', 'fields.name', 'fields.geo']);
  });

  it('omits facet_groups when there is no hit', async () => {
    const { app } = setup({ hits: { total: { value: 0 }, hits: [] }, aggregations: answer.aggregations });
    const res = await request(app).get('/api/records/1.0/search?dataset=cities&facet=country').expect(200);
    expect(res.body).toEqual({ nhits: 0, parameters: expect.any(Object), records: [] });
  });

  it('rejects start + rows over 10000 with a 400 that points to the download API, without any backend call', async () => {
    const { app, backend } = setup();
    const res = await request(app).get('/api/records/1.0/search?dataset=cities&start=9995&rows=10').expect(400);
    expect(res.body).toEqual({
      errorcode: 10400,
      parameter: 'rows',
      error: expect.stringMatching(/start \+ rows may not exceed 10000.*\/api\/records\/1\.0\/download/),
    });
    expect(backend.calls).toEqual([]);
  });

  it.each([
    ['rows=ten', 'rows'],
    ['facetsort.country=biggest', 'facetsort.country'],
    ['format=csv&csv_separator=ab', 'csv_separator'],
    ['timezone=Mars/Base', 'timezone'],
    ['format=xml', 'format'],
    ['format=jsonp', 'callback'],
    ['disjunctive.country=perhaps', 'disjunctive.country'],
  ])('rejects %s with a 400 naming %s before any backend call', async (qs, parameter) => {
    const { app, backend } = setup();
    const res = await request(app).get(`/api/records/1.0/search?dataset=cities&${qs}`).expect(400);
    expect(res.body.parameter).toBe(parameter);
    expect(backend.calls).toEqual([]);
  });

  it.each([
    ['sort=tags', 'sort', /not sortable/],
    ['sort=nope', 'sort', /unknown field "nope"/],
    ['facet=geo', 'facet', /cannot be refined or faceted/],
    ['fields=name,nope', 'fields', /unknown field "nope"/],
    ['refine.founded=2020/13', 'refine.founded', /date path/],
    ['geofilter.polygon=(1,2)', 'geofilter.polygon', /polygon/],
  ])('rejects %s with a 400 naming %s, and never searches', async (qs, parameter, message) => {
    const { app, backend } = setup();
    const res = await request(app).get(`/api/records/1.0/search?dataset=cities&${qs}`).expect(400);
    expect(res.body.parameter).toBe(parameter);
    expect(res.body.error).toMatch(message);
    expect(searchBodies(backend)).toEqual([]);
  });

  it('rejects a bad q with a 400 and no search', async () => {
    const { app, backend } = setup();
    const res = await request(app).get('/api/records/1.0/search?dataset=cities&q=population>').expect(400);
    expect(res.body.errorcode).toBeGreaterThanOrEqual(10400);
    expect(searchBodies(backend)).toEqual([]);
  });

  it('needs one dataset', async () => {
    const { app } = setup();
    expect((await request(app).get('/api/records/1.0/search').expect(400)).body.parameter).toBe('dataset');
    const two = await request(app).get('/api/records/1.0/search?dataset=cities&dataset=other').expect(400);
    expect(two.body.error).toMatch(/only one dataset/);
    await request(app).get('/api/records/1.0/search?dataset=cities&dataset=cities').expect(200);
    expect((await request(app).get('/api/records/1.0/search?dataset=unknwn').expect(404)).body.error).toBe('Unknown dataset: unknwn');
  });
});

describe('record search formats', () => {
  it('jsonp with callback (also without format=jsonp), pretty_print', async () => {
    const { app } = setup();
    const res = await request(app).get('/api/records/1.0/search?dataset=cities&callback=cb&rows=1').expect(200);
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.text).toMatch(/^\/\*\*\/cb\(\{"nhits":2,/);
    const pretty = await request(app).get('/api/records/1.0/search?dataset=cities&pretty_print=true').expect(200);
    expect(pretty.text).toContain('\n  "nhits": 2');
  });

  it('geojson and geojsonp', async () => {
    const { app } = setup();
    const res = await request(app).get('/api/records/1.0/search?dataset=cities&format=geojson').expect(200);
    expect(res.body.type).toBe('FeatureCollection');
    expect(res.body.features[0]).toEqual({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [2.3522, 48.8566] },
      properties: expect.objectContaining({ name: 'Paris', recordid: paris.recordid, geo: [48.8566, 2.3522] }),
    });
    expect(res.body.features[1].geometry).toBeNull();
    const p = await request(app).get('/api/records/1.0/search?dataset=cities&format=geojsonp&callback=show').expect(200);
    expect(p.text).toMatch(/^\/\*\*\/show\(\{"type":"FeatureCollection"/);
  });

  it('csv as an attachment', async () => {
    const { app } = setup();
    const res = await request(app).get('/api/records/1.0/search?dataset=cities&format=csv&fields=name,geo,population&csv_separator=,').expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="cities.csv"');
    expect(res.text).toBe('name,geo,population\r\nParis,"48.8566,2.3522",2148000\r\nNowhere,,\r\n');
  });

  it('rss and atom', async () => {
    const { app } = setup();
    const rss = await request(app).get('/api/records/1.0/search?dataset=cities&format=rss').expect(200);
    expect(rss.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    expect(rss.text).toMatch(/<item><title>Paris<\/title><link>http:\/\/127\.0\.0\.1:\d+\/api\/datasets\/1\.0\/cities\/records\/8c1f/);
    const atom = await request(app).get('/api/records/1.0/search?dataset=cities&format=atom').expect(200);
    expect(atom.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(atom.text).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
  });
});
