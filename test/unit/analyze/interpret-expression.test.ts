/**
 * The interpreted form of analyze expressions (src/analyze/expression/interpret-expression.ts): the
 * program's shape, and that the program computes what the Lucene text of the same expression
 * computes (both evaluated here in JavaScript; the painless interpreter itself is checked against
 * OpenSearch in test/integration/analyze-engines.int.test.ts).
 */
import { expressionValueSource } from '../../../src/analyze/expression';
import { INTERPRETER_SOURCE, OP } from '../../../src/analyze/expression/interpret-expression';
import { FUNCTIONS } from '../../../src/analyze/expression/functions';
import type { QuerySchema } from '../../../src/query/resolve-field';

const schema: QuerySchema = {
  fields: [
    { name: 'x', label: 'X', type: 'double' },
    { name: 'y', label: 'Y', type: 'int' },
  ],
};
const never = () => false;

const interpreted = (text: string) => {
  const v = expressionValueSource(text, 'y.s.expr', schema, never);
  if (v.kind !== 'script') throw new Error('script expected');
  return v;
};

describe('the interpreted form', () => {
  it('is one painless script whose source never changes; the expression travels in params', () => {
    const a = interpreted('sqrt(x) * 2');
    const b = interpreted('max(y, x - 3) % 7 + log(y)');
    expect(a.script.lang).toBe('painless');
    expect(a.script.source).toBe(INTERPRETER_SOURCE);
    expect(b.script.source).toBe(INTERPRETER_SOURCE);
    expect(a.script.params).toEqual({ o: [OP.FIELD, 0, FUNCTIONS.get('sqrt')!.opcode, OP.CONST, 0, OP.MUL], k: [2], f: ['fields.x'], d: 2 });
    expect(a.guards).toEqual(['fields.x']);
    expect(b.script.params).toEqual({
      o: [OP.FIELD, 0, OP.FIELD, 1, OP.CONST, 0, OP.SUB, 42, OP.CONST, 1, OP.MOD, OP.FIELD, 0, 17, OP.ADD],
      k: [3, 7],
      f: ['fields.y', 'fields.x'],
      d: 3,
    });
  });

  it('is used only when the policy refuses the compiled form', () => {
    const seen: string[] = [];
    const v = expressionValueSource('x + 1', 'p', schema, (source) => {
      seen.push(source);
      return true;
    });
    expect(v).toMatchObject({ kind: 'script', script: { lang: 'expression', source: "(doc['fields.x'].value + c0)" } });
    expect(seen).toEqual(["(doc['fields.x'].value + c0)"]);
    // A bare field reads doc values: no script, the policy is not asked.
    expect(expressionValueSource('x', 'p', schema, never)).toEqual({ kind: 'field', path: 'fields.x' });
  });

  it('gives every function an opcode of its arity (1: 10–39, 2: 40–59), each once', () => {
    const codes = [...FUNCTIONS.values()].map((f) => f.opcode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const [name, f] of FUNCTIONS) expect({ name, ok: f.arity === 1 ? f.opcode >= 10 && f.opcode < 40 : f.opcode >= 40 && f.opcode < 60 }).toEqual({ name, ok: true });
  });
});

describe('the program computes what the Lucene text computes', () => {
  // Java Math in JavaScript, by opcode, as INTERPRETER_SOURCE implements each one.
  const rint = (v: number) => {
    const h = Math.floor(v + 0.5);
    return h - (v + 0.5 === h && h % 2 !== 0 ? 1 : 0);
  };
  const UNARY: Record<number, (v: number) => number> = {
    10: Math.sin, 11: Math.cos, 12: Math.tan, 13: Math.asin, 14: Math.acos, 15: Math.atan, 16: Math.exp, 17: Math.log, 18: Math.log10,
    19: Math.sqrt, 20: Math.ceil, 21: Math.floor, 22: Math.abs, 23: Math.sinh, 24: Math.cosh, 25: Math.tanh,
    26: (v) => v * 0.017453292519943295, 27: (v) => v * 57.29577951308232, 28: (v) => Math.pow(Math.abs(v), 0.3333333333333333) * (v < 0 ? -1 : 1),
    29: (v) => Math.floor(v + 0.5), 30: rint, 31: (v) => (v > 0 ? 1 : 0) - (v < 0 ? 1 : 0),
  };
  const BINARY: Record<number, (a: number, b: number) => number> = {
    [OP.ADD]: (a, b) => a + b, [OP.SUB]: (a, b) => a - b, [OP.MUL]: (a, b) => a * b, [OP.DIV]: (a, b) => a / b, [OP.MOD]: (a, b) => a % b,
    40: Math.atan2, 41: Math.pow, 42: Math.max, 43: Math.min, 44: (a, b) => Math.sqrt(a * a + b * b), 45: (a, b) => a - b * rint(a / b),
  };
  const run = (p: { o: number[]; k: number[]; f: string[] }, doc: Record<string, number>): number => {
    const s: number[] = [];
    for (let i = 0; i < p.o.length; i++) {
      const c = p.o[i]!;
      if (c === OP.CONST) s.push(p.k[p.o[++i]!]!);
      else if (c === OP.FIELD) s.push(doc[p.f[p.o[++i]!]!]!);
      else if (c === OP.NEG) s.push(-s.pop()!);
      else if (BINARY[c]) {
        const b = s.pop()!;
        s.push(BINARY[c]!(s.pop()!, b));
      } else s.push(UNARY[c]!(s.pop()!));
    }
    return s[0]!;
  };
  const lucene = (text: string, doc: Record<string, number>): number => {
    const v = expressionValueSource(text, 'p', schema);
    if (v.kind !== 'script') throw new Error('script expected');
    const js = v.script.source
      .replace(/doc\['(fields\.[xy])'\]\.value/g, (_m, f: string) => `(${doc[f]})`)
      .replace(/\b(floor|pow|abs|sqrt|sin|cos|tan|asin|acos|atan2|atan|exp|log10|ceil|sinh|cosh|tanh|max|min)\(/g, 'Math.$1(')
      .replace(/\bln\(/g, 'Math.log(')
      .replace(/\(([^()]*?) (<|>|==|!=) ([^()]*?)\)/g, '(+($1 $2 $3))')
      .replace(/&&/g, '*');
    return Function(...Object.keys(v.script.params), `return ${js};`)(...Object.values(v.script.params)) as number;
  };

  it.each([
    'x + y * 2 - 3 / y',
    '-x % 3',
    'sqrt(abs(x)) + log(y + 1) - log10(y + 10)',
    'sin(x) * cos(y) + tan(x / 10) + atan(y) + atan2(x, y)',
    'exp(x / 100) + sinh(x / 50) + cosh(y / 50) - tanh(x)',
    'ceil(x) + floor(y / 3) + round(x) + rint(x) + signum(x - y)',
    'pow(abs(x), 1.5) + max(x, y) - min(x, y) + hypot(x, y)',
    'cbrt(x) + toRadians(y) + toDegrees(x / 100)',
    'IEEEremainder(x, 3) + asin(0.5) + acos(0.25)',
  ])('%s', (text) => {
    const v = interpreted(text);
    for (const x of [-7.5, -2.5, -0.5, 0, 0.5, 1.5, 2.5, 3.25, 42]) {
      for (const y of [1, 2, 7, 100]) {
        const doc = { 'fields.x': x, 'fields.y': y };
        expect(run(v.script.params as { o: number[]; k: number[]; f: string[] }, doc)).toBe(lucene(text, doc));
      }
    }
  });
});
