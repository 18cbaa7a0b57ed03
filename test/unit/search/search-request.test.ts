import { requestParams } from '../../../src/http/params/request-params';
import { echoParameters } from '../../../src/search/echo-parameters';
import { facetSpecs } from '../../../src/search/facets/facet-specs';
import { readSearchRequest, type WindowPolicy } from '../../../src/search/search-request';
import { shops } from './search-fixtures';

const read = (qs: string, policy: WindowPolicy = { overflow: 'reject' }) => readSearchRequest(requestParams(`/x?${qs}`), 'UTC', policy);

describe('readSearchRequest', () => {
  it('reads every parameter, tolerating repeats, commas, empty values and junk', () => {
    const r = read(
      'q=a&q=&q.timerange=b&facet=city&facet=city&facet=tags&refine.city=Paris&refine.city=Lyon&exclude.staff=3' +
        '&disjunctive.city=true&disjunctive.tags=false&facetsort.city=-alphanum&fields=name,%20city&fields=geo' +
        '&sort=name,-staff&sort=opened&rows=20&start=40&geofilter.distance=1,2,3&geofilter.bbox=1,2,3,4&-sort=dist&location=x' +
        '&geo_digest=d1&geo_digest=&geo_digest.outline=%20d2',
    );
    expect(r).toEqual({
      q: [
        { parameter: 'q', q: 'a' },
        { parameter: 'q.timerange', q: 'b' },
      ],
      facets: ['city', 'tags'],
      refine: new Map([['city', ['Paris', 'Lyon']]]),
      exclude: new Map([['staff', ['3']]]),
      disjunctive: new Set(['city']),
      facetsort: new Map([['city', '-alphanum']]),
      fields: ['name', 'city', 'geo'],
      sort: ['name', '-staff', 'opened'],
      rows: 20,
      start: 40,
      geofilter: {
        distance: ['1,2,3'],
        polygon: [],
        bbox: ['1,2,3,4'],
        digest: [
          { field: undefined, value: 'd1' },
          { field: 'outline', value: 'd2' },
        ],
      },
      timezone: 'UTC',
    });
  });

  it('defaults to rows=10, start=0', () => {
    expect(read('')).toMatchObject({ rows: 10, start: 0, fields: undefined, q: [], sort: [] });
  });

  it('reads rows=-1 (every record) as the rest of the 10 000 window', () => {
    expect(read('rows=-1')).toMatchObject({ rows: 10000, start: 0 });
    expect(read('rows=%20-1&start=9000')).toMatchObject({ rows: 1000, start: 9000 });
    expect(read('rows=-1', { overflow: 'clamp' })).toMatchObject({ rows: 10000, start: 0 });
  });

  it.each([
    ['rows=abc', 'rows', /integer/],
    ['rows=-2', 'rows', /between 0/],
    ['rows=-1&start=10001', 'start', /may not exceed 10000/],
    ['start=9000&rows=1001', 'rows', /start \+ rows may not exceed 10000.*download API/],
    ['start=10001', 'start', /may not exceed 10000/],
    ['rows=10001', 'rows', /may not exceed 10000/],
    ['facetsort.city=desc', 'facetsort.city', /expected one of count, -count, alphanum, -alphanum, num, -num/],
    ['disjunctive.city=maybe', 'disjunctive.city', /true or false/],
  ])('rejects %s with a 400 naming %s', (qs, parameter, message) => {
    expect(() => read(qs)).toThrow(expect.objectContaining({ kind: 'bad_parameter', extra: { parameter } }));
    expect(() => read(qs)).toThrow(message);
  });

  it('accepts at most 100 geofilter values per request, all kinds together', () => {
    const many = (kind: string, n: number) => Array.from({ length: n }, () => `geofilter.${kind}=1,2,3`).join('&');
    expect(read(`${many('distance', 60)}&${many('bbox', 40)}`).geofilter.distance).toHaveLength(60);
    expect(() => read(`${many('distance', 60)}&${many('bbox', 41)}`)).toThrow(
      expect.objectContaining({ extra: { parameter: 'geofilter.bbox' }, message: 'Invalid value for parameter "geofilter.bbox": at most 100 geofilter values per request (they are all ANDed)' }),
    );
  });

  it('clamps rows to the window for the catalog (rows=1000000 lists everything)', () => {
    expect(read('rows=1000000', { overflow: 'clamp' })).toMatchObject({ rows: 10000, start: 0 });
    expect(read('rows=100000000&start=10', { overflow: 'clamp' })).toMatchObject({ rows: 9990, start: 10 });
    expect(() => read('start=10001', { overflow: 'clamp' })).toThrow(/start \+ rows/);
  });
});

describe('echoParameters', () => {
  const echo = (qs: string, format = 'json') => {
    const req = read(qs);
    return echoParameters(req, { dataset: 'shops', format, specs: facetSpecs(req, { fields: shops.fields }) });
  };

  it('echoes what recorded responses show, in their order', () => {
    expect(echo('q=county==wake&sort=name&facet=city&refine.city=gb&geofilter.distance=48.853169,2.402782,100')).toEqual({
      dataset: 'shops',
      timezone: 'UTC',
      q: 'county==wake',
      rows: 10,
      start: 0,
      sort: ['name'],
      format: 'json',
      facet: ['city'],
      refine: { city: 'gb' },
      'geofilter.distance': ['48.853169,2.402782,100'],
    });
    expect(Object.keys(echo('q=a&sort=name&facet=city&refine.city=gb&exclude.city=x&geofilter.bbox=1,2,3,4'))).toEqual([
      'dataset', 'timezone', 'q', 'rows', 'start', 'sort', 'format', 'facet', 'refine', 'exclude', 'geofilter.bbox',
    ]);
  });

  it('echoes fields as a list, as asked', () => {
    expect(echo('fields=name,city&fields=geo&sort=name')).toMatchObject({ sort: ['name'], fields: ['name', 'city', 'geo'], format: 'json' });
    expect(Object.keys(echo('fields=name&sort=name'))).toEqual(['dataset', 'timezone', 'rows', 'start', 'sort', 'fields', 'format']);
  });

  it('always has rows and start; nothing else unasked', () => {
    expect(echo('', 'geojson')).toEqual({ dataset: 'shops', timezone: 'UTC', rows: 10, start: 0, format: 'geojson' });
  });

  it('lists several q, several refines, and a leaf date refine with its ancestors', () => {
    expect(echo('q=a&q.x=b&refine.city=A&refine.city=B&refine.opened=2019/09/27&exclude.opened=2018&refine.category=F/B')).toMatchObject({
      q: ['a', 'b'],
      refine: { city: ['A', 'B'], opened: ['2019', '2019/09', '2019/09/27'], category: ['F', 'F/B'] },
      exclude: { opened: '2018' },
    });
    expect(echo('refine.opened=2020-10-05')).toMatchObject({ refine: { opened: ['2020', '2020/10', '2020/10/05'] } });
  });
});
