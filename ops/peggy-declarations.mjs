// The type declarations every peggy parser of ours shares (its expectations and its SyntaxError), for
// the .d.ts files written by ops/build-grammar.mjs and ops/build-expression-grammar.mjs.
export const expectationDeclarations = `export interface LiteralExpectation { type: 'literal'; text: string; ignoreCase: boolean }
export interface ClassExpectation {
  type: 'class';
  parts: (string | [string, string])[];
  inverted: boolean;
  ignoreCase: boolean;
}
export interface AnyExpectation { type: 'any' }
export interface EndExpectation { type: 'end' }
export interface OtherExpectation { type: 'other'; description: string }
export type Expectation = LiteralExpectation | ClassExpectation | AnyExpectation | EndExpectation | OtherExpectation;

/** peggy's SyntaxError: \`expected\` is null when a grammar action called error(). */
export declare class SyntaxError extends Error {
  expected: Expectation[] | null;
  found: string | null;
  location: LocationRange;
}`;
