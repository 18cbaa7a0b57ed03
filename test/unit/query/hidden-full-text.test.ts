/**
 * Full text for a caller with hidden fields: `__all` holds a copy of every text field, hidden ones
 * included, so a caller with a hidden TEXT field searches its visible text fields one by one instead
 * (src/query/resolve-field.ts fullTextPaths). Nothing hidden, or only non-text fields hidden: `__all`.
 */
import { fullTextPaths } from '../../../src/query';
import { dsl, dslAll, errorOf, FIELDS, phrase, prefixWord } from './fixtures';

const hiding = (...names: string[]) => ({ schema: { fields: FIELDS, hidden: new Set(names) } });
/** The visible text fields of FIELDS when `secret` is hidden, in descriptor order. */
const VISIBLE_TEXT = ['fields.title', 'fields.county', 'fields.tags'];

describe('fullTextPaths', () => {
  it.each([
    ['nothing hidden', [], ['__all']],
    ['a number hidden', ['population'], ['__all']],
    ['a point and a date hidden', ['geo', 'founded'], ['__all']],
    ['a text field hidden', ['secret'], VISIBLE_TEXT],
    ['two text fields hidden', ['secret', 'county'], ['fields.title', 'fields.tags']],
    ['every text field hidden', ['secret', 'county', 'title', 'tags'], []],
    // Callers usually pass the descriptor without its hidden fields: a name the schema does not
    // know may be a text field, so it is treated as one (fail closed).
    ['a field absent from the schema hidden', ['ssn'], ['fields.title', 'fields.county', 'fields.tags', 'fields.secret']],
  ])('%s → %j', (_label, hidden, expected) => {
    expect(fullTextPaths({ fields: FIELDS, hidden: new Set(hidden) })).toEqual(expected);
  });
});

describe('words, phrases and #search(*) never reach a hidden text field', () => {
  it.each([
    ['frank', { multi_match: { query: 'frank', type: 'phrase_prefix', fields: VISIBLE_TEXT, zero_terms_query: 'all' } }],
    ['"666-66"', { multi_match: { query: '666-66', type: 'phrase', fields: VISIBLE_TEXT, zero_terms_query: 'all' } }],
    ['#search(*, "Jean-C")', { multi_match: { query: 'Jean-C', type: 'phrase_prefix', fields: VISIBLE_TEXT } }],
    ['#search(title, "Jean-C")', { multi_match: { query: 'Jean-C', type: 'phrase_prefix', fields: ['fields.title'] } }],
  ])('%s with `secret` hidden', (q, expected) => {
    expect(dsl(q, hiding('secret'))).toEqual(expected);
  });

  it('keeps __all when only non-text fields are hidden', () => {
    expect(dsl('frank', hiding('population', 'geo'))).toEqual(prefixWord('frank'));
    expect(dsl('"a b"', hiding('population'))).toEqual(phrase('a b'));
    expect(dsl('#search(*, x)', hiding('population'))).toEqual({ multi_match: { query: 'x', type: 'phrase_prefix', fields: ['__all'] } });
  });

  it('matches nothing when every text field is hidden', () => {
    const none = { bool: { must_not: { match_all: {} } } };
    const all = hiding('secret', 'county', 'title', 'tags');
    expect(dsl('frank', all)).toEqual(none);
    expect(dsl('"a b"', all)).toEqual(none);
    expect(dsl('#search(*, x)', all)).toEqual(none);
  });

  it('counts a word once per field searched against maxClauses', () => {
    // 3 visible text fields: 341 words are 1023 clauses, 342 are 1026.
    const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
    expect(() => dslAll([words(341)], hiding('secret'))).not.toThrow();
    const e = errorOf(() => dslAll([words(342)], hiding('secret')));
    expect(e.message).toBe(
      'Invalid query in parameter "q": the query has more than 1024 terms, field queries and functions (a word or phrase counts once per text field searched)',
    );
    // Field queries count once whatever the schema: 1000 of them and 8 words are 1024 clauses.
    const fieldQueries = Array.from({ length: 1000 }, (_, i) => `area=${i % 10}`).join(' ');
    expect(() => dslAll([fieldQueries, words(8)], hiding('secret'))).not.toThrow();
    expect(() => dslAll([fieldQueries, words(9)], hiding('secret'))).toThrow(/more than 1024 terms/);
  });
});
