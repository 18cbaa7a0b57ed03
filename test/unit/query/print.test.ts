/**
 * printQuery: the canonical text of a query, which parses back to the same tree.
 */
import { printQuery } from '../../../src/query';
import { parseQuery } from '../../../src/query/parse';
import { shape } from './fixtures';

const parse = (q: string) => parseQuery(q, { parameter: 'q' }, 32);

describe('printQuery', () => {
  it.each<[string, string]>([
    ['film festival', 'film AND festival'],
    ['a OR b c', 'a OR (b AND c)'],
    ['(a OR b) c', '(a OR b) AND c'],
    ['-a', 'NOT a'],
    ['NOT (a b)', 'NOT (a AND b)'],
    ["'film  festival'", '"film  festival"'],
    ['"say \\"hi\\""', '"say \\"hi\\""'],
    ['title : paris', 'title:paris'],
    ["recordid:'abc'", 'recordid:"abc"'],
    ['population >= 5', 'population>=5'],
    ['population:[* TO 5]', 'population:[* TO 5]'],
    ['updated >= #now( days = -1 , weekday=mo(2) )', 'updated>=#now(days=-1, weekday=MO(2))'],
    ['#search(title, county, "Jean-C")', '#search(title, county, "Jean-C")'],
    ['#search(*, x)', '#search(*, x)'],
    ['#distance("48.85, 2.35", 1e3)', '#distance("48.85, 2.35", 1e3)'],
    ['#NULL(photo)', '#null(photo)'],
    ['', '*'],
    // found by the fuzz tests
    ['a < =b', 'a< =b'],
    ['a<*"x"', 'a<* AND "x"'],
  ])('%s → %s', (q, printed) => {
    expect(printQuery(parse(q))).toBe(printed);
    expect(shape(parse(printed))).toEqual(shape(parse(q)));
  });
});
