import { CATALOG_DESCRIPTOR } from '../../../src/datasets/catalog-descriptor';
import { compileQueries } from '../../../src/query';
import { planSearch } from '../../../src/search/build-search-body';
import { request, shops } from './search-fixtures';

const now = new Date('2024-05-01T00:00:00Z');

describe('planSearch', () => {
  it('builds one body: q in must, geofilters in filter, facets as filtered aggs, sort, paging, _source', () => {
    const plan = planSearch(
      request({
        q: [{ parameter: 'q', q: 'staff>=2' }],
        facets: ['city'],
        exclude: new Map([['city', ['Caen']]]),
        fields: ['name', 'recordid'],
        geofilter: { distance: ['1,2,30'], polygon: [], bbox: [] },
        rows: 5,
        start: 20,
      }),
      { descriptor: shops, now, maxFacetValues: 50, target: 'records' },
    );
    expect(plan.body).toEqual({
      track_total_hits: true,
      from: 20,
      size: 5,
      query: {
        bool: {
          // The q translation belongs to the query language (its own tests); here: it lands in must.
          must: [compileQueries(['staff>=2'], { schema: { fields: shops.fields }, timezone: 'UTC', now })],
          filter: [{ geo_distance: { distance: '30m', 'fields.geo': { lat: 1, lon: 2 } } }],
        },
      },
      post_filter: { bool: { must_not: [{ term: { 'fields.city.keyword': 'Caen' } }] } },
      aggs: {
        'f:city': {
          filter: { match_all: {} },
          aggs: {
            l: { terms: { field: 'fields.city.keyword', size: 50, order: [{ _count: 'desc' }, { _key: 'asc' }] } },
            sel: { terms: { field: 'fields.city.keyword', include: ['Caen'], min_doc_count: 0, size: 1 } },
          },
        },
      },
      sort: [{ _score: 'desc' }, { recordid: 'asc' }],
      _source: ['recordid', 'record_timestamp', 'fields.name', 'fields.geo'],
    });
    expect(plan.fields).toEqual(['name']);
    expect(plan.distance).toEqual({ lat: 1, lon: 2, path: 'fields.geo' });
  });

  it('reads only the stored dataset object for the catalog, and hides hidden fields everywhere', () => {
    const plan = planSearch(request({ fields: ['title'] }), { descriptor: CATALOG_DESCRIPTOR, now, maxFacetValues: 10, target: 'catalog' });
    expect(plan.body).toMatchObject({ query: { match_all: {} }, sort: [{ recordid: 'asc' }], _source: ['recordid', 'dataset'] });
    expect(() =>
      planSearch(request({ q: [{ parameter: 'q', q: 'staff>2' }] }), { descriptor: shops, hidden: new Set(['staff']), now, maxFacetValues: 10, target: 'records' }),
    ).toThrow(/unknown field "staff"/);
  });
});
