import { parseGroupBy, parseOrderBy, parseSelect, parseWhere } from '../../../src/odsql/parse';
import { GatewayError } from '../../../src/errors';

/** The tree without locations, to compare shapes. */
const shape = (x: unknown): unknown => JSON.parse(JSON.stringify(x, (k, v) => (k === 'location' ? undefined : v)));

function syntaxErrorOf(f: () => unknown): GatewayError {
  try {
    f();
  } catch (e) {
    if (e instanceof GatewayError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('ODSQL where', () => {
  test('the client README example: field, colon, single-quoted string', () => {
    expect(shape(parseWhere("country_code:'FR'"))).toEqual({
      type: 'compare',
      field: { kind: 'field', name: 'country_code' },
      op: ':',
      value: { kind: 'string', value: 'FR' },
    });
  });

  test('AND binds tighter than OR; NOT binds tightest; keywords in any case', () => {
    const t = shape(parseWhere('a > 1 or b < 2 AND NOT "paris"')) as { type: string; children: { type: string }[] };
    expect(t.type).toBe('or');
    expect(t.children.map((c) => c.type)).toEqual(['compare', 'and']);
    expect(shape(parseWhere('not not "x"'))).toEqual({ type: 'not', child: { type: 'not', child: { type: 'search_text', text: { kind: 'string', value: 'x' } } } });
  });

  test('null, boolean, in, like and range forms', () => {
    expect(shape(parseWhere('x is not null'))).toEqual({ type: 'is_null', field: { kind: 'field', name: 'x' }, negated: true });
    expect(shape(parseWhere('flag'))).toEqual({ type: 'is_bool', field: { kind: 'field', name: 'flag' }, value: true });
    expect(shape(parseWhere('flag is not true'))).toMatchObject({ type: 'is_bool', value: false });
    expect(shape(parseWhere('n in ]1..10]'))).toMatchObject({ type: 'in_range', lowInclusive: false, highInclusive: true, low: { text: '1' }, high: { text: '10' } });
    expect(shape(parseWhere("d: [date'2017' TO date'2018'["))).toMatchObject({ type: 'in_range', low: { kind: 'date', text: '2017' }, highInclusive: false });
    expect(shape(parseWhere(`name in ("a", 'b')`))).toMatchObject({ type: 'in_list', values: [{ value: 'a' }, { value: 'b' }] });
    expect(shape(parseWhere('name not like "star"'))).toMatchObject({ type: 'not', child: { type: 'like', pattern: { value: 'star' } } });
    expect(shape(parseWhere('d < now(days=-1)'))).toMatchObject({ type: 'compare', op: '<', value: { kind: 'now', args: [{ name: 'days', value: -1 }] } });
    expect(shape(parseWhere('a != 3'))).toMatchObject({ op: '!=' });
    expect(shape(parseWhere('a <> 3'))).toMatchObject({ op: '!=' });
  });

  test('predicates: geometry literals and distances', () => {
    expect(shape(parseWhere("within_distance(geo, geom'POINT(2.3 48.8)', 10km)"))).toEqual({
      type: 'predicate',
      call: {
        kind: 'call',
        name: 'within_distance',
        args: [
          { kind: 'field', name: 'geo' },
          { kind: 'geom', text: 'POINT(2.3 48.8)' },
          { kind: 'distance', value: 10, unit: 'km' },
        ],
      },
    });
    expect(shape(parseWhere('IN_BBOX(geo, 48.8, 2.3, -48.9, 2.4)'))).toMatchObject({ call: { name: 'in_bbox', args: [{}, { text: '48.8' }, { text: '2.3' }, { text: '-48.9' }, { text: '2.4' }] } });
    expect(shape(parseWhere('search(name, "pa") and suggest("par")'))).toMatchObject({ type: 'and' });
  });

  test('back-quoted field names: keywords and digits', () => {
    expect(shape(parseWhere('`and` = 1'))).toMatchObject({ field: { name: 'and' } });
    expect(shape(parseWhere('`12` > 10'))).toMatchObject({ field: { name: '12' } });
  });

  test('strings: escapes and doubled quotes', () => {
    expect(shape(parseWhere(`name = "a \\"b\\""`))).toMatchObject({ value: { value: 'a "b"' } });
    expect(shape(parseWhere(`name = 'l''eau'`))).toMatchObject({ value: { value: "l'eau" } });
  });

  test('errors name the parameter, the position and what was expected', () => {
    const e = syntaxErrorOf(() => parseWhere('population >'));
    expect(e.kind).toBe('query_syntax');
    expect(e.extra).toMatchObject({ parameter: 'where', position: 12, line: 1, column: 13 });
    expect(e.message).toMatch(/parameter "where" at offset 12/);
    const e2 = syntaxErrorOf(() => parseWhere('a and and b', 'refine'));
    expect(e2.extra).toMatchObject({ parameter: 'refine' });
  });

  test('a scalar function compared with a value parses; compared with something else it is refused by name', () => {
    expect(parseWhere('year(d) = 2020')).toMatchObject({ type: 'compare_call', call: { name: 'year' }, op: '=', value: { kind: 'number', text: '2020' } });
    const e = syntaxErrorOf(() => parseWhere('year(d) = e'));
    expect(e.message).toMatch(/year\(\) can only be compared with a value/);
    expect(e.extra).toMatchObject({ position: 0 });
  });

  test('deep nesting is refused before parsing', () => {
    const e = syntaxErrorOf(() => parseWhere('('.repeat(40) + 'a' + ')'.repeat(40)));
    expect(e.kind).toBe('bad_parameter');
    expect(e.extra).toMatchObject({ limit: 'maxDepth' });
  });
});

describe('ODSQL select, group_by, order_by', () => {
  test('aggregates, aliases, distinct, percentile, include', () => {
    const items = shape(parseSelect('count(*) as n, avg(pop), percentile(pop, 90), count(distinct name), *, include(po*)')) as unknown[];
    expect(items).toEqual([
      { kind: 'item', alias: 'n', expr: { kind: 'call', name: 'count', args: [{ kind: 'star' }] } },
      { kind: 'item', alias: null, expr: { kind: 'call', name: 'avg', args: [{ kind: 'field', name: 'pop' }] } },
      { kind: 'item', alias: null, expr: { kind: 'call', name: 'percentile', args: [{ kind: 'field', name: 'pop' }, { kind: 'number', text: '90' }] } },
      { kind: 'item', alias: null, expr: { kind: 'call', name: 'count', args: [{ kind: 'distinct', expr: { kind: 'field', name: 'name' } }] } },
      { kind: 'select_all' },
      { kind: 'include', patterns: ['po*'] },
    ]);
  });

  test('arithmetic keeps precedence', () => {
    expect(shape(parseSelect('a + 2 * b as c'))).toEqual([
      {
        kind: 'item',
        alias: 'c',
        expr: { kind: 'binary', op: '+', left: { kind: 'field', name: 'a' }, right: { kind: 'binary', op: '*', left: { kind: 'number', text: '2' }, right: { kind: 'field', name: 'b' } } },
      },
    ]);
  });

  test('group_by: static ranges, intervals, date functions', () => {
    expect(shape(parseGroupBy('range(pop, ]10, 50[), range(d, 1 month), range(d, 1d), date_format(d, "yyyy-MM") as m, year(d), country'))).toEqual([
      { kind: 'item', alias: null, expr: { kind: 'call', name: 'range', args: [{ kind: 'field', name: 'pop' }, { kind: 'steps', openLow: true, openHigh: true, values: [{ kind: 'number', text: '10' }, { kind: 'number', text: '50' }] }] } },
      { kind: 'item', alias: null, expr: { kind: 'call', name: 'range', args: [{ kind: 'field', name: 'd' }, { kind: 'interval', count: 1, unit: 'month' }] } },
      { kind: 'item', alias: null, expr: { kind: 'call', name: 'range', args: [{ kind: 'field', name: 'd' }, { kind: 'interval', count: 1, unit: 'd' }] } },
      { kind: 'item', alias: 'm', expr: { kind: 'call', name: 'date_format', args: [{ kind: 'field', name: 'd' }, { kind: 'string', value: 'yyyy-MM' }] } },
      { kind: 'item', alias: null, expr: { kind: 'call', name: 'year', args: [{ kind: 'field', name: 'd' }] } },
      { kind: 'item', alias: null, expr: { kind: 'field', name: 'country' } },
    ]);
  });

  test('order_by: directions default to asc', () => {
    expect(shape(parseOrderBy('count(*) DESC, name'))).toEqual([
      { direction: 'desc', expr: { kind: 'call', name: 'count', args: [{ kind: 'star' }] } },
      { direction: 'asc', expr: { kind: 'field', name: 'name' } },
    ]);
    expect(shape(parseOrderBy('-population'))).toEqual([{ direction: 'desc', expr: { kind: 'field', name: 'population' } }]);
  });

  test('locations point into the text', () => {
    const [item] = parseSelect('  sum(pop) as s');
    expect(item!.location.start.offset).toBe(2);
  });
});
