/**
 * The translate pass: a checked expression → what an OpenSearch metric aggregation reads.
 *
 * - A bare numeric field (`population`) reads the field's doc values: `{field: "fields.population"}`,
 *   no script.
 * - Anything else becomes a `lang: expression` script (Lucene expressions: compiled to bytecode,
 *   sandboxed, no statements or strings). Every number of the expression travels as a param
 *   (`c0`, `c1`, ...): user text is never written into the script source, and one expression shape
 *   compiles once whatever its constants (script compilations are rate-limited per node).
 * - Field paths come from the schema (names checked against FIELD_NAME_PATTERN when the descriptor
 *   was loaded), never from the request text; they are checked once more before being written.
 * - Past the caller's compilation budget (`mayCompile`, src/http/script-budget.ts), the same
 *   expression goes as a program for ONE fixed painless script (interpret-expression.ts), which the
 *   node compiles once for every expression: slower per document, never refused.
 * - `guards`: the paths the script reads. A Lucene expression reads 0 for a document without a value,
 *   which would be counted (AVG, MIN...); the caller wraps the metric in a filter on `exists` for each
 *   (docs/opensearch-design.md, Analyze), so a record without a value is not counted at all.
 */
import { assertNever, GatewayError } from '../../errors';
import type { ExpressionNode } from './ast';
import type { CheckedExpression } from './check-expression';
import { FUNCTIONS } from './functions';
import { INTERPRETER_SOURCE, interpretedProgram } from './interpret-expression';

/** Past this, the translated script is refused (rint, cbrt and IEEEremainder repeat their argument). */
export const MAX_SCRIPT_LENGTH = 8000;

const SAFE_PATH = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$/;

export interface ExpressionScript {
  /** `expression`: a Lucene expression compiled for its shape; `painless`: the interpreter (interpret-expression.ts). */
  lang: 'expression' | 'painless';
  source: string;
  params: Record<string, unknown>;
}

export type ValueSource =
  | { kind: 'field'; path: string }
  | { kind: 'script'; script: ExpressionScript; guards: string[] };

/**
 * Whether a Lucene expression of this source may be sent (OpenSearch compiles each new source once,
 * within a per-node rate): false sends the interpreter instead. Default: always.
 */
export type CompilePolicy = (source: string) => boolean;

export function compileExpression(checked: CheckedExpression, parameter: string, mayCompile: CompilePolicy = () => true): ValueSource {
  const { ast } = checked;
  if (ast.type === 'field') {
    const f = checked.fields.get(ast.name);
    if (f !== undefined) return { kind: 'field', path: safePath(f.paths.value) };
  }
  const params: Record<string, number> = {};
  const pathOf = (name: string): string => {
    const f = checked.fields.get(name);
    if (f === undefined) throw new Error(`compileExpression: field "${name}" was not checked`);
    return safePath(f.paths.value);
  };
  const emit = (node: ExpressionNode): string => {
    switch (node.type) {
      case 'number': {
        const name = `c${Object.keys(params).length}`;
        params[name] = node.value;
        return name;
      }
      case 'field':
        return `doc['${pathOf(node.name)}'].value`;
      case 'unary':
        return node.op === '-' ? `(-${emit(node.operand)})` : emit(node.operand);
      case 'binary':
        return `(${emit(node.left)} ${node.op} ${emit(node.right)})`;
      case 'call': {
        const spec = FUNCTIONS.get(node.name);
        if (spec === undefined) throw new Error(`compileExpression: function "${node.name}" was not checked`);
        return spec.emit(node.args.map(emit));
      }
      default:
        return assertNever(node, 'expression node');
    }
  };
  const source = emit(ast);
  if (source.length > MAX_SCRIPT_LENGTH) {
    throw new GatewayError(
      'bad_parameter',
      `Invalid value for parameter "${parameter}": the expression is too complex once translated (more than ${MAX_SCRIPT_LENGTH} characters of script); nested rint, cbrt or IEEEremainder repeat their argument`,
      { extra: { parameter, limit: 'MAX_SCRIPT_LENGTH', max: MAX_SCRIPT_LENGTH } },
    );
  }
  const guards = [...checked.fields.values()].map((f) => safePath(f.paths.value));
  if (mayCompile(source)) return { kind: 'script', script: { lang: 'expression', source, params }, guards };
  const program = interpretedProgram(ast, pathOf);
  return { kind: 'script', script: { lang: 'painless', source: INTERPRETER_SOURCE, params: { ...program } }, guards };
}

function safePath(path: string): string {
  if (!SAFE_PATH.test(path)) throw new Error(`compileExpression: unexpected field path "${path}"`);
  return path;
}
