import { planAnalyze } from '../../../src/analyze/analyze-plan';
import { analyzeCsv } from '../../../src/analyze/analyze-csv';
import type { RawBucket } from '../../../src/analyze/collect-buckets';
import { shapeAnalyze } from '../../../src/analyze/shape-analyze';
import { requestParams } from '../../../src/http/params/request-params';
import type { QuerySchema } from '../../../src/query/resolve-field';

const schema: QuerySchema = {
  fields: [
    { name: 'country', label: 'Country', type: 'text' },
    { name: 'population', label: 'Population', type: 'int' },
    { name: 'updated', label: 'Updated', type: 'datetime' },
    { name: 'day', label: 'Day', type: 'date' },
  ],
};
const plan = (qs: string, timezone = 'UTC', outputTimezone = timezone) =>
  planAnalyze(requestParams(`/a?${qs}`), schema, { timezone, outputTimezone });
const stats = (values: number[]) => ({
  count: values.length,
  sum: values.reduce((a, b) => a + b, 0),
  min: values.length ? Math.min(...values) : null,
  max: values.length ? Math.max(...values) : null,
  sum_of_squares: values.reduce((a, b) => a + b * b, 0),
});
const ms = (iso: string) => Date.parse(iso);

describe('analyze rows', () => {
  const countries: RawBucket[] = [
    { key: { x0: 'FR' }, doc_count: 3, y0: stats([10, 20, 30]) },
    { key: { x0: 'AD' }, doc_count: 1, y0: stats([7]) },
    { key: { x0: 'BE' }, doc_count: 2, y0: stats([5, 5]) },
  ];

  it('one value x: ascending x by default, each function from extended_stats', () => {
    const p = plan('x=country&y.n.func=COUNT&y.s.func=SUM&y.s.expr=population&y.a.func=AVG&y.a.expr=population&y.sd.func=STDDEV&y.sd.expr=population&y.ss.func=SUMSQUARES&y.ss.expr=population&y.mi.func=MIN&y.mi.expr=population&y.ma.func=MAX&y.ma.expr=population');
    const withAll = countries.map((b) => ({ ...b, y1: b.y0, y2: b.y0, y3: b.y0, y4: b.y0, y5: b.y0, y6: b.y0 }));
    expect(shapeAnalyze(p, { buckets: withAll }).body).toEqual([
      { x: 'AD', n: 1, s: 7, a: 7, sd: 0, ss: 49, mi: 7, ma: 7 },
      { x: 'BE', n: 2, s: 10, a: 5, sd: 0, ss: 50, mi: 5, ma: 5 },
      { x: 'FR', n: 3, s: 60, a: 20, sd: Math.sqrt(200 / 3), ss: 1400, mi: 10, ma: 30 },
    ]);
  });

  it('sort: bare key ascending, "-" descending, by serie or x; then maxpoints', () => {
    const p1 = plan('x=country&y.s.func=SUM&y.s.expr=population&sort=-s&maxpoints=2');
    expect(shapeAnalyze(p1, { buckets: countries }).body).toEqual([
      { x: 'FR', s: 60 },
      { x: 'BE', s: 10 },
    ]);
    const p2 = plan('x=country&y.s.func=SUM&y.s.expr=population&sort=-x');
    expect((shapeAnalyze(p2, { buckets: countries }).body as { x: string }[]).map((r) => r.x)).toEqual(['FR', 'BE', 'AD']);
    const p3 = plan('x=country&y.s.func=SUM&y.s.expr=population&sort=y.s');
    expect((shapeAnalyze(p3, { buckets: countries }).body as { x: string }[]).map((r) => r.x)).toEqual(['AD', 'BE', 'FR']);
  });

  it('ignores sort keys naming nothing (a field outside x)', () => {
    const p = plan('x=country&y.n.func=COUNT&sort=population,-nothing');
    expect(p.sort).toEqual([]);
    expect((shapeAnalyze(p, { buckets: countries }).body as { x: string }[]).map((r) => r.x)).toEqual(['AD', 'BE', 'FR']);
  });

  it('cumulative: running sums in ascending x, before sort and maxpoints', () => {
    const p = plan('x=country&y.s.func=SUM&y.s.expr=population&y.s.cumulative=true&y.n.func=COUNT&sort=-x&maxpoints=2');
    const buckets = countries.map((b) => ({ ...b }));
    expect(shapeAnalyze(p, { buckets }).body).toEqual([
      { x: 'FR', s: 77, n: 3 },
      { x: 'BE', s: 17, n: 2 },
    ]);
  });

  it('a datetime at month precision: x objects of integer parts in the time zone', () => {
    const p = plan('x=updated&precision=month&y.n.func=COUNT', 'Europe/Paris');
    const buckets: RawBucket[] = [
      { key: { x0: ms('2020-02-29T23:00:00Z') }, doc_count: 4 }, // 2020-03-01T00:00 in Paris
      { key: { x0: ms('2019-12-31T23:00:00Z') }, doc_count: 1 },
    ];
    expect(shapeAnalyze(p, { buckets }).body).toEqual([
      { x: { year: 2020, month: 1 }, n: 1 },
      { x: { year: 2020, month: 3 }, n: 4 },
    ]);
  });

  it('output_timezone: the same buckets, parts read in another zone', () => {
    const p = plan('x=updated.year&x=updated.month&x=updated.day&x=updated.hour&y.n.func=COUNT', 'Europe/Paris', 'UTC');
    const buckets: RawBucket[] = [{ key: { x0: ms('2020-02-29T23:00:00Z') }, doc_count: 4 }];
    expect(shapeAnalyze(p, { buckets }).body).toEqual([{ x: { year: 2020, month: 2, day: 29, hour: 23 }, n: 4 }]);
  });

  it('periodic=weekday folds days of every week: counts add, stats merge exactly', () => {
    const p = plan('x=updated&periodic=weekday&y.n.func=COUNT&y.a.func=AVG&y.a.expr=population&y.m.func=MAX&y.m.expr=population');
    const day = (iso: string, values: number[]): RawBucket => ({ key: { x0: ms(iso) }, doc_count: values.length, y1: stats(values), y2: stats(values) });
    const buckets = [
      day('2024-01-01T00:00:00Z', [1, 2]), // Monday
      day('2024-01-02T00:00:00Z', [10]), // Tuesday
      day('2024-01-08T00:00:00Z', [3]), // Monday
      day('2024-01-14T00:00:00Z', [100]), // Sunday
    ];
    expect(shapeAnalyze(p, { buckets }).body).toEqual([
      { x: { weekday: 0 }, n: 3, a: 2, m: 3 },
      { x: { weekday: 1 }, n: 1, a: 10, m: 10 },
      { x: { weekday: 6 }, n: 1, a: 100, m: 100 },
    ]);
  });

  it('a date part alone (x=f.month) folds months across years; yearday and weekday parts', () => {
    const p = plan('x=day.month&y.n.func=COUNT');
    const buckets: RawBucket[] = [
      { key: { x0: ms('2019-03-01T00:00:00Z') }, doc_count: 2 },
      { key: { x0: ms('2020-03-01T00:00:00Z') }, doc_count: 5 },
      { key: { x0: ms('2020-01-01T00:00:00Z') }, doc_count: 1 },
    ];
    expect(shapeAnalyze(p, { buckets }).body).toEqual([
      { x: { month: 1 }, n: 1 },
      { x: { month: 3 }, n: 7 },
    ]);
    const q = plan('x=day.yearday&x=day.weekday&y.n.func=COUNT');
    expect(shapeAnalyze(q, { buckets: [{ key: { x0: ms('2020-12-31T00:00:00Z') }, doc_count: 1 }] }).body).toEqual([
      { x: { yearday: 366, weekday: 3 }, n: 1 },
    ]);
  });

  it('several fields: x is an object keyed by field, a date field nested', () => {
    const p = plan('x=country&x=updated.year&y.n.func=COUNT&sort=x.updated.year,-x.country');
    const buckets: RawBucket[] = [
      { key: { x0: 'FR', x1: ms('2020-01-01T00:00:00Z') }, doc_count: 1 },
      { key: { x0: 'BE', x1: ms('2020-01-01T00:00:00Z') }, doc_count: 2 },
      { key: { x0: 'BE', x1: ms('2019-01-01T00:00:00Z') }, doc_count: 3 },
    ];
    expect(shapeAnalyze(p, { buckets }).body).toEqual([
      { x: { country: 'BE', updated: { year: 2019 } }, n: 3 },
      { x: { country: 'FR', updated: { year: 2020 } }, n: 1 },
      { x: { country: 'BE', updated: { year: 2020 } }, n: 2 },
    ]);
  });

  it('no x: one row of series; COUNT is the hit count', () => {
    const p = plan('y.total.func=SUM&y.total.expr=population&y.n.func=COUNT');
    expect(shapeAnalyze(p, { buckets: [], total: { count: 6, aggregations: { y0: stats([1, 2, 3]) } } }).body).toEqual([{ total: 6, n: 6 }]);
  });

  it('AVG, MIN, MAX, STDDEV of a bucket with no value are null; SUM is 0', () => {
    const p = plan('x=country&y.a.func=AVG&y.a.expr=population&y.s.func=SUM&y.s.expr=population&y.d.func=STDDEV&y.d.expr=population');
    const empty = { count: 0, sum: 0, min: null, max: null, sum_of_squares: null };
    expect(shapeAnalyze(p, { buckets: [{ key: { x0: 'FR' }, doc_count: 2, y0: { doc_count: 0, v: empty }, y1: empty, y2: empty }] }).body).toEqual([
      { x: 'FR', a: null, s: 0, d: null },
    ]);
  });

  it('QUANTILES: keyed like "50.0"', () => {
    const p = plan('x=country&y.q.func=QUANTILES&y.q.expr=population&y.q.subsets=50,99.9');
    expect(shapeAnalyze(p, { buckets: [{ key: { x0: 'FR' }, doc_count: 2, y0: { values: { '50.0': 12, '99.9': 40 } } }] }).body).toEqual([
      { x: 'FR', q: { '50.0': 12, '99.9': 40 } },
    ]);
  });

  it('agg.<name>: {results, aggregations} over the returned rows', () => {
    const p = plan('x=country&y.s.func=SUM&y.s.expr=population&agg.r.func=MIN,MAX&agg.r.expr=s');
    expect(shapeAnalyze(p, { buckets: countries }).body).toEqual({
      results: [
        { x: 'AD', s: 7 },
        { x: 'BE', s: 10 },
        { x: 'FR', s: 60 },
      ],
      aggregations: { r: { min: 7, max: 60 } },
    });
  });

  it('CSV: x atoms then series, with the separator', () => {
    const p = plan('x=country&x=updated.year&y.n.func=COUNT&y.q.func=QUANTILES&y.q.expr=population');
    const rows = shapeAnalyze(p, {
      buckets: [{ key: { x0: 'F;R', x1: ms('2020-01-01T00:00:00Z') }, doc_count: 1, y1: { values: { '50.0': null } } }],
    }).rows;
    expect(analyzeCsv(p, rows, ';')).toBe('x.country;x.updated.year;n;q.50.0\r\n"F;R";2020;1;\r\n');
  });
});
