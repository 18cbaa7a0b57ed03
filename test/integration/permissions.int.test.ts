/**
 * Row-level security and hidden fields on a real OpenSearch (docs/security.md, Dataset permissions):
 * whatever the caller sends (ORs, NOTs, #null, refine/exclude, facets, analyze, geocluster,
 * download pages, record lookup), it never gets a record outside its record filters — checked
 * against a direct OpenSearch query with the filters alone — and never a hidden field.
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
import { createAuth } from '../../src/auth/wiring';
import type { AuthServices } from '../../src/auth/services';

jest.setTimeout(120_000);

const OPENSEARCH_URL = process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200';
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const names = indexNames(`itperm${run}`);

const fields = [
  { name: 'name', label: 'Name', type: 'text' as const, annotations: [{ name: 'id' as const }] },
  { name: 'country', label: 'Country', type: 'text' as const, annotations: [{ name: 'facet' as const }] },
  { name: 'region', label: 'Region', type: 'text' as const, annotations: [{ name: 'facet' as const }] },
  { name: 'salary', label: 'Salary', type: 'int' as const },
  { name: 'email', label: 'Email', type: 'text' as const },
  { name: 'geo', label: 'Location', type: 'geo_point_2d' as const },
];
const staff = parseDescriptor({ datasetid: 'staff', metas: { title: 'Staff' }, fields });
const secret = parseDescriptor({ datasetid: 'secret', metas: { title: 'Secret' }, fields, visibility: { restricted: { users: [], groups: ['hr'] } } });

const COUNTRIES = ['FR', 'DE', 'IT', 'ES'];
const REGIONS = ['north', 'south', 'east'];
/** 60 deterministic rows; a third without email, some with "foo" in the name. */
const rows = Array.from({ length: 60 }, (_, i) => ({
  name: `${i % 7 === 0 ? 'foo ' : ''}person ${i}`,
  country: COUNTRIES[i % 4],
  region: REGIONS[i % 3],
  salary: 1000 + ((i * 397) % 9000),
  ...(i % 3 === 1 ? {} : { email: `p${i}@example.org` }),
  geo: `${45 + (i % 10) * 0.3},${2 + (i % 6) * 0.4}`,
}));

let client: Client;
let app: ReturnType<typeof createApp>;
let auth: AuthServices;
const keys: Record<string, string> = {};

async function load(d: typeof staff) {
  await loadDataset({
    client,
    names,
    datasetId: d.datasetid,
    descriptor: d,
    source: { rows: (async function* () { let line = 0; for (const row of rows) yield { line: ++line, row }; })() },
    log: () => {},
  });
}

beforeAll(async () => {
  client = createOpenSearchClient({ opensearchUrl: OPENSEARCH_URL });
  await load(staff);
  await load(secret);
  auth = createAuth(
    {
      publicUrl: 'http://gateway.test',
      indexPrefix: names.prefix,
      identityCacheTtlMs: 0,
      oauth2CodeTtlSeconds: 60,
      oauth2AccessTokenTtlSeconds: 3600,
      oauth2RefreshTokenTtlSeconds: 86400,
      oauth2SessionTtlSeconds: 600,
    },
    { client, names, redis: undefined },
  );
  const id = auth.identity;
  await id.putGroup({ name: 'north', attributes: { region: 'north' } });
  await id.putUser({ username: 'alice', groups: ['north'] });
  await id.putUser({ username: 'hana', groups: ['hr'] });
  await id.putUser({ username: 'bob' });
  // alice (group north): her region only, and salaries under 5000 — on a field hidden from her.
  await id.putAccessRule({ dataset: 'staff', subject: 'group:north', record_filter: '#attr(region, region)', hidden_fields: ['salary', 'email'] });
  await id.putAccessRule({ dataset: 'staff', subject: 'user:alice', record_filter: 'salary < 5000' });
  await id.putAccessRule({ dataset: 'staff', subject: 'anonymous', hidden_fields: ['email'] });
  for (const u of ['alice', 'hana', 'bob']) keys[u] = (await id.createApiKey({ username: u })).key;
  const backend = openSearchBackend(client, names);
  app = createApp({
    config: { trustProxy: false, maxRequestBodyBytes: 1 << 20, downloadPageSize: 7 },
    logger: createLogger('silent'),
    backend,
    registry: datasetRegistry(backend, 0),
    auth,
  });
});

afterAll(async () => {
  await client.indices.delete({ index: `${names.prefix}-*` }).catch(() => undefined);
  await client.indices.delete({ index: names.securityIndex }).catch(() => undefined);
  await client.close();
});

const ALICE_FILTER = [{ term: { 'fields.region.keyword': 'north' } }, { range: { 'fields.salary': { lt: 5000 } } }];

/** Record ids matching alice's filters, straight from OpenSearch. */
async function filteredIds(extra: Record<string, unknown>[] = []): Promise<Set<string>> {
  const res = await client.search({ index: names.recordsAlias('staff'), body: { size: 1000, _source: false, query: { bool: { filter: [...ALICE_FILTER, ...extra] } } } });
  return new Set((res.body.hits.hits as { _id: string }[]).map((h) => h._id));
}

const asAlice = (path: string) => request(app).get(path).set('Authorization', `Apikey ${keys.alice}`);
const idsOf = (body: { records: { recordid: string }[] }) => body.records.map((r) => r.recordid);

describe('record filters cannot be escaped', () => {
  it('When alice searches with nothing, then she gets exactly the filtered set (never more)', async () => {
    const allowed = await filteredIds();
    expect(allowed.size).toBeGreaterThan(3);
    expect(allowed.size).toBeLessThan(20);
    const res = await asAlice('/api/records/1.0/search/?dataset=staff&rows=1000');
    expect(res.status).toBe(200);
    expect(res.body.nhits).toBe(allowed.size);
    expect(new Set(idsOf(res.body))).toEqual(allowed);
  });

  it.each([
    ['foo OR #null(name)', ''],
    ['foo OR #null(email)', ''],
    ['#null(name) OR NOT #null(name)', ''],
    ['NOT name:zzzz', ''],
    ['(foo OR person) OR country:FR OR country:DE', ''],
    ['region:south OR region:east', ''],
    ['NOT region:north', ''],
    ['salary >= 0 OR salary < 0', ''],
    ['*', ''],
    ['', '&refine.region=south'],
    ['', '&exclude.region=north'],
    ['', '&refine.country=FR&refine.country=DE&disjunctive.country=true'],
    ['country:FR OR NOT country:FR', '&exclude.country=IT'],
  ])('When alice sends q=%j%s, then every hit is in her filtered set (direct OpenSearch query)', async (q, more) => {
    const allowed = await filteredIds();
    const res = await asAlice(`/api/records/1.0/search/?dataset=staff&rows=1000&q=${encodeURIComponent(q)}${more}`);
    if (res.status === 400) {
      // Refused queries (a hidden field in q) are fine: nothing leaked.
      expect(res.body.error).toMatch(/unknown field/);
      return;
    }
    expect(res.status).toBe(200);
    expect(res.body.nhits).toBeLessThanOrEqual(allowed.size);
    for (const id of idsOf(res.body)) expect(allowed.has(id)).toBe(true);
  });

  it('When a query would match everything, then alice gets exactly her filtered set, facets included', async () => {
    const allowed = await filteredIds();
    const res = await asAlice(`/api/records/1.0/search/?dataset=staff&rows=1000&facet=country&facet=region&q=${encodeURIComponent('name:zzzz OR NOT name:zzzz')}`);
    expect(res.body.nhits).toBe(allowed.size);
    const countries = res.body.facet_groups.find((g: { name: string }) => g.name === 'country').facets as { name: string; count: number }[];
    expect(countries.reduce((n, c) => n + c.count, 0)).toBe(allowed.size);
    for (const c of countries) expect(c.count).toBe((await filteredIds([{ term: { 'fields.country.keyword': c.name } }])).size);
    const regions = res.body.facet_groups.find((g: { name: string }) => g.name === 'region').facets;
    expect(regions).toEqual([{ name: 'north', path: 'north', count: allowed.size, state: 'displayed' }]);
  });

  it('When alice analyzes, clusters or downloads, then the counts and records are those of her filtered set', async () => {
    const allowed = await filteredIds();
    const analyze = await asAlice('/api/records/1.0/analyze/?dataset=staff&x=region&y.n.func=COUNT&q=*');
    expect(analyze.status).toBe(200);
    expect(analyze.body).toEqual([{ x: 'north', n: allowed.size }]);
    const cluster = await asAlice('/api/records/1.0/geocluster/?dataset=staff&clusterprecision=2&q=foo%20OR%20NOT%20foo');
    expect(cluster.status).toBe(200);
    expect(cluster.body.clusters.reduce((n: number, c: { count: number }) => n + c.count, 0)).toBe(allowed.size);
    const bbox = await asAlice('/api/records/1.0/boundingbox/?dataset=staff');
    expect(bbox.body.count).toBe(allowed.size);
    // Download pages (page size 7 here): every page obeys the filter.
    const download = await asAlice('/api/records/1.0/download/?dataset=staff&format=json&q=NOT%20name:zzzz');
    expect(download.status).toBe(200);
    const records = JSON.parse(download.text) as { recordid: string; fields: Record<string, unknown> }[];
    expect(new Set(records.map((r) => r.recordid))).toEqual(allowed);
    for (const r of records) {
      expect(r.fields).not.toHaveProperty('salary');
      expect(r.fields).not.toHaveProperty('email');
    }
    const csv = await asAlice('/api/records/1.0/download/?dataset=staff&format=csv');
    expect(csv.text.split('\n')[0]).not.toMatch(/salary|email/i);
    expect(csv.text.trim().split('\n')).toHaveLength(allowed.size + 1);
  });

  it('When alice looks up a record outside her filter, then it is unknown (404); inside, she sees it without hidden fields', async () => {
    const allowed = await filteredIds();
    const all = await client.search({ index: names.recordsAlias('staff'), body: { size: 1000, _source: false } });
    const outside = (all.body.hits.hits as { _id: string }[]).map((h) => h._id).find((id) => !allowed.has(id))!;
    const inside = [...allowed][0]!;
    const out = await asAlice(`/api/datasets/1.0/staff/records/${outside}`);
    expect(out.status).toBe(404);
    expect(out.body.errorcode).toBe(10405);
    const inn = await asAlice(`/api/datasets/1.0/staff/records/${inside}`);
    expect(inn.status).toBe(200);
    expect(Object.keys(inn.body.fields).sort()).toEqual(['country', 'geo', 'name', 'region']);
    // bob (no rule of his own) gets the default (anonymous) rule: every record, email hidden.
    const bob = await request(app).get(`/api/datasets/1.0/staff/records/${outside}`).set('Authorization', `Apikey ${keys.bob}`);
    expect(bob.status).toBe(200);
    expect(bob.body.fields).toHaveProperty('salary');
    expect(bob.body.fields).not.toHaveProperty('email');
  });

  it('When alice queries, sorts or facets on a hidden field, then it is an unknown field (400), not an oracle', async () => {
    for (const qs of ['q=salary>3000', 'q=%23null(email)', 'sort=salary', 'facet=salary', 'refine.salary=1000', 'fields=email']) {
      const res = await asAlice(`/api/records/1.0/search/?dataset=staff&${qs}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatch(/unknown field/);
    }
    const anon = await request(app).get('/api/records/1.0/search/?dataset=staff&q=%23null(email)');
    expect(anon.status).toBe(400);
    // bob has no rule of his own: the default rule hides email from him too (signing in does not widen access).
    const bob = await request(app).get('/api/records/1.0/search/?dataset=staff&q=%23null(email)').set('Authorization', `Apikey ${keys.bob}`);
    expect(bob.status).toBe(400);
    const hana = await request(app).get('/api/records/1.0/search/?dataset=staff&q=salary%3E%3D0').set('Authorization', `Apikey ${keys.hana}`);
    expect(hana.body.nhits).toBe(60);
  });
});

describe('a restricted dataset on every endpoint', () => {
  const paths = [
    '/api/datasets/1.0/secret/',
    '/api/records/1.0/search/?dataset=secret',
    '/api/records/1.0/analyze/?dataset=secret&x=region&y.n.func=COUNT',
    '/api/records/1.0/geocluster/?dataset=secret&clusterprecision=2',
    '/api/records/1.0/boundingbox/?dataset=secret',
    '/api/records/1.0/download/?dataset=secret',
  ];

  it('When anonymous, then 401; when without rights, then 404 "Unknown dataset"; when in the group, then 200', async () => {
    for (const p of paths) {
      expect((await request(app).get(p)).status).toBe(401);
      const bob = await request(app).get(p).set('Authorization', `Apikey ${keys.bob}`);
      expect(bob.status).toBe(404);
      expect(bob.body).toEqual({ errorcode: 10404, error: 'Unknown dataset: secret' });
      expect((await request(app).get(p).set('Authorization', `Apikey ${keys.hana}`)).status).toBe(200);
    }
  });

  it('When the loader publishes a dataset, then its catalog document carries the visibility of its descriptor, and a restricted dataset is neither listed nor counted', async () => {
    const stored = async (id: string) => ((await client.get({ index: names.catalogIndex, id })).body._source as { __visibility?: unknown }).__visibility;
    // As declared above: staff is public, secret is restricted to the group hr.
    expect(await stored('staff')).toEqual({ public: true, users: [], groups: [] });
    expect(await stored('secret')).toEqual({ public: false, users: [], groups: ['hr'] });
    const anon = await request(app).get('/api/datasets/1.0/search/?rows=100&facet=publisher');
    expect(anon.body.nhits).toBe(1);
    expect(anon.body.datasets.map((d: { datasetid: string }) => d.datasetid)).toEqual(['staff']);
    const bob = await request(app).get('/api/datasets/1.0/search/?rows=0').set('Authorization', `Apikey ${keys.bob}`);
    expect(bob.body.nhits).toBe(1);
    const hana = await request(app).get('/api/datasets/1.0/search/?rows=100').set('Authorization', `Apikey ${keys.hana}`);
    expect(hana.body.nhits).toBe(2);
    expect(hana.body.datasets.map((d: { datasetid: string }) => d.datasetid).sort()).toEqual(['secret', 'staff']);
  });

  it('When a catalog document lacks __visibility (an older loader wrote it), then the catalog search hides it even from its group: the filter fails closed', async () => {
    const before = (await client.get({ index: names.catalogIndex, id: 'secret' })).body._source as { __visibility: unknown };
    await client.update({ index: names.catalogIndex, id: 'secret', body: { script: { source: "ctx._source.remove('__visibility')" } }, refresh: true });
    try {
      const hana = await request(app).get('/api/datasets/1.0/search/?rows=100').set('Authorization', `Apikey ${keys.hana}`);
      expect(hana.status).toBe(200);
      expect(hana.body.datasets.map((d: { datasetid: string }) => d.datasetid)).toEqual(['staff']);
      expect(hana.body.nhits).toBe(1);
      // The dataset itself stays reachable to its group: only the catalog listing depends on the field.
      expect((await request(app).get('/api/records/1.0/search/?dataset=secret&rows=0').set('Authorization', `Apikey ${keys.hana}`)).status).toBe(200);
    } finally {
      await client.update({ index: names.catalogIndex, id: 'secret', body: { doc: { __visibility: before.__visibility } }, refresh: true });
    }
  });
});

describe('the Explore API v2.1 obeys the same permissions', () => {
  const V21 = '/api/explore/v2.1/catalog/datasets';
  type Row = Record<string, unknown>;

  it('When alice queries records, groups or exports through v2.1, then she gets exactly her filtered set and no hidden field', async () => {
    const allowed = await filteredIds();
    const all = await asAlice(`${V21}/staff/records?select=recordid,name&limit=100&where=${encodeURIComponent('name like "zzzz" or not name like "zzzz"')}`);
    expect(all.status).toBe(200);
    expect(all.body.total_count).toBe(allowed.size);
    expect(new Set((all.body.results as Row[]).map((r) => r.recordid))).toEqual(allowed);
    const plain = await asAlice(`${V21}/staff/records?limit=100`);
    for (const r of plain.body.results as Row[]) {
      expect(r).not.toHaveProperty('salary');
      expect(r).not.toHaveProperty('email');
    }
    const groups = await asAlice(`${V21}/staff/records?select=count(*) as n&group_by=region`);
    expect(groups.body.results).toEqual([{ region: 'north', n: allowed.size }]);
    const exported = await asAlice(`${V21}/staff/exports/json?select=recordid,name`);
    expect(new Set((JSON.parse(exported.text) as Row[]).map((r) => r.recordid))).toEqual(allowed);
    const csv = await asAlice(`${V21}/staff/exports/csv`);
    expect(csv.text.split('\r\n')[0]).not.toMatch(/salary|email/i);
  });

  it('When alice filters, selects or groups on a hidden field, then it is an unknown field (400 ODSQLError)', async () => {
    for (const qs of ['where=salary%20%3E%200', 'select=salary', 'select=sum(salary)', 'group_by=email', 'order_by=salary']) {
      const res = await asAlice(`${V21}/staff/records?${qs}`);
      expect(res.status).toBe(400);
      expect(res.body.error_code).toBe('ODSQLError');
      expect(JSON.stringify(res.body)).toMatch(/unknown field/);
    }
  });

  it('When alice looks up a record outside her filter through v2.1, then it is unknown (404)', async () => {
    const allowed = await filteredIds();
    const all = await client.search({ index: names.recordsAlias('staff'), body: { size: 1000, _source: false } });
    const outside = (all.body.hits.hits as { _id: string }[]).map((h) => h._id).find((id) => !allowed.has(id))!;
    const res = await asAlice(`${V21}/staff/records/${outside}`);
    expect(res.status).toBe(404);
    expect(res.body.error_code).toBe('NotFound');
    expect((await asAlice(`${V21}/staff/records/${[...allowed][0]!}`)).status).toBe(200);
  });

  it('When anonymous, bob or hana ask for the restricted dataset, then 401, 404 and 200 as on v1; it is listed only for hana', async () => {
    for (const p of [`${V21}/secret`, `${V21}/secret/records`, `${V21}/secret/facets`, `${V21}/secret/exports/json`]) {
      expect((await request(app).get(p)).status).toBe(401);
      expect((await request(app).get(p).set('Authorization', `Apikey ${keys.bob}`)).status).toBe(404);
      expect((await request(app).get(p).set('Authorization', `Apikey ${keys.hana}`)).status).toBe(200);
    }
    const anon = await request(app).get(`${V21}?limit=100`);
    expect((anon.body.results as Row[]).map((d) => d.dataset_id)).toEqual(['staff']);
    const hana = await request(app).get(`${V21}?limit=100`).set('Authorization', `Apikey ${keys.hana}`);
    expect((hana.body.results as Row[]).map((d) => d.dataset_id).sort()).toEqual(['secret', 'staff']);
  });
});
