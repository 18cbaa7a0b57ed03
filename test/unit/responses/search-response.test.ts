import { facetSpecs } from '../../../src/search/facets/facet-specs';
import { catalogResponse, pythonFloat, recordsResponse } from '../../../src/responses/search-response';
import { request, shops } from '../search/search-fixtures';

const hit = (recordid: string, fields: Record<string, unknown>) => ({
  _id: recordid,
  _source: { recordid, record_timestamp: '2021-01-04T11:22:14.440Z', fields },
});

const specs = facetSpecs(request({ facets: ['city', 'opened'], refine: new Map([['city', ['Lyon']]]) }), { fields: shops.fields });

const osResponse = (total: number) => ({
  hits: { total: { value: total, relation: 'eq' }, hits: total > 0 ? [hit('r1', { name: 'Bakery', city: 'Lyon', geo: { lat: 45.76, lon: 4.84 }, opened: '2012-09-11' })] : [] },
  aggregations: {
    'f:city': { doc_count: total, l: { buckets: [{ key: 'Lyon', doc_count: total }] }, sel: { buckets: [{ key: 'Lyon', doc_count: total }] } },
    'f:opened': { doc_count: 0, l: { buckets: [] } },
  },
});

const base = {
  descriptor: shops,
  parameters: { dataset: 'shops' },
  specs,
  facetContext: { timezone: 'Europe/Paris', maxValues: 10 },
  timezone: 'Europe/Paris',
  fields: undefined,
  distance: undefined,
};

describe('recordsResponse', () => {
  it('shapes nhits, parameters, records and the facet groups that have values', () => {
    expect(recordsResponse({ ...base, response: osResponse(1) })).toEqual({
      nhits: 1,
      parameters: { dataset: 'shops' },
      records: [
        {
          datasetid: 'shops',
          recordid: 'r1',
          fields: { name: 'Bakery', city: 'Lyon', opened: '2012-09-11', geo: [45.76, 4.84] },
          geometry: { type: 'Point', coordinates: [4.84, 45.76] },
          record_timestamp: '2021-01-04T12:22:14.440000+01:00',
        },
      ],
      // `opened` has no value: no group for it.
      facet_groups: [{ name: 'city', facets: [{ name: 'Lyon', path: 'Lyon', count: 1, state: 'refined' }] }],
    });
  });

  it('has no facet_groups when there is no hit, even with facets asked', () => {
    const out = recordsResponse({ ...base, response: osResponse(0) });
    expect(out).toEqual({ nhits: 0, parameters: { dataset: 'shops' }, records: [] });
  });

  it('restricts fields and adds dist (meters, as a string) under geofilter.distance', () => {
    const out = recordsResponse({ ...base, response: osResponse(1), fields: ['name'], distance: { lat: 45.76, lon: 4.85, path: 'fields.geo' } });
    // 0.01° of longitude at 45.76°N on the 6371008.7714 m sphere.
    const expected = 2 * 6371008.7714 * Math.asin(Math.cos((45.76 * Math.PI) / 180) * Math.sin((0.01 * Math.PI) / 360));
    expect(out.records[0]?.fields).toEqual({ name: 'Bakery', dist: expected.toPrecision(12).replace(/0+$/, '') });
    expect(out.records[0]?.geometry).toEqual({ type: 'Point', coordinates: [4.84, 45.76] });
  });
});

describe('pythonFloat', () => {
  it.each([
    [82.07090888081234, '82.0709088808'],
    [0, '0.0'],
    [100, '100.0'],
    [1234567.891234567, '1234567.89123'],
  ])('%p → %p', (n, s) => expect(pythonFloat(n)).toBe(s));
});

describe('catalogResponse', () => {
  it('lists dataset objects from the catalog documents', () => {
    const response = { hits: { total: { value: 1 }, hits: [{ _source: { recordid: 'shops', dataset: shops } }] } };
    const out = catalogResponse({ response, parameters: { staged: false }, specs: [], facetContext: base.facetContext, objectOptions: { extraMetas: true, interopMetas: false } });
    expect(out).toMatchObject({ nhits: 1, parameters: { staged: false }, datasets: [{ datasetid: 'shops', metas: { title: 'Shops' }, extra_metas: { visualization: {} } }] });
    expect(out).not.toHaveProperty('facet_groups');
  });
});
