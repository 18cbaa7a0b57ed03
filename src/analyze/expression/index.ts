/**
 * The analyze expression language in three passes (docs/architecture.md, habit 3): parse → check against the
 * schema → translate to what a metric aggregation reads.
 */
import type { QuerySchema } from '../../query/resolve-field';
import { checkExpression } from './check-expression';
import { compileExpression, type CompilePolicy, type ValueSource } from './compile-expression';
import { parseExpression } from './parse-expression';

export type { CompilePolicy, ExpressionScript, ValueSource } from './compile-expression';

/** `y.<serie>.expr` → a field or a script; 400 naming `parameter` on any problem. */
export function expressionValueSource(text: string, parameter: string, schema: QuerySchema, mayCompile?: CompilePolicy): ValueSource {
  const ast = parseExpression(text, parameter);
  return compileExpression(checkExpression(ast, text, parameter, schema), parameter, mayCompile);
}
