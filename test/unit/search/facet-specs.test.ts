import { facetSpecs } from '../../../src/search/facets/facet-specs';
import type { SearchRequest } from '../../../src/search/search-request';
import { request, shops } from './search-fixtures';

const schema = { fields: shops.fields, hidden: new Set(['notes']) };
const specs = (o: Partial<SearchRequest>) => facetSpecs(request(o), schema);

describe('facetSpecs', () => {
  it('normalises refines, picks kinds and default sorts', () => {
    const out = specs({
      facets: ['city', 'opened'],
      refine: new Map([
        ['opened', ['2012-9-1', '2012/09/01']],
        ['staff', ['07']],
      ]),
      exclude: new Map([['category', ['A/B']]]),
      facetsort: new Map([['city', 'alphanum']]),
    });
    expect(out.map((s) => [s.name, s.kind, s.requested, s.sort, s.refines, s.excludes])).toEqual([
      ['city', 'terms', true, 'alphanum', [], []],
      ['opened', 'date', true, '-alphanum', ['2012/09/01'], []],
      // refined/excluded fields annotated `facet` get their group too (a recorded v1 response of
      // refine.date=1984/12 without facet=date: NinoAraoz/EntrevistaPossumus src/new.js)
      ['staff', 'terms', true, '-count', ['7'], []],
      ['category', 'path', true, '-count', [], ['A/B']],
    ]);
  });

  it('accepts ad hoc facets on visible fields not annotated facet, and refines on them without a group', () => {
    const out = specs({ facets: ['name'], refine: new Map([['rating', ['2.5']]]) });
    expect(out.map((s) => [s.name, s.kind, s.requested])).toEqual([
      ['name', 'terms', true],
      ['rating', 'terms', false],
    ]);
  });

  it('keeps the catalog to its annotated facets (adHoc: false)', () => {
    expect(() => facetSpecs(request({ facets: ['name'] }), schema, { adHoc: false })).toThrow(
      expect.objectContaining({ kind: 'bad_parameter', extra: { parameter: 'facet' } }),
    );
  });

  it.each<[string, Partial<SearchRequest>, string, RegExp]>([
    ['a facet on a geo field', { facets: ['geo'] }, 'facet', /geo_point_2d, which cannot be refined or faceted/],
    ['an unknown facet', { facets: ['nope'] }, 'facet', /unknown field "nope"/],
    ['a hidden field, exactly like an unknown one', { refine: new Map([['notes', ['x']]]) }, 'refine.notes', /unknown field "notes"/],
    ['a refine on a geo field', { refine: new Map([['geo', ['1,2']]]) }, 'refine.geo', /geo_point_2d/],
    ['a refine on recordid', { refine: new Map([['recordid', ['x']]]) }, 'refine.recordid', /cannot be faceted/],
    ['a bad date path', { refine: new Map([['opened', ['2012/13']]]) }, 'refine.opened', /date path/],
    ['a decimal for an int', { exclude: new Map([['staff', ['1.5']]]) }, 'exclude.staff', /integer/],
    ['a disjunctive hierarchical facet', { facets: ['category'], disjunctive: new Set(['category']) }, 'disjunctive.category', /cannot be disjunctive/],
  ])('rejects %s with a 400 naming the parameter', (_what, o, parameter, message) => {
    let error: unknown;
    try {
      specs(o);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ kind: 'bad_parameter', extra: { parameter } });
    expect((error as Error).message).toMatch(message);
  });
});
