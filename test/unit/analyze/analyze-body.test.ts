import { planAnalyze } from '../../../src/analyze/analyze-plan';
import { analyzeBody } from '../../../src/analyze/build-analyze-body';
import { collectBuckets } from '../../../src/analyze/collect-buckets';
import { GatewayError } from '../../../src/errors';
import { requestParams } from '../../../src/http/params/request-params';
import type { QuerySchema } from '../../../src/query/resolve-field';

const schema: QuerySchema = {
  fields: [
    { name: 'country', label: 'Country', type: 'text' },
    { name: 'population', label: 'Population', type: 'int' },
    { name: 'elevation', label: 'Elevation', type: 'double' },
    { name: 'founded', label: 'Founded', type: 'date' },
    { name: 'updated', label: 'Updated', type: 'datetime' },
    { name: 'hourly', label: 'Hourly', type: 'datetime', annotations: [{ name: 'timeserie_precision', args: ['hour'] }] },
    { name: 'geo', label: 'Geo', type: 'geo_point_2d' },
  ],
};
const query = { match_all: {} };
const tz = { timezone: 'Europe/Paris', outputTimezone: 'Europe/Paris' };
const plan = (qs: string, options = tz) => planAnalyze(requestParams(`/a?${qs}`), schema, options);

function error(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GatewayError) return e;
    throw e;
  }
  throw new Error('expected a GatewayError');
}

describe('analyze request → OpenSearch body', () => {
  it('x on a text field with a SUM, a COUNT and an expression (the v1 doc examples)', () => {
    const p = plan('x=country&y.pop.func=SUM&y.pop.expr=population&y.n.func=COUNT&y.series1.func=AVG&y.series1.expr=sqrt(population)*2');
    expect(analyzeBody(p, query, { size: 5000 })).toEqual({
      size: 0,
      track_total_hits: false,
      query,
      aggs: {
        x: {
          composite: { size: 5000, sources: [{ x0: { terms: { field: 'fields.country.keyword' } } }] },
          aggs: {
            y0: { extended_stats: { field: 'fields.population' } },
            y2: {
              filter: { bool: { filter: [{ exists: { field: 'fields.population' } }] } },
              aggs: { v: { extended_stats: { script: { lang: 'expression', source: "(sqrt(doc['fields.population'].value) * c0)", params: { c0: 2 } } } } },
            },
          },
        },
      },
    });
  });

  it('pages with after', () => {
    const p = plan('x=population&y.n.func=COUNT');
    expect(analyzeBody(p, query, { size: 10, after: { x0: 42 } })).toEqual({
      size: 0,
      track_total_hits: false,
      query,
      aggs: { x: { composite: { size: 10, after: { x0: 42 }, sources: [{ x0: { terms: { field: 'fields.population' } } }] } } },
    });
  });

  it('no x: the series over the whole set, with the hit count', () => {
    const p = plan('y.s.func=MAX&y.s.expr=elevation&y.q.func=QUANTILES&y.q.expr=elevation&y.q.subsets=25,99.5');
    expect(analyzeBody(p, query, { size: 0 })).toEqual({
      size: 0,
      track_total_hits: true,
      query,
      aggs: {
        y0: { extended_stats: { field: 'fields.elevation' } },
        y1: { percentiles: { field: 'fields.elevation', percents: [25, 99.5], keyed: true } },
      },
    });
  });

  it('a datetime x: a date_histogram in the request time zone at the precision', () => {
    const p = plan('x=updated&precision=month&y.n.func=COUNT');
    expect(p.dimensions).toEqual([
      { kind: 'date', name: 'updated', path: 'fields.updated', parts: ['year', 'month'], unit: 'month', zone: 'Europe/Paris', outputZone: 'Europe/Paris', chain: true },
    ]);
    expect((analyzeBody(p, query, { size: 1 }).aggs as { x: { composite: unknown } }).x.composite).toEqual({
      size: 1,
      sources: [{ x0: { date_histogram: { field: 'fields.updated', calendar_interval: 'month', time_zone: 'Europe/Paris' } } }],
    });
  });

  it('a date field is bucketed in UTC whatever the timezone (its values are calendar days)', () => {
    const p = plan('x=founded&precision=hour&y.n.func=COUNT');
    expect(p.dimensions[0]).toMatchObject({ kind: 'date', zone: 'UTC', outputZone: 'UTC', parts: ['year', 'month', 'day'], unit: 'day' });
  });

  it('precision is clamped to the field timeserie_precision', () => {
    expect(plan('x=hourly&precision=minute').dimensions[0]).toMatchObject({ parts: ['year', 'month', 'day', 'hour'], unit: 'hour' });
  });

  it.each([
    ['periodic=month&precision=day', ['month', 'day'], 'day', false],
    ['periodic=weekday', ['weekday'], 'day', false],
    ['periodic=weekday&precision=hour', ['weekday', 'hour'], 'hour', false],
    ['periodic=year&precision=week', ['year', 'week'], 'week', true],
    ['periodic=week&precision=day', ['week', 'weekday'], 'day', false],
    ['periodic=hour&precision=minute', ['hour', 'minute'], 'minute', false],
    ['periodic=year&precision=year', ['year'], 'year', true],
  ])('%s → parts %j at %s', (qs, parts, unit, chain) => {
    const p = plan(`x=updated&${qs}`);
    expect(p.dimensions[0]).toMatchObject({ parts, unit, chain });
    expect(p.folds).toBe(!chain);
  });

  it('date parts x=f.year&x=f.month, several fields, and output_timezone', () => {
    const p = plan('x=updated.year&x=updated.month&x=country', { timezone: 'Europe/Paris', outputTimezone: 'UTC' });
    expect(p.dimensions).toEqual([
      { kind: 'date', name: 'updated', path: 'fields.updated', parts: ['year', 'month'], unit: 'month', zone: 'Europe/Paris', outputZone: 'UTC', chain: false },
      { kind: 'value', name: 'country', path: 'fields.country.keyword' },
    ]);
  });

  it('the composite order follows the requested x order, so maxpoints can stop paging early', () => {
    expect(plan('x=country&maxpoints=3').native).toBe('asc');
    expect(plan('x=country&sort=-x&maxpoints=3').native).toBe('desc');
    expect(plan('x=updated.year&x=updated.month&sort=x.updated.year,x.updated.month').native).toBe('asc');
    expect(plan('x=country&sort=-x&y.s.func=COUNT&y.s.cumulative=true').native).toBeUndefined();
    expect(plan('x=country&sort=s&y.s.func=COUNT').native).toBeUndefined();
    expect(plan('x=updated.month&sort=x').native).toBeUndefined();
    const desc = plan('x=country&sort=-x');
    expect((analyzeBody(desc, query, { size: 1 }).aggs as { x: { composite: { sources: unknown } } }).x.composite.sources).toEqual([
      { x0: { terms: { field: 'fields.country.keyword', order: 'desc' } } },
    ]);
  });

  it.each([
    ['x=nope', 'x'],
    ['x=geo', 'x'],
    ['x=updated.fortnight', 'x'],
    ['x=country&precision=second', 'precision'],
    ['x=country&periodic=decade', 'periodic'],
    ['x=country&y.s.func=MEDIAN', 'y.s.func'],
    ['x=country&y.s.expr=population', 'y.s.func'],
    ['x=country&y.s.func=SUM', 'y.s.expr'],
    ['x=country&y.s.func=SUM&y.s.expr=country', 'y.s.expr'],
    ['x=country&y.s.func=QUANTILES&y.s.expr=population&y.s.subsets=0', 'y.s.subsets'],
    ['x=country&y.s.func=COUNT&y.s.cumulative=maybe', 'y.s.cumulative'],
    ['x=country&maxpoints=-1', 'maxpoints'],
    ['x=updated&periodic=weekday&y.q.func=QUANTILES&y.q.expr=population', 'y.q.func'],
    ['x=updated&periodic=month&precision=week', 'precision'],
    ['x=country&y.s.func=COUNT&agg.a.func=MIN&agg.a.expr=nope', 'agg.a.expr'],
  ])('%s → 400 naming %s', (qs, parameter) => {
    const e = error(() => plan(qs));
    expect(e.status).toBe(400);
    expect(e.extra.parameter).toBe(parameter);
  });
});

describe('collecting composite pages', () => {
  const page = (keys: string[], after?: string) => ({
    aggregations: { x: { buckets: keys.map((k) => ({ key: { x0: k }, doc_count: 1 })), ...(after ? { after_key: { x0: after } } : {}) } },
  });

  it('reads every page and stops at a short page', async () => {
    const p = plan('x=country&y.n.func=COUNT&sort=n');
    const bodies: Record<string, unknown>[] = [];
    const pages = [page(['a', 'b'], 'b'), page(['c', 'd'], 'd'), page(['e'], 'e')];
    const got = await collectBuckets(p, query, async (b) => (bodies.push(b), pages.shift()!), { maxBuckets: 100, pageSize: 2 });
    expect(got.buckets.map((b) => b.key.x0)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(bodies.map((b) => (b.aggs as { x: { composite: { after?: unknown } } }).x.composite.after)).toEqual([undefined, { x0: 'b' }, { x0: 'd' }]);
  });

  it('answers 400 naming ANALYZE_MAX_BUCKETS past the cap, never a partial result', async () => {
    const p = plan('x=country');
    let n = 0;
    const search = async () => page([`k${n++}`, `k${n++}`], 'z');
    await expect(collectBuckets(p, query, search, { maxBuckets: 5, pageSize: 2 })).rejects.toMatchObject({
      status: 400,
      extra: { limit: 'ANALYZE_MAX_BUCKETS', max: 5 },
    });
  });

  it('accepts exactly the cap', async () => {
    const p = plan('x=country');
    const pages = [page(['a', 'b'], 'b'), page(['c'], 'c'), page([])];
    const got = await collectBuckets(p, query, async () => pages.shift()!, { maxBuckets: 3, pageSize: 2 });
    expect(got.buckets).toHaveLength(3);
  });

  it('stops after maxpoints buckets when the composite order is the answer', async () => {
    const p = plan('x=country&maxpoints=3');
    const sizes: number[] = [];
    const pages = [page(['a', 'b'], 'b'), page(['c'], 'c')];
    const got = await collectBuckets(p, query, async (b) => {
      sizes.push((b.aggs as { x: { composite: { size: number } } }).x.composite.size);
      return pages.shift()!;
    }, { maxBuckets: 100, pageSize: 2 });
    expect(got.buckets.map((b) => b.key.x0)).toEqual(['a', 'b', 'c']);
    expect(sizes).toEqual([2, 1]);
  });
});
