/**
 * Dataset permissions on every endpoint (docs/security.md, Dataset permissions; item 4
 * against a real OpenSearch is in test/integration/permissions.int.test.ts): restricted datasets
 * answer 401 without credentials and 404 (as if absent) without rights; record filters are mandatory
 * filters beside the user's query in every body sent; hidden fields are unknown fields everywhere.
 */
import request from 'supertest';
import { authFixture, type AuthFixture } from '../helpers/auth';
import { citiesDescriptor, emptyish, paris } from '../fixtures/datasets/cities';

let f: AuthFixture;
const PRIVATE = 'private';

const EMPTY = { hits: { total: { value: 0, relation: 'eq' }, hits: [] }, aggregations: {} };

beforeEach(async () => {
  f = await authFixture();
  f.backend.addDataset(citiesDescriptor, [paris, emptyish]);
  f.backend.addDataset({ ...citiesDescriptor, datasetid: PRIVATE, visibility: { restricted: { users: ['alice'], groups: [] } } }, [paris, emptyish]);
  f.backend.onSearch = () => EMPTY;
  f.backend.searchCatalog = async (body) => {
    f.backend.calls.push({ method: 'searchCatalog', args: [body] });
    return {
      hits: {
        total: { value: 2, relation: 'eq' },
        hits: [
          { _id: 'cities', _source: { recordid: 'cities', dataset: citiesDescriptor } },
          { _id: PRIVATE, _source: { recordid: PRIVATE, dataset: { ...citiesDescriptor, datasetid: PRIVATE, visibility: { restricted: { users: ['alice'], groups: [] } } } } },
        ],
      },
    };
  };
});

/** Every endpoint that reads a dataset, as a path for dataset `id`. */
const ENDPOINTS: [string, (id: string) => string][] = [
  ['dataset lookup', (id) => `/api/datasets/1.0/${id}/`],
  ['record lookup', (id) => `/api/datasets/1.0/${id}/records/${paris.recordid}`],
  ['records search', (id) => `/api/records/1.0/search/?dataset=${id}`],
  ['records search (alias)', (id) => `/api/datasets/1.0/${id}/records/`],
  ['records search CSV', (id) => `/api/records/1.0/search/?dataset=${id}&format=csv`],
  ['facets', (id) => `/api/records/1.0/search/?dataset=${id}&facet=country`],
  ['analyze', (id) => `/api/records/1.0/analyze/?dataset=${id}&x=country&y.n.func=COUNT`],
  ['geocluster', (id) => `/api/records/1.0/geocluster/?dataset=${id}&clusterprecision=3`],
  ['boundingbox', (id) => `/api/records/1.0/boundingbox/?dataset=${id}`],
  ['geopreview', (id) => `/api/records/1.0/geopreview/?dataset=${id}&clusterprecision=3&rows=1000`],
  ['geopreview (alias)', (id) => `/api/datasets/1.0/${id}/records/geopreview/?clusterprecision=3`],
  ['geopolygon', (id) => `/api/records/1.0/geopolygon/?dataset=${id}&clusterprecision=3`],
  ['download', (id) => `/api/records/1.0/download/?dataset=${id}&format=json`],
];

const backendWork = () => f.backend.calls.filter((c) => c.method !== 'getCatalogDoc');

describe('ACL on every endpoint', () => {
  it.each(ENDPOINTS)('%s: anonymous → 401 with a Bearer challenge, nothing searched', async (_name, path) => {
    const res = await request(f.app).get(path(PRIVATE));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="ods"');
    expect(res.body.errorcode).toBe(10401);
    expect(backendWork()).toEqual([]);
  });

  it.each(ENDPOINTS)('%s: a user without rights → 404 exactly like an unknown dataset, nothing searched', async (_name, path) => {
    const res = await request(f.app).get(path(PRIVATE)).set('Authorization', `Apikey ${f.keys.bob}`);
    const unknown = await request(f.app).get(path('nosuchdataset')).set('Authorization', `Apikey ${f.keys.bob}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errorcode: 10404, error: `Unknown dataset: ${PRIVATE}` });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ errorcode: 10404, error: 'Unknown dataset: nosuchdataset' });
    expect(Object.keys(res.headers).sort()).toEqual(Object.keys(unknown.headers).sort());
    expect(backendWork()).toEqual([]);
  });

  it.each(ENDPOINTS)('%s: the permitted user and an administrator get through', async (_name, path) => {
    for (const key of [f.keys.alice, f.keys.admin]) {
      const res = await request(f.app).get(path(PRIVATE)).set('Authorization', `Apikey ${key}`);
      expect([401, 403, 404]).not.toContain(res.status);
      expect(res.status).toBe(200);
    }
  });

  it('catalog search: the visibility filter is a mandatory filter of the query (so nhits and facets obey it), and invisible hits are dropped', async () => {
    const anon = await request(f.app).get('/api/datasets/1.0/search/?facet=publisher');
    expect(anon.status).toBe(200);
    expect(anon.body.datasets.map((d: { datasetid: string }) => d.datasetid)).toEqual(['cities']);
    const [anonBody] = f.backend.calls.filter((c) => c.method === 'searchCatalog').map((c) => c.args[0] as { query: { bool: { filter: unknown[] } } });
    expect(anonBody!.query.bool.filter).toEqual([
      // Every catalog document carries __visibility, so the filter is exact and fails closed.
      { term: { '__visibility.public': true } },
    ]);
    const alice = await request(f.app).get('/api/datasets/1.0/search/').set('Authorization', `Apikey ${f.keys.alice}`);
    expect(alice.body.datasets.map((d: { datasetid: string }) => d.datasetid)).toEqual(['cities', PRIVATE]);
    const bob = await request(f.app).get('/api/datasets/1.0/search/').set('Authorization', `Apikey ${f.keys.bob}`);
    expect(bob.body.datasets.map((d: { datasetid: string }) => d.datasetid)).toEqual(['cities']);
  });
});

describe('dataset ids are checked before any backend call', () => {
  const BAD = ['*', '_all', 'a,b', 'a%2Cb', '-foo', '.security', '..', '%3Clogs-%7Bnow%2Fd%7D%3E', 'remote:idx', 'Cities', 'ville\u0301', 'x'.repeat(101)];
  const rawId = (id: string) => (id.includes('%') ? id : encodeURIComponent(id));

  it.each(ENDPOINTS.filter(([n]) => n !== 'dataset lookup' && n !== 'record lookup'))('%s: invalid ids → 400, zero backend calls, with or without credentials', async (_name, path) => {
    for (const id of BAD) {
      for (const key of [undefined, f.keys.alice]) {
        const req = request(f.app).get(path(rawId(id)));
        const res = await (key ? req.set('Authorization', `Apikey ${key}`) : req);
        expect([400, 404]).toContain(res.status);
      }
    }
    expect(f.backend.calls).toEqual([]);
  });

  it.each(ENDPOINTS.filter(([n]) => n === 'dataset lookup' || n === 'record lookup'))('%s: invalid ids → 400/404, zero backend calls', async (_name, path) => {
    for (const id of BAD.filter((b) => b !== '..')) {
      const res = await request(f.app).get(path(rawId(id))).set('Authorization', `Apikey ${f.keys.alice}`);
      expect([400, 404]).toContain(res.status);
    }
    expect(f.backend.calls).toEqual([]);
  });

  it('an empty dataset parameter → 400 naming it, and an unmapped dataset → 404 without any search (no null index)', async () => {
    const empty = await request(f.app).get('/api/records/1.0/search/?dataset=');
    expect(empty.status).toBe(400);
    expect(empty.body.parameter).toBe('dataset');
    for (const [, path] of ENDPOINTS) {
      const res = await request(f.app).get(path('unmapped')).set('Authorization', `Apikey ${f.keys.alice}`);
      expect(res.status).toBe(404);
    }
    expect(f.backend.calls.every((c) => c.method === 'getCatalogDoc' && c.args[0] === 'unmapped')).toBe(true);
  });
});

describe('(request side) record filters are mandatory filters beside the whole user query', () => {
  beforeEach(async () => {
    await f.auth.identity.putAccessRule({ dataset: 'cities', subject: 'group:north', record_filter: '#attr(country, city)' });
    await f.auth.identity.putAccessRule({ dataset: 'cities', subject: 'user:alice', record_filter: 'population > 100' });
  });
  // alice is in north, her attribute city is Paris.
  const FILTERS = [{ term: { 'fields.country.keyword': 'Paris' } }, { range: { 'fields.population': { gt: 100 } } }];

  const searchBodies = () => f.backend.calls.filter((c) => c.method === 'searchRecords' || c.method === 'searchWithPit').map((c) => (c.method === 'searchRecords' ? c.args[1] : c.args[0]) as Record<string, unknown>);

  /** True when a bool reached through must/filter only (never should or must_not) has every record filter in its `filter`. */
  function filtersEnforced(node: unknown): boolean {
    const bool = (node as { bool?: { must?: unknown[]; filter?: unknown[] } } | undefined)?.bool;
    if (!bool) return false;
    const filter = bool.filter ?? [];
    if (FILTERS.every((x) => filter.some((y) => JSON.stringify(y) === JSON.stringify(x)))) return true;
    return [...(bool.must ?? []), ...filter].some(filtersEnforced);
  }

  it.each([
    ['foo OR #null(name)', ''],
    ['NOT foo', ''],
    ['(foo OR bar) OR country:FR', ''],
    ['foo', '&refine.country=FR&exclude.country=DE'],
    ['*', ''],
    ['', ''],
  ])('records search with q=%j%s: query = { bool: { must: [user query], filter: [record filters] } }', async (q, more) => {
    const res = await request(f.app).get(`/api/records/1.0/search/?dataset=cities&q=${encodeURIComponent(q)}${more}`).set('Authorization', `Apikey ${f.keys.alice}`);
    expect(res.status).toBe(200);
    const [body] = searchBodies();
    const query = body!.query as { bool: { must: unknown[]; filter: unknown[] } };
    expect(Object.keys(query)).toEqual(['bool']);
    expect(Object.keys(query.bool).sort()).toEqual(['filter', 'must']);
    expect(query.bool.filter).toEqual(FILTERS);
    expect(query.bool.must).toHaveLength(1);
    expect(JSON.stringify(query.bool.must)).not.toContain('Paris');
  });

  it.each(ENDPOINTS.filter(([n]) => !['dataset lookup', 'record lookup'].includes(n)))('%s: every body sent carries the record filters', async (_name, path) => {
    const p = path('cities');
    const res = await request(f.app).get(`${p}${p.includes('?') ? '&' : '?'}q=${encodeURIComponent('foo OR #null(name)')}`).set('Authorization', `Apikey ${f.keys.alice}`);
    expect(res.status).toBe(200);
    const bodies = searchBodies();
    expect(bodies.length).toBeGreaterThan(0);
    for (const body of bodies) expect(filtersEnforced(body.query)).toBe(true);
  });

  it('record lookup: searched by id under the filters; a record outside them is an unknown record (404)', async () => {
    const outside = await request(f.app).get(`/api/datasets/1.0/cities/records/${paris.recordid}`).set('Authorization', `Apikey ${f.keys.alice}`);
    expect(outside.status).toBe(404);
    expect(outside.body.errorcode).toBe(10405);
    const [body] = searchBodies();
    expect(body).toEqual({ size: 1, query: { bool: { must: [{ ids: { values: [paris.recordid] } }], filter: FILTERS } } });
    expect(f.backend.calls.some((c) => c.method === 'getRecord')).toBe(false);
    f.backend.onSearch = () => ({ hits: { total: { value: 1 }, hits: [{ _id: paris.recordid, _source: paris }] } });
    const inside = await request(f.app).get(`/api/datasets/1.0/cities/records/${paris.recordid}`).set('Authorization', `Apikey ${f.keys.alice}`);
    expect(inside.status).toBe(200);
    expect(inside.body.recordid).toBe(paris.recordid);
    // Without rules (bob), a plain GET by id.
    const plain = await request(f.app).get(`/api/datasets/1.0/cities/records/${paris.recordid}`).set('Authorization', `Apikey ${f.keys.bob}`);
    expect(plain.status).toBe(200);
  });

  it('a user lacking the attribute a filter needs matches nothing (fail closed), and a broken rule is a 500 that hides the rule', async () => {
    await f.auth.identity.putUser({ username: 'dave', groups: ['north'] });
    const dave = (await f.auth.identity.createApiKey({ username: 'dave' })).key;
    await request(f.app).get('/api/records/1.0/search/?dataset=cities').set('Authorization', `Apikey ${dave}`).expect(200);
    const [body] = searchBodies();
    expect((body!.query as { bool: { filter: unknown[] } }).bool.filter).toEqual([{ bool: { must_not: { match_all: {} } } }]);
    await f.auth.identity.putAccessRule({ dataset: 'cities', subject: 'user:bob', record_filter: 'nosuchfield:topsecret' });
    const broken = await request(f.app).get('/api/records/1.0/search/?dataset=cities').set('Authorization', `Apikey ${f.keys.bob}`);
    expect(broken.status).toBe(500);
    expect(broken.text).not.toContain('topsecret');
    expect(broken.text).not.toContain('nosuchfield');
  });
});

describe('hidden fields behave exactly like unknown fields', () => {
  beforeEach(async () => {
    await f.auth.identity.putAccessRule({ dataset: 'cities', subject: 'user:alice', hidden_fields: ['population', 'geo', 'founded'] });
    // The same dataset without those fields: what alice gets must be indistinguishable from it.
    f.backend.addDataset({ ...citiesDescriptor, datasetid: 'without', fields: citiesDescriptor.fields.filter((x) => !['population', 'geo', 'founded'].includes(x.name)) });
  });
  const asAlice = (path: string) => request(f.app).get(path).set('Authorization', `Apikey ${f.keys.alice}`);
  const same = (body: unknown) => JSON.parse(JSON.stringify(body).split('without').join('cities')) as unknown;

  it.each([
    ['q', (d: string) => `/api/records/1.0/search/?dataset=${d}&q=population>3`],
    ['q function', (d: string) => `/api/records/1.0/search/?dataset=${d}&q=%23null(population)`],
    ['q #attr', (d: string) => `/api/records/1.0/search/?dataset=${d}&q=%23attr(population,city)`],
    ['sort', (d: string) => `/api/records/1.0/search/?dataset=${d}&sort=-population`],
    ['facet', (d: string) => `/api/records/1.0/search/?dataset=${d}&facet=founded`],
    ['disjunctive facet', (d: string) => `/api/records/1.0/search/?dataset=${d}&facet=founded&disjunctive.founded=true&refine.founded=2020`],
    ['refine', (d: string) => `/api/records/1.0/search/?dataset=${d}&refine.population=3`],
    ['exclude', (d: string) => `/api/records/1.0/search/?dataset=${d}&exclude.population=3`],
    ['fields', (d: string) => `/api/records/1.0/search/?dataset=${d}&fields=name,population`],
    ['geofilter', (d: string) => `/api/records/1.0/search/?dataset=${d}&geofilter.distance=48.85,2.35,1000`],
    ['analyze x', (d: string) => `/api/records/1.0/analyze/?dataset=${d}&x=population&y.s.func=COUNT`],
    ['analyze y', (d: string) => `/api/records/1.0/analyze/?dataset=${d}&x=country&y.s.func=SUM&y.s.expr=population`],
    ['download fields', (d: string) => `/api/records/1.0/download/?dataset=${d}&fields=population`],
    ['download q', (d: string) => `/api/records/1.0/download/?dataset=${d}&q=population:1`],
    ['geocluster', (d: string) => `/api/records/1.0/geocluster/?dataset=${d}&clusterprecision=3`],
    ['boundingbox', (d: string) => `/api/records/1.0/boundingbox/?dataset=${d}`],
    ['geopreview', (d: string) => `/api/records/1.0/geopreview/?dataset=${d}&clusterprecision=3`],
    ['geopolygon', (d: string) => `/api/records/1.0/geopolygon/?dataset=${d}&clusterprecision=3`],
    ['geopolygon serie', (d: string) => `/api/records/1.0/geopolygon/?dataset=${d}&geo_field=geo&y.s.func=SUM&y.s.expr=population`],
  ])('%s on a hidden field → 400 with exactly the answer of a dataset without the field', async (_what, path) => {
    const hidden = await asAlice(path('cities'));
    const absent = await asAlice(path('without'));
    expect(hidden.status).toBe(400);
    expect(absent.status).toBe(400);
    expect(hidden.body).toEqual(same(absent.body));
    expect(JSON.stringify(hidden.body)).not.toMatch(/hidden|permission|forbidden/i);
    // And the same request works for a caller who may see the field.
    const bob = await request(f.app).get(path('cities')).set('Authorization', `Apikey ${f.keys.bob}`);
    expect(bob.status).toBe(200);
  });

  it('the dataset lookup, record lookup, search results, CSV and geo features leave hidden fields out', async () => {
    const lookup = await asAlice('/api/datasets/1.0/cities/');
    expect(lookup.body.fields.map((x: { name: string }) => x.name)).toEqual(['name', 'country', 'tags', 'updated']);
    expect(lookup.body.features).not.toContain('geo');
    const record = await asAlice(`/api/datasets/1.0/cities/records/${paris.recordid}`);
    expect(Object.keys(record.body.fields).sort()).toEqual(['country', 'name', 'tags', 'updated']);
    expect(record.body).not.toHaveProperty('geometry');
    f.backend.onSearch = () => ({ hits: { total: { value: 1 }, hits: [{ _id: paris.recordid, _source: paris }] } });
    const search = await asAlice('/api/records/1.0/search/?dataset=cities');
    expect(Object.keys(search.body.records[0].fields)).not.toContain('population');
    expect(search.body.records[0]).not.toHaveProperty('geometry');
    const csv = await asAlice('/api/records/1.0/search/?dataset=cities&format=csv');
    expect(csv.text.split('\n')[0]).not.toMatch(/population|geo/i);
    f.backend.calls.length = 0;
    const download = await asAlice('/api/records/1.0/download/?dataset=cities&format=csv');
    expect(download.status).toBe(200);
    // the hidden fields are not even read from OpenSearch
    const sources = f.backend.calls.filter((c) => c.method === 'searchWithPit').map((c) => (c.args[0] as { _source: unknown })._source);
    expect(sources).toEqual([['recordid', 'record_timestamp', 'fields.name', 'fields.country', 'fields.tags', 'fields.updated']]);
    expect(download.text).not.toContain('2148000');
    expect(download.text.split('\n')[0]).not.toMatch(/population/i);
    // Geo endpoints find no (visible) geo field: the same answer as a dataset without one.
    const geo = await asAlice('/api/records/1.0/geocluster/?dataset=cities&clusterprecision=3');
    expect(geo.status).toBe(400);
    expect(geo.body.error).toMatch(/no geo_point_2d field/);
  });
});

describe('JSONP', () => {
  it('wraps only a validated callback, as application/javascript with nosniff, on every JSON endpoint', async () => {
    for (const path of ['/api/datasets/1.0/cities/', '/api/records/1.0/search/?dataset=cities', '/api/records/1.0/analyze/?dataset=cities&x=country&y.n.func=COUNT']) {
      const sep = path.includes('?') ? '&' : '?';
      const ok = await request(f.app).get(`${path}${sep}callback=cb`);
      expect(ok.status).toBe(200);
      expect(ok.headers['content-type']).toMatch(/^application\/javascript/);
      expect(ok.headers['x-content-type-options']).toBe('nosniff');
      expect(ok.text.startsWith('/**/cb(')).toBe(true);
      for (const bad of ['alert(1)//', '<script>', 'a b', 'x'.repeat(65)]) {
        expect((await request(f.app).get(`${path}${sep}callback=${encodeURIComponent(bad)}`)).status).toBe(400);
      }
    }
  });

  it('answers JSONP for a restricted dataset with 401 when the only credential is a cookie', async () => {
    const res = await request(f.app).get(`/api/datasets/1.0/${PRIVATE}/?callback=cb`).set('Cookie', 'ods_oauth2_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(res.status).toBe(401);
    expect(res.text).not.toContain('cb(');
  });
});
