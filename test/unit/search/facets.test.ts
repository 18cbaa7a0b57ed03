import { FACET_KINDS, facetSpecs } from '../../../src/search/facets/facet-specs';
import { buildFacetTree } from '../../../src/search/facets/facet-tree';
import { escapeRegExp } from '../../../src/search/facets/path-facet';
import type { SearchRequest } from '../../../src/search/search-request';
import { request, shops } from './search-fixtures';

const ctx = { timezone: 'Europe/Paris', maxValues: 3 };
const specOf = (o: Partial<SearchRequest>) => {
  const s = facetSpecs(request(o), { fields: shops.fields })[0];
  if (!s) throw new Error('no spec');
  return s;
};
const values = (list: [string, number][]) => ({ buckets: list.map(([key, doc_count]) => ({ key, doc_count })) });
const dated = (list: [string, number][]) => ({ buckets: list.map(([key_as_string, doc_count]) => ({ key: 0, key_as_string, doc_count })) });

describe('terms facet', () => {
  const spec = specOf({ facets: ['city'], refine: new Map([['city', ['Paris']]]), exclude: new Map([['city', ['Caen']]]) });
  const kind = FACET_KINDS.terms;

  it('asks the top values in facetsort order plus the refined/excluded ones', () => {
    expect(kind.toAggregation(spec, ctx)).toEqual({
      l: { terms: { field: 'fields.city.keyword', size: 3, order: [{ _count: 'desc' }, { _key: 'asc' }] } },
      sel: { terms: { field: 'fields.city.keyword', include: ['Paris', 'Caen'], min_doc_count: 0, size: 2 } },
    });
  });

  it('reads back, sorts by -count then name, cuts at maxValues but keeps refined/excluded values', () => {
    const aggs = { l: values([['Lyon', 9], ['Paris', 7], ['Brest', 7], ['Nice', 2]]), sel: values([['Paris', 7], ['Caen', 1]]) };
    expect(buildFacetTree(kind, spec, kind.fromAggregation(spec, aggs), ctx)).toEqual([
      { name: 'Lyon', path: 'Lyon', count: 9, state: 'displayed' },
      { name: 'Brest', path: 'Brest', count: 7, state: 'displayed' },
      { name: 'Paris', path: 'Paris', count: 7, state: 'refined' },
      { name: 'Caen', path: 'Caen', count: 1, state: 'excluded' },
    ]);
  });

  it('lists a refined value that has no hit at all with a count of 0', () => {
    const buckets = kind.fromAggregation(spec, { l: values([['Lyon', 1]]), sel: values([]) });
    expect(buildFacetTree(kind, spec, buckets, ctx).map((v) => [v.path, v.count, v.state])).toEqual([
      ['Lyon', 1, 'displayed'],
      ['Caen', 0, 'excluded'],
      ['Paris', 0, 'refined'],
    ]);
  });

  it('uses numeric values for number facets and honours every facetsort', () => {
    const staff = specOf({ facets: ['staff'], refine: new Map([['staff', ['10']]]), facetsort: new Map([['staff', 'num']]) });
    expect(kind.toAggregation(staff, { ...ctx, maxValues: 10 })).toEqual({
      l: { terms: { field: 'fields.staff', size: 10, order: [{ _key: 'asc' }] } },
      sel: { terms: { field: 'fields.staff', include: [10], min_doc_count: 0, size: 1 } },
    });
    const aggs = { l: { buckets: [{ key: 9, doc_count: 1 }, { key: 10, doc_count: 5 }, { key: 2, doc_count: 3 }] } };
    const order = (sort: typeof staff.sort) =>
      buildFacetTree(kind, { ...staff, sort }, kind.fromAggregation(staff, aggs), { ...ctx, maxValues: 10 }).map((v) => v.name);
    expect(order('num')).toEqual(['2', '9', '10']);
    expect(order('-num')).toEqual(['10', '9', '2']);
    expect(order('alphanum')).toEqual(['2', '9', '10']);
    expect(order('-alphanum')).toEqual(['10', '9', '2']);
    expect(order('count')).toEqual(['9', '2', '10']);
    expect(order('-count')).toEqual(['10', '2', '9']);
  });
});

describe('date facet', () => {
  const kind = FACET_KINDS.date;
  const hist = (interval: string, format: string, time_zone = 'Europe/Paris') => ({
    date_histogram: { field: 'fields.inspected', calendar_interval: interval, format, time_zone, min_doc_count: 1 },
  });

  it('asks years only without a refine (datetime: in the request timezone)', () => {
    expect(kind.toAggregation(specOf({ facets: ['inspected'] }), ctx)).toEqual({ l: hist('year', 'yyyy') });
  });

  it('opens the refined chain: years, the months of the refined year, the days of the refined month', () => {
    const spec = specOf({ facets: ['inspected'], refine: new Map([['inspected', ['2013/08']]]) });
    expect(kind.toAggregation(spec, ctx)).toEqual({
      l: hist('year', 'yyyy'),
      e0: { filter: { range: { 'fields.inspected': { gte: '2012-12-31T23:00:00.000Z', lt: '2013-12-31T23:00:00.000Z' } } }, aggs: { l: hist('month', 'yyyy/MM') } },
      e1: { filter: { range: { 'fields.inspected': { gte: '2013-07-31T22:00:00.000Z', lt: '2013-08-31T22:00:00.000Z' } } }, aggs: { l: hist('day', 'yyyy/MM/dd') } },
    });
    const aggs = {
      l: dated([['2013', 4]]),
      e0: { doc_count: 4, l: dated([['2013/08', 4]]) },
      e1: { doc_count: 4, l: dated([['2013/08/02', 1], ['2013/08/30', 3]]) },
    };
    expect(buildFacetTree(kind, spec, kind.fromAggregation(spec, aggs), ctx)).toEqual([
      {
        name: '2013',
        path: '2013',
        count: 4,
        state: 'refined',
        facets: [
          {
            name: '08',
            path: '2013/08',
            count: 4,
            state: 'refined',
            // Date facets default to -alphanum: most recent first.
            facets: [
              { name: '30', path: '2013/08/30', count: 3, state: 'displayed' },
              { name: '02', path: '2013/08/02', count: 1, state: 'displayed' },
            ],
          },
        ],
      },
    ]);
  });

  it('buckets date fields in UTC, stops at the day, and keeps excluded years listed', () => {
    const spec = specOf({ facets: ['opened'], refine: new Map([['opened', ['2012/09/11']]]), exclude: new Map([['opened', ['2010']]]) });
    const aggs = kind.toAggregation(spec, ctx);
    expect(Object.keys(aggs)).toEqual(['l', 'e0', 'e1']); // no level below the day
    expect(aggs.l).toEqual({
      date_histogram: { field: 'fields.opened', calendar_interval: 'year', format: 'yyyy', time_zone: 'UTC', min_doc_count: 1 },
    });
    expect(aggs.e1).toMatchObject({ filter: { range: { 'fields.opened': { gte: '2012-09-01', lt: '2012-10-01' } } } });
    const tree = buildFacetTree(
      kind,
      spec,
      kind.fromAggregation(spec, { l: dated([['2010', 2], ['2012', 1]]), e0: { l: dated([['2012/09', 1]]) }, e1: { l: dated([['2012/09/11', 1]]) } }),
      ctx,
    );
    expect(tree.map((v) => [v.path, v.state])).toEqual([['2012', 'refined'], ['2010', 'excluded']]);
    expect(tree[0]?.facets?.[0]?.facets).toEqual([{ name: '11', path: '2012/09/11', count: 1, state: 'refined' }]);
  });

  it('stops at the timeserie_precision of the field', () => {
    const monthly = { ...shops, fields: [{ name: 'm', label: 'M', type: 'date' as const, annotations: [{ name: 'facet' as const }, { name: 'timeserie_precision' as const, args: ['month'] }] }] };
    const [spec] = facetSpecs(request({ facets: ['m'], refine: new Map([['m', ['1984/12']]]) }), { fields: monthly.fields });
    expect(Object.keys(kind.toAggregation(spec!, ctx))).toEqual(['l', 'e0']);
  });
});

describe('path (hierarchical text) facet', () => {
  const kind = FACET_KINDS.path;
  const level = (include: string | undefined, exclude: string) => ({
    terms: { field: '__paths.category', ...(include ? { include } : {}), exclude, size: 3, order: [{ _count: 'desc' }, { _key: 'asc' }] },
  });

  it('escapes every non-alphanumeric character for Lucene regexps', () => {
    expect(escapeRegExp('Café (bio).+')).toBe('Caf\\é\\ \\(bio\\)\\.\\+');
  });

  it('asks one level per opened path with include/exclude regexps, and reads the nested tree back', () => {
    const spec = specOf({ facets: ['category'], refine: new Map([['category', ['Food/Bread']]]) });
    expect(kind.toAggregation(spec, ctx)).toEqual({
      l: level(undefined, '.*\\/.*'),
      e0: level('Food\\/.*', 'Food\\/.*\\/.*'),
      e1: level('Food\\/Bread\\/.*', 'Food\\/Bread\\/.*\\/.*'),
      sel: { terms: { field: '__paths.category', include: ['Food/Bread'], min_doc_count: 0, size: 1 } },
    });
    const aggs = {
      l: values([['Food', 5]]),
      e0: values([['Food/Bread', 3], ['Food/Meat', 2]]),
      e1: values([['Food/Bread/Rye', 1]]),
      sel: values([['Food/Bread', 3]]),
    };
    expect(buildFacetTree(kind, spec, kind.fromAggregation(spec, aggs), ctx)).toEqual([
      {
        name: 'Food',
        path: 'Food',
        count: 5,
        state: 'refined',
        facets: [
          { name: 'Bread', path: 'Food/Bread', count: 3, state: 'refined', facets: [{ name: 'Rye', path: 'Food/Bread/Rye', count: 1, state: 'displayed' }] },
          { name: 'Meat', path: 'Food/Meat', count: 2, state: 'displayed' },
        ],
      },
    ]);
  });
});
