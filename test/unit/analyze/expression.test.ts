import { GatewayError } from '../../../src/errors';
import { expressionValueSource } from '../../../src/analyze/expression';
import { parseExpression } from '../../../src/analyze/expression/parse-expression';
import type { QuerySchema } from '../../../src/query/resolve-field';

const schema: QuerySchema = {
  fields: [
    { name: 'population', label: 'Population', type: 'int' },
    { name: 'elevation', label: 'Elevation', type: 'double' },
    { name: 'name', label: 'Name', type: 'text' },
    { name: 'secret', label: 'Secret', type: 'int' },
  ],
  hidden: new Set(['secret']),
};

function fail(text: string): GatewayError {
  try {
    expressionValueSource(text, 'y.s.expr', schema);
  } catch (e) {
    if (e instanceof GatewayError) return e;
    throw e;
  }
  throw new Error(`expected "${text}" to fail`);
}

describe('analyze expressions: parse', () => {
  it.each([
    ['population', { type: 'field', name: 'population' }],
    ['1.5e3', { type: 'number', value: 1500 }],
    ['.5', { type: 'number', value: 0.5 }],
  ])('parses %s', (text, expected) => {
    expect(parseExpression(text, 'y.s.expr')).toMatchObject(expected);
  });

  it('gives * precedence over + and associates to the left', () => {
    const ast = parseExpression('a - b - c * 2', 'p');
    expect(ast).toMatchObject({
      type: 'binary',
      op: '-',
      left: { type: 'binary', op: '-', left: { name: 'a' }, right: { name: 'b' } },
      right: { type: 'binary', op: '*', left: { name: 'c' }, right: { value: 2 } },
    });
  });

  it('keeps the location of every node', () => {
    const ast = parseExpression(' sqrt( x )', 'p');
    expect(ast).toMatchObject({ type: 'call', name: 'sqrt', location: { start: { offset: 1, column: 2 }, end: { offset: 10 } } });
    if (ast.type !== 'call') throw new Error('call expected');
    expect(ast.args[0]?.location.start.offset).toBe(7);
  });

  it.each([
    ['sqrt(population', 15, /expected .*"\)"/],
    ['population *', 12, /expected/],
    ['2 ^ 3', 2, /expected/],
    ['doc["x"]', 3, /expected/],
    ['', 0, /expected/],
  ])('rejects %j with the position', (text, offset, message) => {
    const e = fail(text);
    expect(e.kind).toBe('query_syntax');
    expect(e.status).toBe(400);
    expect(e.extra).toMatchObject({ parameter: 'y.s.expr', position: offset });
    expect(e.message).toMatch(message);
    expect(e.message).toContain('parameter "y.s.expr"');
  });

  it('refuses deep nesting and long text before parsing', () => {
    expect(fail(`${'('.repeat(40)}1${')'.repeat(40)}`).extra).toMatchObject({ limit: 'MAX_EXPRESSION_DEPTH' });
    expect(fail(`${'-'.repeat(40)}1`).extra).toMatchObject({ limit: 'MAX_EXPRESSION_DEPTH' });
    expect(fail(`1${'+1'.repeat(600)}`).extra).toMatchObject({ limit: 'MAX_EXPRESSION_LENGTH' });
  });
});

describe('analyze expressions: check against the schema', () => {
  it('names an unknown field, and a hidden one exactly the same way', () => {
    const unknown = fail('sqrt(nope) * 2');
    const hidden = fail('sqrt(secret) * 2');
    expect(unknown.kind).toBe('query_semantic');
    expect(unknown.extra).toMatchObject({ parameter: 'y.s.expr', position: 5, field: 'nope' });
    expect(hidden.extra).toMatchObject({ parameter: 'y.s.expr', position: 5, field: 'secret' });
    expect(hidden.message).toMatch(/^Invalid expression in parameter "y\.s\.expr" at offset 5 \(line 1, column 6\): unknown field "secret"; known fields, closest first: /);
    expect(hidden.message).not.toMatch(/hidden/);
    expect((hidden.extra.known_fields as string[]).includes('secret')).toBe(false);
  });

  it('refuses text fields, unknown and unsupported functions, wrong arities: all at once', () => {
    const e = fail('name + sqr(population) + pow(population) + random()');
    expect(e.extra.errors).toEqual([
      expect.objectContaining({ position: 0, field: 'name' }),
      expect.objectContaining({ position: 7, function: 'sqr' }),
      expect.objectContaining({ position: 25, function: 'pow' }),
      expect.objectContaining({ position: 43, function: 'random' }),
    ]);
  });
});

describe('analyze expressions: translation', () => {
  it('reads a bare numeric field from doc values, with no script', () => {
    expect(expressionValueSource('population', 'y.s.expr', schema)).toEqual({ kind: 'field', path: 'fields.population' });
    expect(expressionValueSource(' ( elevation ) ', 'y.s.expr', schema)).toEqual({ kind: 'field', path: 'fields.elevation' });
  });

  it('compiles to a lang:expression script with every constant as a param and exists guards', () => {
    expect(expressionValueSource('sqrt(population)*2', 'y.s.expr', schema)).toEqual({
      kind: 'script',
      script: { lang: 'expression', source: "(sqrt(doc['fields.population'].value) * c0)", params: { c0: 2 } },
      guards: ['fields.population'],
    });
    expect(expressionValueSource('-(population + elevation) / 1e3 % 7', 'y.s.expr', schema)).toEqual({
      kind: 'script',
      script: {
        lang: 'expression',
        source: "(((-(doc['fields.population'].value + doc['fields.elevation'].value)) / c0) % c1)",
        params: { c0: 1000, c1: 7 },
      },
      guards: ['fields.population', 'fields.elevation'],
    });
  });

  it('never writes a user number into the script: same shape, same source', () => {
    const a = expressionValueSource('population * 2 + 3.25', 'p', schema);
    const b = expressionValueSource('population * 99999 + 0.000001', 'p', schema);
    if (a.kind !== 'script' || b.kind !== 'script') throw new Error('scripts expected');
    expect(a.script.source).toBe(b.script.source);
    expect(a.script.source).not.toMatch(/2|3\.25|99999|0\.000001/);
    expect(b.script.params).toEqual({ c0: 99999, c1: 0.000001 });
  });

  it('a constant expression needs no guard', () => {
    expect(expressionValueSource('5', 'p', schema)).toEqual({ kind: 'script', script: { lang: 'expression', source: 'c0', params: { c0: 5 } }, guards: [] });
  });

  it.each([
    ['toRadians(elevation)', "(doc['fields.elevation'].value * 0.017453292519943295)"],
    ['round(elevation)', "floor(doc['fields.elevation'].value + 0.5)"],
    ['signum(elevation)', "((doc['fields.elevation'].value > 0) - (doc['fields.elevation'].value < 0))"],
    ['hypot(elevation, population)', "sqrt(doc['fields.elevation'].value * doc['fields.elevation'].value + doc['fields.population'].value * doc['fields.population'].value)"],
    ['max(elevation, population)', "max(doc['fields.elevation'].value, doc['fields.population'].value)"],
  ])('translates %s for Lucene expressions', (text, source) => {
    const v = expressionValueSource(text, 'p', schema);
    expect(v.kind === 'script' && v.script.source).toBe(source);
  });

  it('refuses a translation that grows too large', () => {
    const e = fail('rint(rint(rint(rint(rint(rint(elevation))))))');
    expect(e.extra).toMatchObject({ parameter: 'y.s.expr', limit: 'MAX_SCRIPT_LENGTH' });
  });
});

describe('the Lucene translations compute what Java Math does', () => {
  // Evaluate the emitted text as JavaScript with Lucene's semantics (comparisons give 1 or 0).
  const evaluate = (text: string, x: number): number => {
    const v = expressionValueSource(text, 'p', { fields: [{ name: 'x', label: 'x', type: 'double' }] });
    if (v.kind !== 'script') throw new Error('script expected');
    const js = v.script.source
      .replace(/doc\['fields\.x'\]\.value/g, `(${x})`)
      .replace(/\b(floor|pow|abs|sqrt)\(/g, 'Math.$1(')
      .replace(/\(([^()]*?) (<|>|==|!=) ([^()]*?)\)/g, '(+($1 $2 $3))')
      .replace(/&&/g, '*');
    const params = v.script.params;
    return Function(...Object.keys(params), `return ${js};`)(...Object.values(params)) as number;
  };
  // Java's Math.rint: the nearest integer, halves to the even one.
  const javaRint = (x: number): number => {
    const f = Math.floor(x);
    const d = x - f;
    return d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
  };
  it.each([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, 2.6, -2.6, 3])('rint(%p)', (x) => {
    expect(evaluate('rint(x)', x) + 0).toBe(javaRint(x) + 0);
  });
  it.each([27, -8, 0, 2])('cbrt(%p)', (x) => {
    expect(evaluate('cbrt(x)', x)).toBeCloseTo(Math.cbrt(x), 12);
  });
});
