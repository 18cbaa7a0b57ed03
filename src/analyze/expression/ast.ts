/**
 * The AST of the analyze expression language (grammar/expression.peggy): a discriminated union on
 * `type`, every node with the `location` of its text, and the builders the grammar calls (passed in
 * `options.builders`, so the grammar imports nothing). The AST is syntax only: a `field` node does not
 * know whether the field exists; check-expression.ts gives it meaning against the dataset schema.
 */
import type { LocationRange } from '../../query/ast';

export type { LocationRange, Position } from '../../query/ast';

export const BINARY_OPS = ['+', '-', '*', '/', '%'] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];
export type UnaryOp = '-' | '+';

interface Base<T extends string> {
  type: T;
  location: LocationRange;
}

export interface NumberNode extends Base<'number'> {
  /** The literal as written (kept for messages); `value` is what it means. */
  text: string;
  value: number;
}
export interface FieldNode extends Base<'field'> {
  name: string;
}
export interface UnaryNode extends Base<'unary'> {
  op: UnaryOp;
  operand: ExpressionNode;
}
export interface BinaryNode extends Base<'binary'> {
  op: BinaryOp;
  left: ExpressionNode;
  right: ExpressionNode;
}
export interface CallNode extends Base<'call'> {
  name: string;
  args: ExpressionNode[];
}

export type ExpressionNode = NumberNode | FieldNode | UnaryNode | BinaryNode | CallNode;

export const expressionBuilders = {
  number: (text: string, location: LocationRange): NumberNode => ({ type: 'number', text, value: Number(text), location }),
  field: (name: string, location: LocationRange): FieldNode => ({ type: 'field', name, location }),
  unary: (op: UnaryOp, operand: ExpressionNode, location: LocationRange): UnaryNode => ({ type: 'unary', op, operand, location }),
  binary: (op: BinaryOp, left: ExpressionNode, right: ExpressionNode, location: LocationRange): BinaryNode => ({
    type: 'binary',
    op,
    left,
    right,
    location,
  }),
  call: (name: string, args: ExpressionNode[], location: LocationRange): CallNode => ({ type: 'call', name, args, location }),
};

export type ExpressionBuilders = typeof expressionBuilders;
