/**
 * The interpreted form of an analyze expression: ONE painless script whose source never changes,
 * running a small stack program given as params. OpenSearch compiles that script once per node and
 * never again, whatever the expressions, so expressions sent in this form cost nothing of the node's
 * script compilation budget (`script.max_compilations_rate`, 75 per 5 minutes per node by default,
 * shared with every other user of the cluster).
 *
 * The gateway uses it for the expressions past its compilation budget (src/http/script-budget.ts):
 * compiled Lucene expressions are faster per document, the interpreter never exhausts anything.
 * Both compute the same values: each instruction does in Java exactly what the Lucene text of
 * functions.ts does (same operations, same order, same constants; Java doubles are strict).
 *
 * Program, in params: `o` the instructions (ints; CONST and FIELD take their operand from the next
 * slot), `k` the constants, `f` the field paths, `d` the stack depth the program needs.
 */
import { assertNever } from '../../errors';
import type { ExpressionNode } from './ast';
import { FUNCTIONS } from './functions';

export const OP = { CONST: 0, FIELD: 1, ADD: 2, SUB: 3, MUL: 4, DIV: 5, MOD: 6, NEG: 7 } as const;

const BINARY: Record<string, number> = { '+': OP.ADD, '-': OP.SUB, '*': OP.MUL, '/': OP.DIV, '%': OP.MOD };

/** The interpreter (painless). Opcodes: OP above, then FUNCTIONS' opcodes (10–39 unary, 40–59 binary). */
export const INTERPRETER_SOURCE = [
  'List o = params.o; List k = params.k; List f = params.f;',
  'double[] s = new double[((Number) params.d).intValue()]; int p = 0; int n = o.size();',
  'for (int i = 0; i < n; i++) {',
  ' int c = ((Number) o.get(i)).intValue();',
  ' if (c == 0) { s[p++] = ((Number) k.get(((Number) o.get(++i)).intValue())).doubleValue(); continue; }',
  " if (c == 1) { s[p++] = doc[(String) f.get(((Number) o.get(++i)).intValue())].value; continue; }",
  ' if (c == 7) { s[p - 1] = -s[p - 1]; continue; }',
  ' if (c < 10) { p--; double a = s[p - 1]; double b = s[p];',
  '  if (c == 2) { s[p - 1] = a + b; } else if (c == 3) { s[p - 1] = a - b; } else if (c == 4) { s[p - 1] = a * b; }',
  '  else if (c == 5) { s[p - 1] = a / b; } else { s[p - 1] = a % b; } continue; }',
  ' if (c < 40) { double x = s[p - 1]; double r = 0;',
  '  if (c == 10) { r = Math.sin(x); } else if (c == 11) { r = Math.cos(x); } else if (c == 12) { r = Math.tan(x); }',
  '  else if (c == 13) { r = Math.asin(x); } else if (c == 14) { r = Math.acos(x); } else if (c == 15) { r = Math.atan(x); }',
  '  else if (c == 16) { r = Math.exp(x); } else if (c == 17) { r = Math.log(x); } else if (c == 18) { r = Math.log10(x); }',
  '  else if (c == 19) { r = Math.sqrt(x); } else if (c == 20) { r = Math.ceil(x); } else if (c == 21) { r = Math.floor(x); }',
  '  else if (c == 22) { r = Math.abs(x); } else if (c == 23) { r = Math.sinh(x); } else if (c == 24) { r = Math.cosh(x); }',
  '  else if (c == 25) { r = Math.tanh(x); } else if (c == 26) { r = x * 0.017453292519943295; } else if (c == 27) { r = x * 57.29577951308232; }',
  '  else if (c == 28) { r = Math.pow(Math.abs(x), 0.3333333333333333) * (x < 0 ? -1 : 1); }',
  '  else if (c == 29) { r = Math.floor(x + 0.5); }',
  '  else if (c == 30) { double h = Math.floor(x + 0.5); r = h - ((x + 0.5 == h && h % 2 != 0) ? 1 : 0); }',
  '  else { r = (x > 0 ? 1 : 0) - (x < 0 ? 1 : 0); }',
  '  s[p - 1] = r; continue; }',
  ' p--; double a = s[p - 1]; double b = s[p]; double r = 0;',
  ' if (c == 40) { r = Math.atan2(a, b); } else if (c == 41) { r = Math.pow(a, b); } else if (c == 42) { r = Math.max(a, b); }',
  ' else if (c == 43) { r = Math.min(a, b); } else if (c == 44) { r = Math.sqrt(a * a + b * b); }',
  ' else { double q = a / b; double h = Math.floor(q + 0.5); r = a - b * (h - ((q + 0.5 == h && h % 2 != 0) ? 1 : 0)); }',
  ' s[p - 1] = r;',
  '}',
  'return s[0];',
].join('\n');

export interface InterpretedProgram {
  o: number[];
  k: number[];
  f: string[];
  d: number;
}

/**
 * A checked expression's AST → the interpreter's program. `pathOf` gives the checked field path of a
 * field name (the same paths the Lucene form reads).
 */
export function interpretedProgram(ast: ExpressionNode, pathOf: (name: string) => string): InterpretedProgram {
  const o: number[] = [];
  const k: number[] = [];
  const f: string[] = [];
  let depth = 0;
  let max = 0;
  const push = () => {
    depth++;
    max = Math.max(max, depth);
  };
  const emit = (node: ExpressionNode): void => {
    switch (node.type) {
      case 'number':
        o.push(OP.CONST, k.length);
        k.push(node.value);
        push();
        return;
      case 'field': {
        const path = pathOf(node.name);
        let i = f.indexOf(path);
        if (i < 0) i = f.push(path) - 1;
        o.push(OP.FIELD, i);
        push();
        return;
      }
      case 'unary':
        emit(node.operand);
        if (node.op === '-') o.push(OP.NEG);
        return;
      case 'binary':
        emit(node.left);
        emit(node.right);
        o.push(BINARY[node.op]!);
        depth--;
        return;
      case 'call': {
        const spec = FUNCTIONS.get(node.name);
        if (spec === undefined) throw new Error(`interpretedProgram: function "${node.name}" was not checked`);
        node.args.forEach(emit);
        o.push(spec.opcode);
        depth -= node.args.length - 1;
        return;
      }
      default:
        assertNever(node, 'expression node');
    }
  };
  emit(ast);
  return { o, k, f, d: Math.max(max, 1) };
}
