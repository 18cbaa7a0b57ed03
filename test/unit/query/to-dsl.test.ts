/**
 * Translation to OpenSearch DSL: full text, boolean operators (flattened), field queries on every
 * field type. Each case is the whole expected query.
 */
import { dsl, dslAll, errorOf, phrase, prefixWord } from './fixtures';

const MATCH_NONE = { bool: { must_not: { match_all: {} } } };

describe('full text', () => {
  it.each<[string, unknown]>([
    ['film', prefixWord('film')],
    ['Étoile', prefixWord('Étoile')],
    // one word the analyzer splits stays one phrase prefix: "jean" then "claude*"
    ['jean-claude', prefixWord('jean-claude')],
    ["l'étoile", prefixWord("l'étoile")],
    ['"film festival"', phrase('film festival')],
    ["'film'", phrase('film')],
    ['film festival', { bool: { must: [prefixWord('film'), prefixWord('festival')] } }],
    ['*', { match_all: {} }],
    ['', { match_all: {} }],
  ])('%s', (q, expected) => {
    expect(dsl(q)).toEqual(expected);
  });
});

describe('boolean operators', () => {
  it.each<[string, unknown]>([
    ['a OR b', { bool: { should: [prefixWord('a'), prefixWord('b')], minimum_should_match: 1 } }],
    ['a AND b', { bool: { must: [prefixWord('a'), prefixWord('b')] } }],
    ['NOT a', { bool: { must_not: [prefixWord('a')] } }],
    ['-a', { bool: { must_not: [prefixWord('a')] } }],
    ['a -b', { bool: { must: [prefixWord('a')], must_not: [prefixWord('b')] } }],
    ['a AND NOT b AND NOT c', { bool: { must: [prefixWord('a')], must_not: [prefixWord('b'), prefixWord('c')] } }],
    ['NOT NOT a', prefixWord('a')],
    ['NOT (a OR b)', { bool: { must_not: [{ bool: { should: [prefixWord('a'), prefixWord('b')], minimum_should_match: 1 } }] } }],
    ['a OR NOT b', { bool: { should: [prefixWord('a'), { bool: { must_not: [prefixWord('b')] } }], minimum_should_match: 1 } }],
    [
      '(film OR trees) AND paris',
      { bool: { must: [{ bool: { should: [prefixWord('film'), prefixWord('trees')], minimum_should_match: 1 } }, prefixWord('paris')] } },
    ],
    [
      'a OR b AND c',
      { bool: { should: [prefixWord('a'), { bool: { must: [prefixWord('b'), prefixWord('c')] } }], minimum_should_match: 1 } },
    ],
    // same-kind nesting is merged: one bool per alternation
    ['(a OR b) OR (c OR d)', { bool: { should: ['a', 'b', 'c', 'd'].map(prefixWord), minimum_should_match: 1 } }],
    ['a AND (b AND (c d))', { bool: { must: ['a', 'b', 'c', 'd'].map(prefixWord) } }],
    ['a AND (b -c)', { bool: { must: [prefixWord('a'), prefixWord('b')], must_not: [prefixWord('c')] } }],
    // match_all is neutral in AND and absorbing in OR
    ['a AND *', prefixWord('a')],
    ['a OR *', { match_all: {} }],
    ['NOT *', MATCH_NONE],
    ['a AND NOT *', MATCH_NONE],
    ['a OR NOT *', prefixWord('a')],
  ])('%s', (q, expected) => {
    expect(dsl(q)).toEqual(expected);
  });

  it('ANDs every q of a request into one flat bool', () => {
    expect(dslAll(['a b', 'c', { parameter: 'q.timerange', q: 'founded>2016' }, ''])).toEqual({
      bool: { must: [prefixWord('a'), prefixWord('b'), prefixWord('c'), { range: { 'fields.founded': { gte: '2017-01-01' } } }] },
    });
    expect(dslAll(['a OR b', 'NOT c'])).toEqual({
      bool: { must: [{ bool: { should: [prefixWord('a'), prefixWord('b')], minimum_should_match: 1 } }], must_not: [prefixWord('c')] },
    });
    expect(dslAll([])).toEqual({ match_all: {} });
    expect(dslAll(['', ' '])).toEqual({ match_all: {} });
  });
});

describe('field queries on text fields', () => {
  it.each<[string, unknown]>([
    // ":" and "=": the words of the value, in order, anywhere in the field (whole words, no prefix)
    ['title:paris', { match_phrase: { 'fields.title': { query: 'paris' } } }],
    ['title=paris', { match_phrase: { 'fields.title': { query: 'paris' } } }],
    ['title:"Paris by night"', { match_phrase: { 'fields.title': { query: 'Paris by night' } } }],
    ['tags:foo', { match_phrase: { 'fields.tags': { query: 'foo' } } }],
    // "==": the whole value, case and accents ignored (the .lower normalizer applies to the query term too)
    ['county==wake', { term: { 'fields.county.lower': 'wake' } }],
    ['county == "Wake County"', { term: { 'fields.county.lower': 'Wake County' } }],
    // comparisons: lexicographic on the exact keyword
    ['title>m', { range: { 'fields.title.keyword': { gt: 'm' } } }],
    ['title>=m', { range: { 'fields.title.keyword': { gte: 'm' } } }],
    ['title<m', { range: { 'fields.title.keyword': { lt: 'm' } } }],
    ['title<="M z"', { range: { 'fields.title.keyword': { lte: 'M z' } } }],
    ['title:[a TO m]', { range: { 'fields.title.keyword': { gte: 'a', lte: 'm' } } }],
    ['title:[* TO m]', { range: { 'fields.title.keyword': { lte: 'm' } } }],
    ['title:*', { exists: { field: 'fields.title' } }],
    // a date-shaped or numeric value on a text field is just text
    ['title:2016', { match_phrase: { 'fields.title': { query: '2016' } } }],
  ])('%s', (q, expected) => {
    expect(dsl(q)).toEqual(expected);
  });
});

describe('the pseudo-fields', () => {
  const id = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567';
  it.each<[string, unknown]>([
    [`recordid:'${id}'`, { term: { recordid: id } }],
    [`recordid:${id}`, { term: { recordid: id } }],
    [`recordid==${id}`, { term: { recordid: id } }],
    ['recordid>0a', { range: { recordid: { gt: '0a' } } }],
    ['record_timestamp>=2020', { range: { record_timestamp: { gte: '2020-01-01T00:00:00.000Z' } } }],
    ['NOT #null(recordid)', { exists: { field: 'recordid' } }],
  ])('%s', (q, expected) => {
    expect(dsl(q)).toEqual(expected);
  });
});

describe('field queries on numbers', () => {
  it.each<[string, unknown]>([
    ['population:1000', { term: { 'fields.population': 1000 } }],
    ['population=1000', { term: { 'fields.population': 1000 } }],
    ['population==1000', { term: { 'fields.population': 1000 } }],
    ['population:"1000"', { term: { 'fields.population': 1000 } }],
    ['population:-5', { term: { 'fields.population': -5 } }],
    ['population>1000', { range: { 'fields.population': { gt: 1000 } } }],
    ['population >= 1000', { range: { 'fields.population': { gte: 1000 } } }],
    ['population<1e3', { range: { 'fields.population': { lt: 1000 } } }],
    ['population<=+7', { range: { 'fields.population': { lte: 7 } } }],
    ['area:12.5', { term: { 'fields.area': 12.5 } }],
    ['area>.5', { range: { 'fields.area': { gt: 0.5 } } }],
    ['population:[10 TO 20]', { range: { 'fields.population': { gte: 10, lte: 20 } } }],
    ['area:[-1.5 TO *]', { range: { 'fields.area': { gte: -1.5 } } }],
    ['population:[* TO *]', { exists: { field: 'fields.population' } }],
    ['population:*', { exists: { field: 'fields.population' } }],
    ['population:[1000 TO 20000] AND area<12.5', {
      bool: { must: [{ range: { 'fields.population': { gte: 1000, lte: 20000 } } }, { range: { 'fields.area': { lt: 12.5 } } }] },
    }],
  ])('%s', (q, expected) => {
    expect(dsl(q)).toEqual(expected);
  });

  it.each<[string, string]>([
    ['population>abc', '"abc" is not a valid value for int field "population": expected an integer'],
    ['population:12.5', '"12.5" is not a valid value for int field "population": expected an integer'],
    ['population:99999999999999999999', 'expected an integer'],
    ['area:1,5', '"1,5" is not a valid value for double field "area": expected a number'],
    ['area:[1 TO x]', '"x" is not a valid value for double field "area"'],
    ['population>=#now()', '#now() can only be compared with a date or datetime field, not with int field "population"'],
    ['title:#now()', '#now() can only be compared with a date or datetime field, not with text field "title"'],
    ['population>*', '"*" (any value) only goes with ":", as in population:*'],
  ])('%s is a 400 naming the problem', (q, message) => {
    const e = errorOf(q);
    expect(e.kind).toBe('query_semantic');
    expect(e.message).toContain(message);
  });
});

describe('fields that take no value', () => {
  it.each<[string, string]>([
    ['geo:1', 'geo_point_2d field "geo" cannot be used with ":": use #distance(...), #polygon(...) or #null(...)'],
    ['shape>1', 'geo_shape field "shape" cannot be used with ">": use #polygon(...), #geometry(...) or #null(...)'],
    ['photo:x', 'file field "photo" cannot be used with ":": a file field can only be tested with #null(...)'],
    ['geo:[1 TO 2]', 'geo_point_2d field "geo" has no order: [a TO b] works on text, numbers and dates'],
  ])('%s', (q, message) => {
    expect(errorOf(q).message).toContain(message);
  });
});
