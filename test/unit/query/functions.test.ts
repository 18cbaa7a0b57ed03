/**
 * The # functions: each with its whole DSL, and each refusal with its message.
 */
import { FIELDS, dsl, errorOf } from './fixtures';

const MATCH_NONE = { bool: { must_not: { match_all: {} } } };

describe('#null', () => {
  it.each<[string, unknown]>([
    ['#null(title)', { bool: { must_not: [{ exists: { field: 'fields.title' } }] } }],
    ['#null(photo)', { bool: { must_not: [{ exists: { field: 'fields.photo' } }] } }],
    ['#null(shape)', { bool: { must_not: [{ exists: { field: 'fields.shape' } }] } }],
    ['NOT #null(photo)', { exists: { field: 'fields.photo' } }],
    // ods-media-gallery's form
    [
      'NOT #null(photo) OR NOT #null(geo)',
      { bool: { should: [{ exists: { field: 'fields.photo' } }, { exists: { field: 'fields.geo' } }], minimum_should_match: 1 } },
    ],
    ['film #null(title)', { bool: { must: [{ match_phrase_prefix: { __all: { query: 'film', zero_terms_query: 'all' } } }], must_not: [{ exists: { field: 'fields.title' } }] } }],
  ])('%s', (q, expected) => {
    expect(dsl(q)).toEqual(expected);
  });
});

describe('#exact: the whole value, case-sensitive', () => {
  it.each<[string, unknown]>([
    ['#exact(title, "Paris")', { term: { 'fields.title.keyword': 'Paris' } }],
    ['#exact(title, Paris)', { term: { 'fields.title.keyword': 'Paris' } }],
    ["#exact(recordid, 'abc')", { term: { recordid: 'abc' } }],
    ['#exact(population, "12")', { term: { 'fields.population': 12 } }],
    ['#exact(founded, "2016-09-15")', { range: { 'fields.founded': { gte: '2016-09-15', lt: '2016-09-16' } } }],
  ])('%s', (q, expected) => {
    expect(dsl(q)).toEqual(expected);
  });

  it('refuses geo fields and bad values', () => {
    expect(errorOf('#exact(geo, "x")').message).toContain('#exact works on text, numeric and date fields, not on geo_point_2d field "geo"');
    expect(errorOf('#exact(population, "x")').message).toContain('"x" is not a valid value for int field "population"');
  });
});

describe('#search: words in order, the last one a prefix', () => {
  it.each<[string, unknown]>([
    ['#search(title, county, "Jean-C")', { multi_match: { query: 'Jean-C', type: 'phrase_prefix', fields: ['fields.title', 'fields.county'] } }],
    ['#search(title, "Jean-C")', { multi_match: { query: 'Jean-C', type: 'phrase_prefix', fields: ['fields.title'] } }],
    ['#search(title, title, jean)', { multi_match: { query: 'jean', type: 'phrase_prefix', fields: ['fields.title'] } }],
    ['#search(*, "Jean-C")', { multi_match: { query: 'Jean-C', type: 'phrase_prefix', fields: ['__all'] } }],
  ])('%s', (q, expected) => {
    expect(dsl(q)).toEqual(expected);
  });

  it('works on text fields only, and reports each bad field', () => {
    const e = errorOf('#search(population, recordid, nope, "x")');
    expect(e.extra.errors).toEqual([
      expect.objectContaining({ message: '#search works on text fields, not on int field "population"', position: 8 }),
      expect.objectContaining({ message: '#search works on text fields, not on text field "recordid"', position: 20 }),
      expect.objectContaining({ message: expect.stringContaining('unknown field "nope"'), position: 30 }),
    ]);
  });
});

describe('#startswith: case-sensitive prefix of the whole value', () => {
  it.each<[string, unknown]>([
    ['#startswith(title, "Par")', { prefix: { 'fields.title.keyword': 'Par' } }],
    ['#startswith(title, "a*b?[c]")', { prefix: { 'fields.title.keyword': 'a*b?[c]' } }],
    ['#startswith(recordid, "0a")', { prefix: { recordid: '0a' } }],
  ])('%s', (q, expected) => {
    expect(dsl(q)).toEqual(expected);
  });

  it('works on text fields only', () => {
    expect(errorOf('#startswith(population, "1")').message).toContain('#startswith works on text fields, not on int field "population"');
  });
});

describe('#distance', () => {
  it.each<[string, unknown]>([
    ['#distance(geo, "48.85, 2.35", 1000)', { geo_distance: { distance: '1000m', 'fields.geo': { lat: 48.85, lon: 2.35 } } }],
    ['#distance(geo, " +48.85 ,-2.35 ", 12.5)', { geo_distance: { distance: '12.5m', 'fields.geo': { lat: 48.85, lon: -2.35 } } }],
    // without a field: the dataset's geo_point_2d field
    ['#distance("48.866667,2.333333", 1000)', { geo_distance: { distance: '1000m', 'fields.geo': { lat: 48.866667, lon: 2.333333 } } }],
    ['#distance("0,0", 0)', { geo_distance: { distance: '0m', 'fields.geo': { lat: 0, lon: 0 } } }],
    ['#distance("0,0", 1e3)', { geo_distance: { distance: '1000m', 'fields.geo': { lat: 0, lon: 0 } } }],
  ])('%s', (q, expected) => {
    expect(dsl(q)).toEqual(expected);
  });

  it.each<[string, string, number]>([
    // positions point inside the string: its first character, or where it stops making sense
    ['#distance(geo, "91, 2", 10)', 'invalid #distance center "91, 2": latitude 91 is out of range (-90 to 90)', 16],
    ['#distance(geo, "1, 181", 10)', 'longitude 181 is out of range (-180 to 180)', 16],
    ['#distance(geo, "48.85", 10)', 'invalid #distance center "48.85": expected "latitude, longitude" in decimal degrees', 21],
    ['#distance(geo, "1,2", -5)', 'invalid #distance radius -5: expected a number of meters between 0 and 100000000', 22],
    ['#distance(shape, "1,2", 5)', '#distance works on a geo_point_2d field, not on geo_shape field "shape"', 10],
    ['#distance(title, "1,2", 5)', '#distance works on a geo_point_2d field, not on text field "title"', 10],
  ])('%s', (q, message, position) => {
    const e = errorOf(q);
    expect(e.message).toContain(message);
    expect(e.extra).toMatchObject({ position });
  });

  it('needs a geo_point_2d field when none is named', () => {
    const fields = FIELDS.filter((f) => f.type !== 'geo_point_2d');
    expect(errorOf('#distance("1,2", 5)', { schema: { fields } }).message).toContain(
      '#distance without a field needs a geo_point_2d field, and this dataset has none',
    );
    // a hidden point field is not used either
    expect(errorOf('#distance("1,2", 5)', { schema: { fields: FIELDS, hidden: new Set(['geo']) } }).message).toContain('has none');
  });
});

describe('#polygon', () => {
  // (lat,lon) pairs (48,2) (49,2) (49,3) are clockwise in (lon,lat): the ring is reversed and closed
  const ring = [[3, 49], [2, 49], [2, 48], [3, 49]];
  it.each<[string, unknown]>([
    ['#polygon(geo, "(48,2),(49,2),(49,3)")', { geo_shape: { 'fields.geo': { shape: { type: 'polygon', coordinates: [ring] }, relation: 'intersects' } } }],
    ['#polygon(shape, "(48,2), (49,2), (49,3), (48,2)")', { geo_shape: { 'fields.shape': { shape: { type: 'polygon', coordinates: [ring] }, relation: 'intersects' } } }],
    // counter-clockwise already: kept
    [
      '#polygon(geo, "(0,0)(0,1)(1,1)")',
      { geo_shape: { 'fields.geo': { shape: { type: 'polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, relation: 'intersects' } } },
    ],
  ])('%s', (q, expected) => {
    expect(dsl(q)).toEqual(expected);
  });

  it.each<[string, string]>([
    ['#polygon(geo, "(1,1),(2,2)")', 'a polygon needs at least 3 distinct points'],
    ['#polygon(geo, "(1,1),(2,2),(1,1),(2,2)")', 'a polygon needs at least 3 distinct points'],
    ['#polygon(geo, "(0,0),(1,1),(2,2)")', 'the polygon has no area (its points are aligned)'],
    ['#polygon(geo, "(0,0),(0,2),(1,0),(1,1)")', "the polygon's edges 2 and 4 cross each other"],
    ['#polygon(geo, "(0,0),(0,1),(1,0),(1,1)")', 'the polygon has no area'], // a symmetric bow tie
    ['#polygon(geo, "(0,0),(0,1),(95,1)")', 'latitude 95 is out of range'],
    ['#polygon(geo, "0,0,1,1,2,2")', 'expected a polygon as "(lat,lon),(lat,lon),(lat,lon),..."'],
    ['#polygon(title, "(0,0),(0,1),(1,1)")', '#polygon works on geo_point_2d and geo_shape fields, not on text field "title"'],
  ])('%s', (q, message) => {
    expect(errorOf(q).message).toContain(message);
  });

  it('limits the number of vertices', () => {
    const points = Array.from({ length: 12 }, (_, i) => `(${Math.sin(i) * 10},${Math.cos(i) * 10})`).join(',');
    expect(errorOf(`#polygon(geo, "${points}")`, { limits: { maxPolygonPoints: 10 } }).message).toContain(
      'the polygon has 12 points; at most 10 are allowed',
    );
  });
});

describe('#geometry', () => {
  it.each<[string, unknown]>([
    ['#geometry(shape, "polygon")', { term: { '__geo_type.shape': 'polygon' } }],
    ['#geometry(shape, MultiPolygon)', { term: { '__geo_type.shape': 'multipolygon' } }],
    ...['point', 'multipoint', 'linestring', 'multilinestring', 'geometrycollection'].map((t): [string, unknown] => [
      `#geometry(shape, "${t}")`,
      { term: { '__geo_type.shape': t } },
    ]),
    ['#geometry(geo, "point")', { exists: { field: 'fields.geo' } }],
    ['#geometry(geo, "polygon")', MATCH_NONE],
  ])('%s', (q, expected) => {
    expect(dsl(q)).toEqual(expected);
  });

  it('refuses unknown types and non-geo fields', () => {
    expect(errorOf('#geometry(shape, "circle")').message).toContain(
      'unknown geometry type "circle": expected point, multipoint, linestring, multilinestring, polygon, multipolygon, geometrycollection',
    );
    expect(errorOf('#geometry(title, "point")').message).toContain('#geometry works on geo_shape and geo_point_2d fields, not on text field "title"');
  });
});

describe("#attr: the caller's attribute", () => {
  it.each<[string, Record<string, string | string[]>, unknown]>([
    ['#attr(county, region)', { region: 'Wake' }, { term: { 'fields.county.keyword': 'Wake' } }],
    ['#attr(county, "region")', { region: ['Wake', 'Durham', 'Wake'] }, { terms: { 'fields.county.keyword': ['Wake', 'Durham'] } }],
    ['#attr(population, code)', { code: ['12', 'x', '3.5', ' 7 '] }, { terms: { 'fields.population': [12, 7] } }],
    ['#attr(area, code)', { code: ['3.5'] }, { term: { 'fields.area': 3.5 } }],
    ['#attr(recordid, id)', { id: 'abc' }, { term: { recordid: 'abc' } }],
    // no such attribute, an empty list, no usable value: nothing matches (a security filter fails closed)
    ['#attr(county, region)', {}, MATCH_NONE],
    ['#attr(county, region)', { region: [] }, MATCH_NONE],
    ['#attr(population, code)', { code: 'x' }, MATCH_NONE],
    ['#attr(county, constructor)', {}, MATCH_NONE],
    ['#attr(county, __proto__)', {}, MATCH_NONE],
    ['film OR #attr(county, region)', {}, { match_phrase_prefix: { __all: { query: 'film', zero_terms_query: 'all' } } }],
  ])('%s with %j', (q, attributes, expected) => {
    expect(dsl(q, { attributes })).toEqual(expected);
  });

  it('needs a text or numeric field', () => {
    expect(errorOf('#attr(founded, x)').message).toContain('#attr works on text and numeric fields, not on date field "founded"');
  });
});
