/**
 * Attack suite, hidden fields and record filters on dataset `open`:
 * - a hidden field is unknown in every parameter that names a field, with the very answer a field
 *   that does not exist gets (no oracle), and it is in no output (JSON, CSV, GeoJSON, RSS, lookups,
 *   catalog, downloads), nor reachable by full text (bare words, phrases, #search(*)) or ranking;
 * - record filters hold whatever the caller sends (OR, NOT, #null, refine/exclude, facets,
 *   analyze, geocluster, boundingbox, downloads, lookups): never a record outside them.
 * Callers: anonymous and bob (the default rule: email hidden, no Lyon), `filtered` (Paris only,
 * salary hidden), hana (group rule: everything).
 */
import request from 'supertest';
import { buildWorld, OPEN_VIEW, ROWS, type World } from './world';

let w: World;
beforeAll(async () => {
  w = await buildWorld();
});
afterAll(() => w.close());

type Who = 'anonymous' | 'bob' | 'filtered' | 'hana';
const VIEW: Record<Who, { rows: typeof ROWS; hidden: string[] }> = {
  anonymous: OPEN_VIEW.default,
  bob: OPEN_VIEW.default,
  filtered: OPEN_VIEW.filtered,
  hana: OPEN_VIEW.hr,
};
const as = (who: Who, path: string) => {
  const r = request(w.app).get(path);
  return who === 'anonymous' ? r : r.set('Authorization', `Apikey ${w.keys[who]}`);
};
const enc = encodeURIComponent;

/** Every way a request names a field; `F` is replaced by the field name. */
const FIELD_USES = [
  '/api/records/1.0/search/?dataset=open&q=F:x',
  '/api/records/1.0/search/?dataset=open&q=F>1',
  '/api/records/1.0/search/?dataset=open&q=F==x',
  '/api/records/1.0/search/?dataset=open&q=%23null(F)',
  '/api/records/1.0/search/?dataset=open&q=%23exact(F,x)',
  '/api/records/1.0/search/?dataset=open&q=%23startswith(F,x)',
  '/api/records/1.0/search/?dataset=open&q=%23search(F,x)',
  '/api/records/1.0/search/?dataset=open&sort=F',
  '/api/records/1.0/search/?dataset=open&sort=-F',
  '/api/records/1.0/search/?dataset=open&facet=F',
  '/api/records/1.0/search/?dataset=open&refine.F=x',
  '/api/records/1.0/search/?dataset=open&exclude.F=x',
  '/api/records/1.0/search/?dataset=open&fields=name,F',
  '/api/records/1.0/analyze/?dataset=open&x=F&y.n.func=COUNT',
  '/api/records/1.0/analyze/?dataset=open&x=city&y.s.func=SUM&y.s.expr=F',
  '/api/records/1.0/analyze/?dataset=open&x=city&y.s.func=AVG&y.s.expr=F*2',
  '/api/records/1.0/geocluster/?dataset=open&clusterprecision=2&y.s.func=SUM&y.s.expr=F',
  '/api/records/1.0/download/?dataset=open&fields=F',
  '/api/records/1.0/download/?dataset=open&q=F:x',
];

/**
 * The answer to a field name: status and body, with the name itself blanked and the list of known
 * fields (ordered by closeness to the name asked) left out; that list is checked on its own.
 */
async function answer(who: Who, path: string, field: string, hidden: string) {
  const res = await as(who, path.replace(/F/g, field));
  const text = JSON.stringify(res.body);
  for (const list of text.match(/known_fields":\[[^\]]*\]|closest first: [^"\\]*/g) ?? []) expect(list).not.toMatch(new RegExp(`\\b${hidden}\\b`));
  const body = text
    .split(field)
    .join('<F>')
    .replace(/closest first: [^"\\]*/g, 'closest first: …')
    .replace(/"known_fields":\[[^\]]*\]/g, '"known_fields":[…]');
  return { status: res.status, body };
}

describe('a hidden field is an unknown field everywhere (no oracle)', () => {
  const cases = FIELD_USES.flatMap((path) =>
    (['anonymous', 'bob', 'filtered'] as const).map((who): [string, Who, string] => [path, who, who === 'filtered' ? 'salary' : 'email']),
  );
  it.each(cases)('%s as %s (hidden: %s)', async (path, who, hidden) => {
    const got = await answer(who, path, hidden, hidden);
    const missing = await answer(who, path, 'nosuchfield', hidden);
    expect(got.status).toBe(400);
    expect(got).toEqual(missing);
  });

  // (email is a text field: not sortable, not a facet; those uses are 400 for anyone.)
  it.each(FIELD_USES.slice(0, 13).filter((p) => !/sort=|facet=/.test(p)))('hana (the group rule grants everything) may use email: %s', async (path) => {
    const res = await as('hana', path.replace(/F/g, 'email'));
    expect(res.status).toBe(200);
  });
});

describe('a hidden field is in no output', () => {
  const OUTPUTS = [
    '/api/records/1.0/search/?dataset=open&rows=100',
    '/api/records/1.0/search/?dataset=open&rows=100&format=csv',
    '/api/records/1.0/search/?dataset=open&rows=100&format=geojson',
    '/api/records/1.0/search/?dataset=open&rows=100&format=rss',
    '/api/records/1.0/search/?dataset=open&rows=100&format=atom',
    '/api/records/1.0/download/?dataset=open&format=csv',
    '/api/records/1.0/download/?dataset=open&format=json',
    '/api/records/1.0/download/?dataset=open&format=geojson',
    '/api/datasets/1.0/open/?extrametas=true',
    '/api/datasets/1.0/search/?rows=100',
    '/api/datasets/1.0/search/?rows=100&format=csv',
  ];
  const cases = OUTPUTS.flatMap((p) => (['anonymous', 'filtered'] as const).map((who): [string, Who] => [p, who]));
  it.each(cases)('%s as %s', async (path, who) => {
    const res = await as(who, path);
    expect(res.status).toBe(200);
    const hidden = VIEW[who].hidden[0]!;
    // Neither the field (name, label) nor any of its values.
    expect(res.text).not.toMatch(new RegExp(`\\b${hidden}\\b`, 'i'));
    const values = ROWS.map((r) => String(r[hidden as keyof typeof r]));
    // As a whole token: a salary of 1000 must not be found inside a timestamp's `.001000` fraction.
    const escape = (v: string) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const v of values.slice(0, 10)) expect(res.text).not.toMatch(new RegExp(`(?<![\\w.])${escape(v)}(?![\\w])`));
  });

  it('record lookup renders no hidden field, for every caller', async () => {
    const hits = await w.client.search({ index: w.names.recordsAlias('open'), body: { size: 1, query: { term: { 'fields.city.keyword': 'Paris' } } } });
    const id = (hits.body.hits.hits as { _id: string }[])[0]!._id;
    for (const who of ['anonymous', 'bob', 'filtered', 'hana'] as const) {
      const res = await as(who, `/api/datasets/1.0/open/records/${id}/`);
      expect(res.status).toBe(200);
      for (const h of VIEW[who].hidden) expect(res.body.fields).not.toHaveProperty(h);
    }
  });
});

describe('full text and ranking never reach a hidden field', () => {
  it.each([
    ['anonymous', 'secret3'],
    ['anonymous', '"secret3@example.org"'],
    ['anonymous', '#search(*, "secret1")'],
    ['bob', 'example.org'],
    ['bob', 'secre'],
    ['filtered', '2191'],
  ] as const)('%s searching %s finds nothing through the hidden field', async (who, q) => {
    const res = await as(who, `/api/records/1.0/search/?dataset=open&q=${enc(q)}`);
    expect(res.status).toBe(200);
    expect(res.body.nhits).toBe(0);
  });

  it('the same words find records for hana, who may see the field (the queries are sound)', async () => {
    expect((await as('hana', `/api/records/1.0/search/?dataset=open&q=${enc('"secret3@example.org"')}`)).body.nhits).toBe(1);
    const salary = ROWS.find((r) => r.city === 'Paris')!.salary;
    expect((await as('hana', `/api/records/1.0/search/?dataset=open&q=${salary}`)).status).toBe(200);
  });
});

describe('record filters cannot be escaped', () => {
  const ESCAPES = [
    '',
    'person OR NOT person',
    '#null(name) OR NOT #null(name)',
    'city:Lyon',
    'city:Lyon OR city:Paris OR city:Nice OR city:Brest',
    'NOT city:Paris',
    '(manager OR clerk) OR city:Lyon',
    '*',
    'salary>=0 OR salary<0',
    'recordid:*',
  ];
  const cases = ESCAPES.flatMap((q) => (['anonymous', 'filtered'] as const).map((who): [string, Who] => [q, who]));

  it.each(cases)('q=%j as %s: every hit is in the caller\'s records', async (q, who) => {
    const res = await as(who, `/api/records/1.0/search/?dataset=open&rows=100&q=${enc(q)}`);
    if (res.status === 400) return; // refused (a hidden field, a bad query): nothing leaked
    expect(res.status).toBe(200);
    const allowed = new Set(VIEW[who].rows.map((r) => r.name));
    expect(res.body.nhits).toBeLessThanOrEqual(allowed.size);
    for (const r of res.body.records as { fields: { name: string } }[]) expect(allowed.has(r.fields.name)).toBe(true);
  });

  it.each(['anonymous', 'bob', 'filtered'] as const)('%s: facets, refines, analyze, geocluster, boundingbox and downloads count only the caller\'s records', async (who) => {
    const rows = VIEW[who].rows;
    const byCity = (city: string) => rows.filter((r) => r.city === city).length;
    const facets = await as(who, '/api/records/1.0/search/?dataset=open&rows=0&facet=city&refine.city=Lyon&disjunctive.city=true&exclude.city=Nice');
    const counts = Object.fromEntries((facets.body.facet_groups?.[0]?.facets ?? []).map((f: { name: string; count: number }) => [f.name, f.count]));
    for (const [city, count] of Object.entries(counts)) expect(count).toBe(byCity(city));
    expect(facets.body.nhits).toBe(byCity('Lyon'));
    const analyze = await as(who, '/api/records/1.0/analyze/?dataset=open&x=city&y.n.func=COUNT&q=NOT%20city:zzz');
    expect(Object.fromEntries(analyze.body.map((b: { x: string; n: number }) => [b.x, b.n]))).toEqual(
      Object.fromEntries([...new Set(rows.map((r) => r.city))].map((c) => [c, byCity(c)])),
    );
    const cluster = await as(who, '/api/records/1.0/geocluster/?dataset=open&clusterprecision=1');
    expect(cluster.body.clusters.reduce((n: number, c: { count: number }) => n + c.count, 0)).toBe(rows.length);
    expect((await as(who, '/api/records/1.0/boundingbox/?dataset=open')).body.count).toBe(rows.length);
    const download = await as(who, '/api/records/1.0/download/?dataset=open&format=json&q=city:Lyon%20OR%20NOT%20city:Lyon');
    expect((JSON.parse(download.text) as unknown[]).length).toBe(rows.length);
  });

  it('a record outside the filter is an unknown record on lookup, its files too', async () => {
    const lyon = await w.client.search({ index: w.names.recordsAlias('open'), body: { size: 1, query: { term: { 'fields.city.keyword': 'Lyon' } } } });
    const id = (lyon.body.hits.hits as { _id: string }[])[0]!._id;
    for (const who of ['anonymous', 'bob', 'filtered'] as const) {
      const res = await as(who, `/api/datasets/1.0/open/records/${id}/`);
      expect(res.status).toBe(404);
      expect(res.body.errorcode).toBe(10405);
    }
    // The photo belongs to person 0, in Paris: anonymous sees it, a caller filtered to... Paris too.
    expect((await as('anonymous', `/api/datasets/1.0/open/files/${w.photoId}/`)).status).toBe(200);
    expect((await as('filtered', `/api/datasets/1.0/open/files/${w.photoId}/`)).status).toBe(200);
  });
});
