/**
 * Error messages: position, expectation, caret excerpt, and the structured `extra` of the v1 body.
 * Whole messages are compared, as Kibana tests its KQLSyntaxError.
 */
import { GatewayError } from '../../../src/errors';
import { FIELDS, dsl, dslAll, errorOf } from './fixtures';

describe('syntax errors', () => {
  it.each<[string, string]>([
    [
      'title:',
      'Invalid query in parameter "q" at offset 6 (line 1, column 7): expected quoted string, value, "#now", "*" or "[" but end of input found\n' +
        'title:\n' +
        '------^',
    ],
    [
      '"film',
      'Invalid query in parameter "q" at offset 5 (line 1, column 6): expected character or closing quote (") but end of input found\n' +
        '"film\n' +
        '-----^',
    ],
    [
      '"',
      'Invalid query in parameter "q" at offset 1 (line 1, column 2): expected character or closing quote (") but end of input found\n' +
        '"\n' +
        '-^',
    ],
    [
      'a AND',
      'Invalid query in parameter "q" at offset 5 (line 1, column 6): expected #function, field name, quoted string, word, "(", "*", "-" or "NOT" but end of input found\n' +
        'a AND\n' +
        '-----^',
    ],
    [
      '(a OR b',
      // b could still be a field name: the operators are listed too
      'Invalid query in parameter "q" at offset 7 (line 1, column 8): expected #function, field name, operator, quoted string, word, "(", ")", "*", "-", ":", "AND", "NOT" or "OR" but end of input found\n' +
        '(a OR b\n' +
        '-------^',
    ],
    [
      'a)',
      'Invalid query in parameter "q" at offset 1 (line 1, column 2): expected #function, field name, operator, quoted string, word, "(", "*", "-", ":", "AND", "NOT", "OR" or end of input but ")" found\n' +
        'a)\n' +
        '-^',
    ],
    [
      'population:[1 TO',
      'Invalid query in parameter "q" at offset 16 (line 1, column 17): expected whitespace but end of input found\n' +
        'population:[1 TO\n' +
        '----------------^',
    ],
    [
      '#foo(title)',
      'Invalid query in parameter "q" at offset 0 (line 1, column 1): unknown function #foo: expected #null, #exact, #search, #startswith, #distance, #polygon, #geometry or #attr\n' +
        '#foo(title)\n' +
        '^',
    ],
    [
      '#null(title',
      'Invalid query in parameter "q" at offset 11 (line 1, column 12): expected ")" but end of input found\n' + '#null(title\n' + '-----------^',
    ],
    [
      '#distance(geo, 48.85, 2.35, 100)',
      'Invalid query in parameter "q" at offset 15 (line 1, column 16): expected quoted string but "48" found\n' +
        '#distance(geo, 48.85, 2.35, 100)\n' +
        '---------------^',
    ],
    [
      'a\n  b:',
      'Invalid query in parameter "q" at offset 6 (line 2, column 5): expected quoted string, value, "#now", "*" or "[" but end of input found\n' +
        '  b:\n' +
        '----^',
    ],
  ])('%j', (q, message) => {
    const e = errorOf(q);
    expect(e).toBeInstanceOf(GatewayError);
    expect(e.kind).toBe('query_syntax');
    expect(e.status).toBe(400);
    expect(e.message).toBe(message);
  });

  it('puts the position, the expectations and what was found in `extra`', () => {
    expect(errorOf('title:').extra).toEqual({
      parameter: 'q',
      position: 6,
      line: 1,
      column: 7,
      expected: ['quoted string', 'value', '"#now"', '"*"', '"["'],
      found: null,
    });
    expect(errorOf('updated>=#now(weekday=XX)').extra).toEqual({
      parameter: 'q',
      position: 22,
      line: 1,
      column: 23,
      expected: ['integer', 'weekday (MO, TU, WE, TH, FR, SA, SU)'],
      found: 'XX',
    });
  });

  it('cuts the excerpt of a long q around the position', () => {
    const q = `${'a '.repeat(100)}title: ${'b '.repeat(100)}`;
    const lines = errorOf(`${q}(`).message.split('\n');
    expect(lines[1]!.length).toBeLessThanOrEqual(122);
    expect(lines[1]!.startsWith('…')).toBe(true);
    expect(lines[1]!.endsWith('…')).toBe(false);
    // the error is at the end of q, just after the "(": the caret sits one past the excerpt's end
    expect(lines[1]!.endsWith('b (')).toBe(true);
    expect(lines[2]).toBe(`${'-'.repeat(lines[1]!.length)}^`);
  });
});

describe('semantic errors', () => {
  it('names an unknown field, its position, and the closest known fields', () => {
    const e = errorOf('film AND popultion > 5');
    expect(e.kind).toBe('query_semantic');
    expect(e.message).toBe(
      'Invalid query in parameter "q" at offset 9 (line 1, column 10): unknown field "popultion"; known fields, closest first: population, county, photo, founded, updated (and 8 more)\n' +
        'film AND popultion > 5\n' +
        '---------^',
    );
    expect(e.extra).toEqual({
      parameter: 'q',
      position: 9,
      line: 1,
      column: 10,
      errors: [
        {
          message: 'unknown field "popultion"; known fields, closest first: population, county, photo, founded, updated (and 8 more)',
          parameter: 'q',
          position: 9,
          line: 1,
          column: 10,
          field: 'popultion',
          known_fields: ['population', 'county', 'photo', 'founded', 'updated'],
        },
      ],
    });
  });

  it('collects every problem before throwing, in order of position', () => {
    const e = errorOf('xx:1 OR population>abc OR #distance(title, "1,2", 3) OR yy:2');
    expect(e.message.split('\n').slice(0, 5)).toEqual([
      '4 errors in the query in parameter "q":',
      '- at offset 0 (line 1, column 1): unknown field "xx"; known fields, closest first: geo, tags, area, title, shape (and 8 more)',
      '- at offset 19 (line 1, column 20): "abc" is not a valid value for int field "population": expected an integer',
      '- at offset 36 (line 1, column 37): #distance works on a geo_point_2d field, not on text field "title"',
      '- at offset 56 (line 1, column 57): unknown field "yy"; known fields, closest first: geo, tags, area, title, county (and 8 more)',
    ]);
    expect(e.message.split('\n').slice(5)).toEqual(['xx:1 OR population>abc OR #distance(title, "1,2", 3) OR yy:2', '^']);
    expect((e.extra.errors as unknown[]).length).toBe(4);
    expect(e.extra).toMatchObject({ parameter: 'q', position: 0 });
  });

  it('treats a hidden field exactly like a field that does not exist', () => {
    const hidden = { schema: { fields: FIELDS, hidden: new Set(['secret']) } };
    const absent = { schema: { fields: FIELDS.filter((f) => f.name !== 'secret') } };
    for (const q of ['secret:x', '#null(secret)', 'secret>1', '#search(secret, "x")', '#exact(secret, "x")', 'secre:x', 'secret:[a TO b]']) {
      const a = errorOf(q, hidden);
      const b = errorOf(q, absent);
      expect(a.message).toBe(b.message);
      expect(a.extra).toEqual(b.extra);
      expect(a.message).not.toContain('secret;');
      expect(JSON.stringify(a.extra.errors)).not.toMatch(/"known_fields":\[[^\]]*"secret"/);
    }
    // the hint never lists it, even as the closest name
    expect(errorOf('secre:x', hidden).extra.errors).toEqual([expect.objectContaining({ known_fields: ['shape', 'title', 'area', 'geo', 'tags'] })]);
    // visible, it is a field like another
    expect(dsl('secret:x')).toEqual({ match_phrase: { 'fields.secret': { query: 'x' } } });
  });

  it('names which q failed when several are compiled together', () => {
    const e = errorOf(() => dslAll(['film', 'xx:1', 'yy:1']));
    expect(e.message.split('\n')[0]).toBe(
      'Invalid query in parameter "q" (value 2 of 3) at offset 0 (line 1, column 1): unknown field "xx"; known fields, closest first: geo, tags, area, title, shape (and 8 more)',
    );
    expect(e.extra).toMatchObject({ parameter: 'q', value_index: 1, position: 0 });
    const named = errorOf(() => dslAll(['film', { parameter: 'q.timerange', q: 'updated>=' }]));
    expect(named.message.split('\n')[0]).toBe(
      'Invalid query in parameter "q.timerange" at offset 9 (line 1, column 10): expected quoted string, value, "#now" or "*" but end of input found',
    );
    expect(named.extra).toMatchObject({ parameter: 'q.timerange', position: 9 });
    expect(named.extra).not.toHaveProperty('value_index');
  });

  it('never lets a plain Error out', () => {
    for (const q of ['"', "'", '(', ')', '#', '#now(weekday=XX)', 'updated>=#now(weekday=XX)', ':', '[', ']', 'a:[', '#polygon(geo, "(")', 'founded:\'\'', 'updated:"T"']) {
      expect(errorOf(q)).toBeInstanceOf(GatewayError);
    }
  });
});
