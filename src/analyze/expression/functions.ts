/**
 * The functions of the analyze expression language (docs/v1-api.md, Analyze: the Java `Math` functions)
 * and how each becomes Lucene expression text (the `lang: expression` script language of
 * OpenSearch). Lucene expressions have abs, acos, asin, atan, atan2, ceil, cos, cosh, exp, floor,
 * log10, max, min, pow, sin, sinh, sqrt, tan and tanh under the Java names, and the natural
 * logarithm as `ln` (Java's `log`); the others are written with those, with comparisons (which
 * yield 1 or 0) and the ternary operator.
 *
 * The numbers in the translations are fixed text written by the gateway, so a script's shape still
 * depends only on the expression's structure; user constants always travel as params.
 *
 * Differences from Java, documented in docs/analyze-geocluster-download.md:
 * - cbrt(x) is pow(|x|, 1/3) with x's sign: it may differ from Math.cbrt in the last bit;
 * - round(x) is floor(x + 0.5) (Math.round without its long conversion);
 * - ulp, random and time are refused (no Lucene equivalent, and no meaning in an aggregate).
 */

export interface FunctionSpec {
  /** Number of arguments (Java's signatures are fixed). */
  arity: number;
  /** The Lucene expression text, from the compiled text of each argument (already parenthesised). */
  emit: (args: readonly string[]) => string;
  /**
   * The instruction of the same computation in the interpreted form (interpret-expression.ts): the
   * painless interpreter implements each one exactly as the Lucene text above computes it.
   */
  opcode: number;
}

/** A function Lucene expressions have under another name: Java's Math.log is Lucene's `ln`. */
const direct = (name: string, arity: number, opcode: number, lucene = name): FunctionSpec => ({
  arity,
  opcode,
  emit: (a) => `${lucene}(${a.join(', ')})`,
});

/** Math.rint: round half to even. floor(x + 0.5), minus one when x is exactly halfway and that is odd. */
const rint = (x: string): string => `(floor(${x} + 0.5) - ((${x} + 0.5 == floor(${x} + 0.5)) && (floor(${x} + 0.5) % 2 != 0)))`;

/**
 * Opcodes of the interpreted form: 0–9 stack and arithmetic (interpret-expression.ts), 10–39 one
 * argument, 40–59 two arguments. Keep in step with INTERPRETER_SOURCE.
 */
export const FUNCTIONS: ReadonlyMap<string, FunctionSpec> = new Map<string, FunctionSpec>([
  ['sin', direct('sin', 1, 10)],
  ['cos', direct('cos', 1, 11)],
  ['tan', direct('tan', 1, 12)],
  ['asin', direct('asin', 1, 13)],
  ['acos', direct('acos', 1, 14)],
  ['atan', direct('atan', 1, 15)],
  ['exp', direct('exp', 1, 16)],
  ['log', direct('log', 1, 17, 'ln')],
  ['log10', direct('log10', 1, 18)],
  ['sqrt', direct('sqrt', 1, 19)],
  ['ceil', direct('ceil', 1, 20)],
  ['floor', direct('floor', 1, 21)],
  ['abs', direct('abs', 1, 22)],
  ['sinh', direct('sinh', 1, 23)],
  ['cosh', direct('cosh', 1, 24)],
  ['tanh', direct('tanh', 1, 25)],
  ['toRadians', { arity: 1, opcode: 26, emit: ([x]) => `(${x} * 0.017453292519943295)` }],
  ['toDegrees', { arity: 1, opcode: 27, emit: ([x]) => `(${x} * 57.29577951308232)` }],
  ['cbrt', { arity: 1, opcode: 28, emit: ([x]) => `(pow(abs(${x}), 0.3333333333333333) * ((${x} < 0) ? -1 : 1))` }],
  ['round', { arity: 1, opcode: 29, emit: ([x]) => `floor(${x} + 0.5)` }],
  ['rint', { arity: 1, opcode: 30, emit: ([x]) => rint(String(x)) }],
  ['signum', { arity: 1, opcode: 31, emit: ([x]) => `((${x} > 0) - (${x} < 0))` }],
  ['atan2', direct('atan2', 2, 40)],
  ['pow', direct('pow', 2, 41)],
  ['max', direct('max', 2, 42)],
  ['min', direct('min', 2, 43)],
  ['hypot', { arity: 2, opcode: 44, emit: ([a, b]) => `sqrt(${a} * ${a} + ${b} * ${b})` }],
  ['IEEEremainder', { arity: 2, opcode: 45, emit: ([a, b]) => `(${a} - ${b} * ${rint(`(${a} / ${b})`)})` }],
]);

/** Listed by the v1 documentation but refused here, with the reason given to the client. */
export const UNSUPPORTED_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ['ulp', 'ulp() has no equivalent in OpenSearch expression scripts'],
  ['random', 'random() is not supported: an aggregate of random numbers means nothing'],
  ['time', 'time() is not supported: its meaning in the v1 service is not documented'],
]);

export const FUNCTION_NAMES = [...FUNCTIONS.keys()].sort();
