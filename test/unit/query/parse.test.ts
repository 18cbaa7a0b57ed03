/**
 * The grammar: q text → AST (shape without locations), precedence, operators, values, functions,
 * and where every node points into the text.
 */
import { parseQuery } from '../../../src/query/parse';
import type { QueryNode } from '../../../src/query/ast';
import { shape } from './fixtures';

const parse = (q: string): QueryNode => parseQuery(q, { parameter: 'q' }, 32);
const ast = (q: string): unknown => shape(parse(q));

const w = (text: string) => ({ type: 'word', text });
const and = (...children: unknown[]) => ({ type: 'and', children });
const or = (...children: unknown[]) => ({ type: 'or', children });
const not = (child: unknown) => ({ type: 'not', child });
const f = (name: string) => ({ name });
const t = (text: string, quoted = false) => ({ kind: 'text', text, quoted });
const cmp = (field: string, op: string, value: unknown) => ({ type: 'compare', field: f(field), op, value });

describe('boolean structure', () => {
  it.each<[string, unknown]>([
    ['film', w('film')],
    ['film festival', and(w('film'), w('festival'))],
    ['a AND b', and(w('a'), w('b'))],
    ['a OR b', or(w('a'), w('b'))],
    ['NOT a', not(w('a'))],
    // precedence NOT > AND > OR
    ['a OR b AND c', or(w('a'), and(w('b'), w('c')))],
    ['a AND b OR c', or(and(w('a'), w('b')), w('c'))],
    ['NOT a AND b', and(not(w('a')), w('b'))],
    ['NOT a OR b', or(not(w('a')), w('b'))],
    ['a AND NOT b OR c', or(and(w('a'), not(w('b'))), w('c'))],
    ['(a OR b) AND c', and(or(w('a'), w('b')), w('c'))],
    ['(film OR trees) AND paris', and(or(w('film'), w('trees')), w('paris'))],
    ['NOT (a OR b)', not(or(w('a'), w('b')))],
    ['NOT NOT a', not(not(w('a')))],
    // juxtaposition is AND, at AND's precedence
    ['a b OR c', or(and(w('a'), w('b')), w('c'))],
    ['a OR b c', or(w('a'), and(w('b'), w('c')))],
    ['a(b)', and(w('a'), w('b'))],
    // flat n-ary nodes, not right-recursive chains
    ['a OR b OR c OR d', or(w('a'), w('b'), w('c'), w('d'))],
    ['a AND b AND c d', and(w('a'), w('b'), w('c'), w('d'))],
    // parentheses make no node of their own
    ['((a))', w('a')],
    ['( a  OR  b )', or(w('a'), w('b'))],
  ])('%s', (q, expected) => {
    expect(ast(q)).toEqual(expected);
  });

  it('reads an empty or blank q as match_all', () => {
    expect(ast('')).toEqual({ type: 'match_all' });
    expect(ast(' \t\n ')).toEqual({ type: 'match_all' });
    expect(ast('*')).toEqual({ type: 'match_all' });
  });

  it('keeps lower-case and/or/not as words (French "or", English "and")', () => {
    expect(ast('a and b or not c')).toEqual(and(w('a'), w('and'), w('b'), w('or'), w('not'), w('c')));
    expect(ast('Or AND Not')).toEqual(and(w('Or'), w('Not')));
  });

  it('reads a "-" glued to a term as NOT, and a lone "-" as a word', () => {
    expect(ast('-a')).toEqual(not(w('a')));
    expect(ast('a -b')).toEqual(and(w('a'), not(w('b'))));
    expect(ast('-title:x')).toEqual(not(cmp('title', ':', t('x'))));
    expect(ast('-"a b"')).toEqual(not({ type: 'phrase', text: 'a b' }));
    expect(ast('-(a OR b)')).toEqual(not(or(w('a'), w('b'))));
    expect(ast('--a')).toEqual(not(not(w('a'))));
    expect(ast('a - b')).toEqual(and(w('a'), w('-'), w('b')));
    expect(ast('jean-claude')).toEqual(w('jean-claude'));
    expect(ast('-')).toEqual(w('-'));
  });

  it('keeps keywords glued to letters as words', () => {
    expect(ast('ANDROID ORANGE NOTE')).toEqual(and(w('ANDROID'), w('ORANGE'), w('NOTE')));
    expect(ast('a AND(b)')).toEqual(and(w('a'), w('b')));
  });
});

describe('full text', () => {
  it.each<[string, unknown]>([
    ['"film festival"', { type: 'phrase', text: 'film festival' }],
    ["'film festival'", { type: 'phrase', text: 'film festival' }],
    ['"say \\"hi\\" \\\\ there"', { type: 'phrase', text: 'say "hi" \\ there' }],
    ["l'étoile", w("l'étoile")],
    ['film*', w('film*')],
    ['c# 3.5 2016/09 a,b', and(w('c#'), w('3.5'), w('2016/09'), w('a,b'))],
  ])('%s', (q, expected) => {
    expect(ast(q)).toEqual(expected);
  });
});

describe('field queries', () => {
  it.each(['::', ':', '=', '==', '>', '>=', '<', '<='].slice(1))('operator %s, with or without spaces', (op) => {
    expect(ast(`population${op}5`)).toEqual(cmp('population', op, t('5')));
    expect(ast(`population ${op} 5`)).toEqual(cmp('population', op, t('5')));
  });

  it.each<[string, unknown]>([
    ['title:paris', cmp('title', ':', t('paris'))],
    ['title:"la défense"', cmp('title', ':', t('la défense', true))],
    ["recordid:'0a1b'", cmp('recordid', ':', t('0a1b', true))],
    ["title:l'étoile", cmp('title', ':', t("l'étoile"))],
    ['title:*', cmp('title', ':', { kind: 'any' })],
    ['county==wake', cmp('county', '==', t('wake'))],
    ['population:-5', cmp('population', ':', t('-5'))],
    ['updated:2020-01-01T10:00:00Z', cmp('updated', ':', { ...t('2020-01-01T10:00:00Z'), date: { year: 2020, month: 1, day: 1, hour: 10, minute: 0, second: 0, zone: { offsetMinutes: 0 } } })],
    ['founded<=2016/09', cmp('founded', '<=', { ...t('2016/09'), date: { year: 2016, month: 9 } })],
    ['updated>="2020-01-01 10:00"', cmp('updated', '>=', { ...t('2020-01-01 10:00', true), date: { year: 2020, month: 1, day: 1, hour: 10, minute: 0 } })],
    ['title:paris london', and(cmp('title', ':', t('paris')), w('london'))],
    ['title:(paris)', null],
  ])('%s', (q, expected) => {
    if (expected === null) expect(() => parse(q)).toThrow();
    else expect(ast(q)).toEqual(expected);
  });

  it('reads ranges, inclusive, with open ends', () => {
    expect(ast('founded:[2015 TO 2016/02]')).toEqual({
      type: 'range',
      field: f('founded'),
      from: { ...t('2015'), date: { year: 2015 } },
      to: { ...t('2016/02'), date: { year: 2016, month: 2 } },
    });
    expect(ast('population:[* to 10]')).toEqual({ type: 'range', field: f('population'), from: { kind: 'any' }, to: t('10') });
    expect(ast('title:[ "a b" TO m ]')).toEqual({ type: 'range', field: f('title'), from: t('a b', true), to: t('m') });
  });

  it('reads #now values with every argument form', () => {
    expect(ast('updated >= #now(years=-1, hours=+2, weekday=MO(2), weekday=TU, weekday=3, weekday=fr(-1))')).toEqual(
      cmp('updated', '>=', {
        kind: 'now',
        args: [
          { name: 'years', value: { kind: 'int', value: -1 } },
          { name: 'hours', value: { kind: 'int', value: 2 } },
          { name: 'weekday', value: { kind: 'weekday', day: 'MO', nth: 2 } },
          { name: 'weekday', value: { kind: 'weekday', day: 'TU', nth: null } },
          { name: 'weekday', value: { kind: 'int', value: 3 } },
          { name: 'weekday', value: { kind: 'weekday', day: 'FR', nth: -1 } },
        ],
      }),
    );
    expect(ast('updated>#NOW()')).toEqual(cmp('updated', '>', { kind: 'now', args: [] }));
  });
});

describe('# functions', () => {
  it.each<[string, unknown]>([
    ['#null(photo)', { type: 'is_null', field: f('photo') }],
    ['NOT #null(photo)', not({ type: 'is_null', field: f('photo') })],
    ['#exact(title, "Paris")', { type: 'exact', field: f('title'), value: t('Paris', true) }],
    ['#exact( title , Paris )', { type: 'exact', field: f('title'), value: t('Paris') }],
    ['#search(title, county, "Jean-C")', { type: 'search', fields: [f('title'), f('county')], all: false, text: t('Jean-C', true) }],
    ['#search(title, jean)', { type: 'search', fields: [f('title')], all: false, text: t('jean') }],
    ['#search(*, "x y")', { type: 'search', fields: [], all: true, text: t('x y', true) }],
    ['#startswith(title, "Par")', { type: 'starts_with', field: f('title'), prefix: t('Par', true) }],
    ['#distance(geo, "48.85, 2.35", 1000)', { type: 'distance', field: f('geo'), center: t('48.85, 2.35', true), radius: { kind: 'number', text: '1000' } }],
    ['#distance("48.85,2.35", 1e3)', { type: 'distance', field: null, center: t('48.85,2.35', true), radius: { kind: 'number', text: '1e3' } }],
    ['#polygon(geo, "(1,1),(1,2),(2,2)")', { type: 'polygon', field: f('geo'), points: t('(1,1),(1,2),(2,2)', true) }],
    ['#geometry(shape, "polygon")', { type: 'geometry', field: f('shape'), shape: t('polygon', true) }],
    ['#attr(county, region)', { type: 'attr', field: f('county'), attribute: t('region') }],
    ['#NULL(photo)', { type: 'is_null', field: f('photo') }],
  ])('%s', (q, expected) => {
    expect(ast(q)).toEqual(expected);
  });
});

describe('locations', () => {
  it('puts the location of its text on every node', () => {
    const q = 'film AND (population > 5 OR NOT #null(photo))';
    const root = parse(q);
    const seen: string[] = [];
    const visit = (n: QueryNode): void => {
      expect(n.location.start.offset).toBeGreaterThanOrEqual(0);
      seen.push(q.slice(n.location.start.offset, n.location.end.offset));
      if (n.type === 'and' || n.type === 'or') n.children.forEach(visit);
      if (n.type === 'not') visit(n.child);
    };
    visit(root);
    expect(seen).toEqual([q, 'film', 'population > 5 OR NOT #null(photo)', 'population > 5', 'NOT #null(photo)', '#null(photo)']);
  });

  it('gives lines and columns on a multi-line q', () => {
    const root = parse('a\n  title:x');
    expect(root.type === 'and' && root.children[1]!.location.start).toEqual({ offset: 4, line: 2, column: 3 });
  });

  it('points a field reference and a value at their own text', () => {
    const root = parse('x AND population >= 12');
    if (root.type !== 'and' || root.children[1]!.type !== 'compare') throw new Error('unexpected shape');
    const c = root.children[1];
    expect(c.field.location.start.offset).toBe(6);
    expect(c.value.location.start.offset).toBe(20);
  });
});
