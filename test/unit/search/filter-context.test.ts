import { facetSpecs } from '../../../src/search/facets/facet-specs';
import { filterContext, flatten } from '../../../src/search/filter-context';
import type { SearchRequest } from '../../../src/search/search-request';
import { request, shops } from './search-fixtures';

const schema = { fields: shops.fields };
const ctx = { timezone: 'UTC', maxValues: 1000 };
const Q = { match: { __all: 'bakery' } };
const GEO = { geo_distance: { distance: '100m', 'fields.geo': { lat: 1, lon: 2 } } };

function context(overrides: Partial<SearchRequest>, must = [Q], filter = [GEO], timezone = 'UTC') {
  const req = request({ ...overrides, timezone });
  return filterContext({ must, filter }, facetSpecs(req, schema), { ...ctx, timezone });
}

const term = (field: string, value: unknown) => ({ term: { [field]: value } });

describe('filterContext', () => {
  it('puts q in must, geofilters and conjunctive refines in filter; no facet: no post_filter', () => {
    // `name` is not annotated facet: refined, it gets no facet group
    const fc = context({ refine: new Map([['name', ['Paris', 'Lyon']]]) });
    expect(fc.query).toEqual({
      bool: {
        must: [Q],
        // Several refines of a conjunctive facet are ANDed.
        filter: [GEO, term('fields.name.keyword', 'Paris'), term('fields.name.keyword', 'Lyon')],
      },
    });
    expect(fc.postFilter).toBeUndefined();
    expect(fc.facetFilters.size).toBe(0);
  });

  it('gives a refined field annotated facet its facet filter, as if asked with facet=', () => {
    const fc = context({ refine: new Map([['city', ['Paris']]]) }, [], []);
    expect(fc.query).toEqual({ bool: { filter: [term('fields.city.keyword', 'Paris')] } });
    expect(Object.fromEntries(fc.facetFilters)).toEqual({ city: { match_all: {} } });
  });

  it('is match_all with nothing to filter', () => {
    const fc = context({}, [], []);
    expect(fc.query).toEqual({ match_all: {} });
  });

  it('keeps a requested facet\'s exclude in post_filter so the facet still lists the value', () => {
    const fc = context({ facets: ['city'], refine: new Map([['city', ['Paris']]]), exclude: new Map([['city', ['Lyon']]]) }, [], []);
    expect(fc.query).toEqual({ bool: { filter: [term('fields.city.keyword', 'Paris')] } });
    expect(fc.postFilter).toEqual({ bool: { must_not: [term('fields.city.keyword', 'Lyon')] } });
    expect(fc.facetFilters.get('city')).toEqual({ match_all: {} });
  });

  it('moves refines and excludes of facets not requested into the query (disjunctive refines ORed)', () => {
    const fc = context(
      { refine: new Map([['name', ['Paris', 'Lyon']]]), exclude: new Map([['rating', ['3', '4']]]), disjunctive: new Set(['name']) },
      [],
      [],
    );
    expect(fc.query).toEqual({
      bool: { filter: [{ terms: { 'fields.name.keyword': ['Paris', 'Lyon'] } }], must_not: [{ terms: { 'fields.rating': [3, 4] } }] },
    });
    expect(fc.postFilter).toBeUndefined();
  });

  it('follows the design notes\' disjunctive pattern: each facet ignores only its own post_filter clauses', () => {
    const fc = context({
      facets: ['city', 'tags', 'staff', 'opened'],
      refine: new Map([
        ['city', ['Paris', 'Lyon']],
        ['tags', ['bio']],
      ]),
      exclude: new Map([['staff', ['3']]]),
      disjunctive: new Set(['city']),
    });
    const cities = { terms: { 'fields.city.keyword': ['Paris', 'Lyon'] } };
    const staff = term('fields.staff', 3);
    expect(fc.query).toEqual({ bool: { must: [Q], filter: [GEO, term('fields.tags.keyword', 'bio')] } });
    expect(fc.postFilter).toEqual({ bool: { filter: [cities], must_not: [staff] } });
    expect(Object.fromEntries(fc.facetFilters)).toEqual({
      city: { bool: { must_not: [staff] } },
      tags: { bool: { filter: [cities], must_not: [staff] } },
      staff: { bool: { filter: [cities] } },
      opened: { bool: { filter: [cities], must_not: [staff] } },
    });
    expect(flatten(fc)).toEqual({ bool: { must: [fc.query], filter: [fc.postFilter] } });
  });

  it('turns datetime refines into explicit [start, next) instants of the request timezone', () => {
    const fc = context({ facets: ['inspected'], refine: new Map([['inspected', ['2013/08']]]) }, [], [], 'Europe/Paris');
    expect(fc.query).toEqual({
      bool: { filter: [{ range: { 'fields.inspected': { gte: '2013-07-31T22:00:00.000Z', lt: '2013-08-31T22:00:00.000Z' } } }] },
    });
  });

  it('refines date fields on calendar days whatever the timezone; ORs disjunctive date refines; accepts YYYY-MM-DD', () => {
    const fc = context(
      { facets: ['opened'], refine: new Map([['opened', ['2013', '2015-02-03']]]), disjunctive: new Set(['opened']) },
      [],
      [],
      'America/New_York',
    );
    expect(fc.query).toEqual({ match_all: {} });
    expect(fc.postFilter).toEqual({
      bool: {
        filter: [
          {
            bool: {
              should: [
                { range: { 'fields.opened': { gte: '2013-01-01', lt: '2014-01-01' } } },
                { range: { 'fields.opened': { gte: '2015-02-03', lt: '2015-02-04' } } },
              ],
              minimum_should_match: 1,
            },
          },
        ],
      },
    });
    expect(fc.facetFilters.get('opened')).toEqual({ match_all: {} });
  });

  it('refines a hierarchical text facet on its ancestor paths (a refine matches every descendant)', () => {
    const fc = context(
      { facets: ['category'], refine: new Map([['category', ['Food']]]), exclude: new Map([['category', ['Food/Meat']]]) },
      [],
      [],
    );
    expect(fc.query).toEqual({ bool: { filter: [term('__paths.category', 'Food')] } });
    expect(fc.postFilter).toEqual({ bool: { must_not: [term('__paths.category', 'Food/Meat')] } });
  });
});
