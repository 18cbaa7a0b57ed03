import { compileWhere, jodaToLuxon, planAggregate, parseGroupBy, parseSelect, parseOrderBy, planRecords, parseGeometry } from '../../../src/odsql';
import { compileQuery } from '../../../src/query';
import { GatewayError } from '../../../src/errors';
import { parseDescriptor } from '../../../src/datasets/descriptor';
import { citiesDescriptor, paris } from '../../fixtures/datasets/cities';

const d = parseDescriptor(citiesDescriptor);
const schema = { fields: d.fields };
const now = new Date('2024-05-10T12:00:00Z');
const where = (text: string, timezone = 'UTC') => compileWhere(text, { schema, now, timezone });
const q = (text: string, timezone = 'UTC') => compileQuery(text, { schema, now, timezone });

function errorOf(f: () => unknown): GatewayError {
  try {
    f();
  } catch (e) {
    if (e instanceof GatewayError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('where → DSL through the v1 builders', () => {
  test('comparisons, dates and now() give the same DSL as the v1 q with the same meaning', () => {
    expect(where('population > 100')).toEqual(q('population > 100'));
    expect(where("founded >= date'2020-01'", 'Europe/Paris')).toEqual(q('founded >= 2020/01', 'Europe/Paris'));
    expect(where('updated < now(days=-1)')).toEqual(q('updated < #now(days=-1)'));
    expect(where('name is null')).toEqual(q('#null(name)'));
    expect(where('startswith(name, "Pa")')).toEqual(q('#startswith(name, "Pa")'));
  });

  test('text equality is the exact value (v1 #exact); like matches words (v1 ":")', () => {
    expect(where('country = "FR"')).toEqual(q('#exact(country, "FR")'));
    expect(where("country:'FR'")).toEqual(q('#exact(country, "FR")'));
    expect(where('name like "paris"')).toEqual(q('name:"paris"'));
  });

  test('!=, in lists and exclusive ranges', () => {
    expect(where('population != 3')).toEqual({ bool: { must_not: [{ term: { 'fields.population': 3 } }] } });
    expect(where('population in ]1..10]')).toEqual(q('population > 1 AND population <= 10'));
    expect(where('country in ("FR", "DE")')).toEqual(q('#exact(country, "FR") OR #exact(country, "DE")'));
  });

  test('within_distance and in_bbox are v1 #distance and #polygon', () => {
    expect(where("within_distance(geo, geom'POINT(2.35 48.85)', 1.5km)")).toEqual(q('#distance(geo, "48.85, 2.35", 1500)'));
    expect(where('in_bbox(geo, 49, 2, 48, 3)')).toEqual(q('#polygon(geo, "(49,2),(49,3),(48,3),(48,2)")'));
  });

  test('intersects() is a geo_shape query with the literal as GeoJSON', () => {
    expect(where("intersects(geo, geom'POLYGON((2 48, 3 48, 3 49, 2 48))')")).toEqual({
      geo_shape: { 'fields.geo': { shape: { type: 'Polygon', coordinates: [[[2, 48], [3, 48], [3, 49], [2, 48]]] }, relation: 'intersects' } },
    });
  });

  test('quoted full text: every word, a trailing * makes a prefix', () => {
    expect(where('"paris france"')).toEqual(q('"paris" AND "france"'));
    expect(where('"par*"')).toEqual(q('par'));
  });

  test('year(d) compared with a year is the date field against that year as a period (the v1 bare year)', () => {
    for (const tz of ['UTC', 'Pacific/Auckland']) {
      expect(where('year(founded) = 2020', tz)).toEqual(where("founded = date'2020'", tz));
      expect(where("year(founded) = '2020'", tz)).toEqual(where("founded = date'2020'", tz));
      expect(where('year(founded) != 2020', tz)).toEqual(where("not founded = date'2020'", tz));
      expect(where('year(founded) >= 2020', tz)).toEqual(where("founded >= date'2020'", tz));
      expect(where('year(founded) < 2020', tz)).toEqual(where("founded < date'2020'", tz));
      expect(where('year(founded) > 2020', tz)).toEqual(where("founded >= date'2021'", tz));
      expect(where('year(founded) <= 2020', tz)).toEqual(where("founded < date'2021'", tz));
    }
  });

  test('other scalar functions, other fields and other values in a where comparison: 400 naming them', () => {
    expect(errorOf(() => where('month(founded) = 3')).message).toMatch(/month\(\) cannot be compared .* only year\(field\)/);
    expect(errorOf(() => where('year(population) = 2020')).message).toMatch(/year\(\) works on date and datetime fields, not on the int field "population"/);
    expect(errorOf(() => where('year(founded) = 20.5')).message).toMatch(/a year of four digits/);
    expect(errorOf(() => where('year(nope) = 2020')).message).toMatch(/nope/);
  });

  test('every problem at once, each with its position', () => {
    const e = errorOf(() => where('populaton > 1 and geo = 3 and within_distance(name, geom\'POINT(1 1)\', 1km)'));
    expect(e.kind).toBe('query_semantic');
    const errors = e.extra.errors as { position: number; message: string }[];
    expect(errors.map((x) => x.position)).toEqual([0, 18, 46]);
    expect(errors[0]!.message).toMatch(/unknown field "populaton"/);
  });

  test('hidden fields are unknown', () => {
    const e = errorOf(() => compileWhere('population > 1', { schema: { fields: d.fields, hidden: new Set(['population']) }, now }));
    expect((e.extra.errors as { message: string }[])[0]!.message).toMatch(/unknown field "population"/);
  });
});

describe('geometry literals', () => {
  test('WKT and GeoJSON, lon first, ranges checked', () => {
    expect(parseGeometry('POINT(2.35 48.85)')).toEqual({ ok: true, value: { type: 'Point', coordinates: [2.35, 48.85] } });
    expect(parseGeometry('{"type":"Point","coordinates":[1,2]}')).toEqual({ ok: true, value: { type: 'Point', coordinates: [1, 2] } });
    expect(parseGeometry('POINT(200 1)').ok).toBe(false);
    expect(parseGeometry('CIRCLE(1 2)').ok).toBe(false);
  });
});

describe('aggregates', () => {
  const plan = (select: string, groupBy = '', orderBy = '', timezone = 'UTC') =>
    planAggregate({
      select: select ? parseSelect(select) : undefined,
      selectText: select,
      groupBy: groupBy ? parseGroupBy(groupBy) : undefined,
      groupByText: groupBy,
      orderBy: orderBy ? parseOrderBy(orderBy) : undefined,
      orderByText: orderBy,
      schema,
      timezone,
    });

  test('date parts of one field share one date_histogram at the finest unit, in the request zone', () => {
    const p = plan('count(*) as n', 'year(updated), month(updated)', '', 'Europe/Paris');
    expect(p.sources).toEqual([{ g0: { date_histogram: { field: 'fields.updated', calendar_interval: 'month', time_zone: 'Europe/Paris' } } }]);
    const jan = Date.UTC(2020, 0, 1) - 3600_000; // 2020-01-01T00:00 in Paris
    const rows = p.rows([{ key: { g0: jan }, doc_count: 2 }]);
    expect(rows).toEqual([{ 'year(updated)': 2020, 'month(updated)': 1, n: 2 }]);
  });

  test('a fold sums counts and recomputes averages from sums; percentiles are refused with it', () => {
    const p = plan('avg(population) as a, count(*) as n', 'month(updated) as m');
    const rows = p.rows([
      { key: { g0: Date.UTC(2020, 0, 1) }, doc_count: 1, m0_sum: { value: 10 }, m0_n: { value: 1 } },
      { key: { g0: Date.UTC(2021, 0, 1) }, doc_count: 3, m0_sum: { value: 50 }, m0_n: { value: 3 } },
    ]);
    expect(rows).toEqual([{ m: 1, a: 15, n: 4 }]);
    expect(() => plan('median(population)', 'month(updated)')).toThrow(/percentile/);
    expect(() => plan('median(population)', 'year(updated), month(updated)')).not.toThrow();
  });

  test('order_by an alias or an aggregate, descending; nulls last', () => {
    const p = plan('count(*) as n', 'country', 'n desc, country');
    const rows = p.rows([
      { key: { g0: 'A' }, doc_count: 1 },
      { key: { g0: 'B' }, doc_count: 5 },
      { key: { g0: null }, doc_count: 1 },
    ]);
    expect(rows.map((r) => r.country)).toEqual(['B', 'A', null]);
  });

  test('without order_by, groups come in the order of their keys; range keys by their numbers', () => {
    const p = plan('count(*) as n', 'range(population, [0, 5000, 10000[)');
    const rows = p.rows([
      { key: { g0: 1 }, doc_count: 2 },
      { key: { g0: 0 }, doc_count: 1 },
      { key: { g0: 2 }, doc_count: 3 },
    ]);
    expect(rows.map((r) => r['range(population, [0, 5000, 10000[)'])).toEqual(['0-5000', '5000-10000', '10000-*']);
    const desc = plan('count(*) as n', 'range(population, [0, 5000, 10000[) as r', 'r desc').rows([
      { key: { g0: 0 }, doc_count: 1 },
      { key: { g0: 2 }, doc_count: 3 },
    ]);
    expect(desc.map((r) => r.r)).toEqual(['10000-*', '0-5000']);
  });

  test('lower(f) groups on the lower-cased keyword', () => {
    expect(plan('count(*) as n', 'lower(name) as l').sources).toEqual([{ g0: { terms: { field: 'fields.name.lower', missing_bucket: true } } }]);
  });

  test('a plain expression must be a group; arithmetic on aggregates', () => {
    expect(() => plan('name, count(*)', 'country')).toThrow(/neither an aggregate nor in group_by/);
    const p = plan('sum(population) / count(*) as mean', '');
    expect(p.grouped).toBe(false);
    expect(p.rows([{ key: {}, doc_count: 4, m0: { value: 20 } }])).toEqual([{ mean: 5 }]);
  });

  test('date_format patterns: Joda letters as luxon tokens, quoted text kept', () => {
    expect(jodaToLuxon("yyyy-MM-dd'T'HH")).toEqual({ format: "yyyy'-'LL'-'dd'T'HH", units: new Set(['year', 'month', 'day', 'hour']) });
    expect(jodaToLuxon('QQ')).toBeUndefined();
  });
});

describe('records', () => {
  test('flat objects, every field, geo points as {lon, lat}; select with aliases; order_by fields', () => {
    const p = planRecords(d, schema, { select: parseSelect('name as n, population * 2 as p2'), selectText: 'name as n, population * 2 as p2', orderBy: parseOrderBy('population desc'), orderByText: 'population desc', timezone: 'UTC' });
    expect(p.project(paris)).toEqual({ n: 'Paris', p2: 2 * (paris.fields!.population as number) });
    expect(p.sort).toEqual([{ 'fields.population': 'desc' }, { recordid: 'asc' }]);
    const all = planRecords(d, schema, { selectText: '', orderByText: '', timezone: 'UTC' }).project(paris);
    expect(Object.keys(all)).toEqual(d.fields.map((f) => f.name));
    expect(all.geo).toEqual({ lon: expect.any(Number), lat: expect.any(Number) });
  });
});
