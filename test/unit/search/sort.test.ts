import { buildSort } from '../../../src/search/sort';
import { shops } from './search-fixtures';

const ctx = { schema: { fields: shops.fields, hidden: new Set(['rating']) }, hasQuery: false };
const TIE = { recordid: 'asc' };

describe('buildSort', () => {
  it.each<[string, string[], boolean, unknown[]]>([
    ['no sort, no q: record id order', [], false, [TIE]],
    ['no sort with a q: relevance first', [], true, [{ _score: 'desc' }, TIE]],
    ['a bare number sorts descending', ['staff'], false, [{ 'fields.staff': 'desc' }, TIE]],
    ['-number ascending', ['-staff'], false, [{ 'fields.staff': 'asc' }, TIE]],
    ['a bare date descending', ['opened'], false, [{ 'fields.opened': 'desc' }, TIE]],
    ['record_timestamp like a datetime', ['-record_timestamp'], false, [{ record_timestamp: 'asc' }, TIE]],
    ['a sortable text ascending, on .lower then .keyword', ['name'], false, [{ 'fields.name.lower': 'asc' }, { 'fields.name.keyword': 'asc' }, TIE]],
    ['-text descending', ['-name'], false, [{ 'fields.name.lower': 'desc' }, { 'fields.name.keyword': 'desc' }, TIE]],
    ['several keys in order', ['name', 'staff'], false, [{ 'fields.name.lower': 'asc' }, { 'fields.name.keyword': 'asc' }, { 'fields.staff': 'desc' }, TIE]],
    ['recordid is the tiebreaker already', ['-recordid'], false, [{ recordid: 'desc' }]],
  ])('%s', (_what, keys, hasQuery, expected) => {
    expect(buildSort(keys, { ...ctx, hasQuery })).toEqual(expected);
  });

  it('sorts on the distance to the geofilter.distance center (numeric rule: -dist is nearest first)', () => {
    const distance = { lat: 1, lon: 2, path: 'fields.geo' };
    expect(buildSort(['-dist'], { ...ctx, distance })).toEqual([
      { _geo_distance: { 'fields.geo': { lat: 1, lon: 2 }, order: 'asc', unit: 'm', distance_type: 'arc' } },
      TIE,
    ]);
    expect(buildSort(['dist'], { ...ctx, distance })[0]).toMatchObject({ _geo_distance: { order: 'desc' } });
  });

  it('ignores the keys the caller says to ignore', () => {
    expect(buildSort(['explore.popularity_score'], { ...ctx, ignore: (n) => n.startsWith('explore.') })).toEqual([TIE]);
  });

  it.each([
    ['notes', /not sortable/],
    ['geo', /geo_point_2d field \("geo"\) cannot be sorted/],
    ['nope', /unknown field "nope"/],
    ['rating', /unknown field "rating"/], // hidden = unknown
    ['dist', /needs a geofilter.distance/],
  ])('rejects sort=%s with a 400 naming sort', (key, message) => {
    expect(() => buildSort([key], ctx)).toThrow(expect.objectContaining({ kind: 'bad_parameter', extra: expect.objectContaining({ parameter: 'sort' }) }));
    expect(() => buildSort([key], ctx)).toThrow(message);
  });
});
