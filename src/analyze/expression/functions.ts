/**
 * The functions of the analyze expression language (v1-api-facts.md §9: the Java `Math` functions)
 * and how each becomes Lucene expression text (the `lang: expression` script language of
 * OpenSearch). Lucene expressions have abs, acos, asin, atan, atan2, ceil, cos, cosh, exp, floor,
 * log (natural), log10, max, min, pow, sin, sinh, sqrt, tan and tanh under the Java names; the others
 * are written with those, with comparisons (which yield 1 or 0) and the ternary operator.
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
}

const direct = (name: string, arity: number): FunctionSpec => ({ arity, emit: (a) => `${name}(${a.join(', ')})` });

/** Math.rint: round half to even. floor(x + 0.5), minus one when x is exactly halfway and that is odd. */
const rint = (x: string): string => `(floor(${x} + 0.5) - ((${x} + 0.5 == floor(${x} + 0.5)) && (floor(${x} + 0.5) % 2 != 0)))`;

export const FUNCTIONS: ReadonlyMap<string, FunctionSpec> = new Map<string, FunctionSpec>([
  ...(['sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'exp', 'log', 'log10', 'sqrt', 'ceil', 'floor', 'abs', 'sinh', 'cosh', 'tanh'] as const).map(
    (n): [string, FunctionSpec] => [n, direct(n, 1)],
  ),
  ...(['atan2', 'pow', 'max', 'min'] as const).map((n): [string, FunctionSpec] => [n, direct(n, 2)]),
  ['toRadians', { arity: 1, emit: ([x]) => `(${x} * 0.017453292519943295)` }],
  ['toDegrees', { arity: 1, emit: ([x]) => `(${x} * 57.29577951308232)` }],
  ['cbrt', { arity: 1, emit: ([x]) => `(pow(abs(${x}), 0.3333333333333333) * ((${x} < 0) ? -1 : 1))` }],
  ['round', { arity: 1, emit: ([x]) => `floor(${x} + 0.5)` }],
  ['rint', { arity: 1, emit: ([x]) => rint(String(x)) }],
  ['signum', { arity: 1, emit: ([x]) => `((${x} > 0) - (${x} < 0))` }],
  ['hypot', { arity: 2, emit: ([a, b]) => `sqrt(${a} * ${a} + ${b} * ${b})` }],
  ['IEEEremainder', { arity: 2, emit: ([a, b]) => `(${a} - ${b} * ${rint(`(${a} / ${b})`)})` }],
]);

/** Listed by the v1 documentation but refused here, with the reason given to the client. */
export const UNSUPPORTED_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ['ulp', 'ulp() has no equivalent in OpenSearch expression scripts'],
  ['random', 'random() is not supported: an aggregate of random numbers means nothing'],
  ['time', 'time() is not supported: its meaning in the v1 service is not documented'],
]);

export const FUNCTION_NAMES = [...FUNCTIONS.keys()].sort();
