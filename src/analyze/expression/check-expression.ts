/**
 * The check pass: an expression AST against the dataset schema. Every problem is collected (with its
 * position) and reported in one 400: unknown or hidden fields (resolved through resolveField's
 * lookup, so a hidden field reads exactly like an unknown one), non-numeric fields, unknown or
 * unsupported functions, wrong argument counts, numbers too large to represent.
 */
import { assertNever } from '../../errors';
import { isNumericType } from '../../datasets/descriptor';
import { lookupField, type QuerySchema, type ResolvedField, unknownFieldProblem } from '../../query/resolve-field';
import type { ExpressionNode } from './ast';
import { expressionSemanticError, type ExpressionDiagnostic } from './expression-error';
import { FUNCTION_NAMES, FUNCTIONS, UNSUPPORTED_FUNCTIONS } from './functions';

export interface CheckedExpression {
  ast: ExpressionNode;
  /** The fields it reads, by name, in order of first use. */
  fields: Map<string, ResolvedField>;
}

export function checkExpression(ast: ExpressionNode, text: string, parameter: string, schema: QuerySchema): CheckedExpression {
  const diagnostics: ExpressionDiagnostic[] = [];
  const fields = new Map<string, ResolvedField>();

  const visit = (node: ExpressionNode): void => {
    switch (node.type) {
      case 'number':
        if (!Number.isFinite(node.value)) {
          diagnostics.push({ message: `the number ${node.text.slice(0, 40)} is too large`, start: node.location.start });
        }
        return;
      case 'field': {
        const f = lookupField(schema, node.name);
        if (f === undefined) {
          const problem = unknownFieldProblem(schema, node.name);
          diagnostics.push({ message: problem.message, start: node.location.start, details: problem.details });
        } else if (!isNumericType(f.type)) {
          diagnostics.push({
            message: `the field "${node.name}" is a ${f.type} field; expressions read int and double fields only`,
            start: node.location.start,
            details: { field: node.name },
          });
        } else if (!fields.has(f.name)) {
          fields.set(f.name, f);
        }
        return;
      }
      case 'unary':
        visit(node.operand);
        return;
      case 'binary':
        visit(node.left);
        visit(node.right);
        return;
      case 'call': {
        const spec = FUNCTIONS.get(node.name);
        const refused = UNSUPPORTED_FUNCTIONS.get(node.name);
        if (refused !== undefined) {
          diagnostics.push({ message: refused, start: node.location.start, details: { function: node.name } });
        } else if (spec === undefined) {
          diagnostics.push({
            message: `unknown function "${node.name.slice(0, 64)}"; known functions: ${FUNCTION_NAMES.join(', ')}`,
            start: node.location.start,
            details: { function: node.name },
          });
        } else if (spec.arity !== node.args.length) {
          diagnostics.push({
            message: `${node.name}() takes ${spec.arity} argument${spec.arity > 1 ? 's' : ''}, got ${node.args.length}`,
            start: node.location.start,
            details: { function: node.name },
          });
        }
        node.args.forEach(visit);
        return;
      }
      default:
        assertNever(node, 'expression node');
    }
  };

  visit(ast);
  if (diagnostics.length > 0) throw expressionSemanticError(text, parameter, diagnostics);
  return { ast, fields };
}
