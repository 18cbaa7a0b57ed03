/**
 * AST → canonical q text (Kibana's toKqlExpression): explicit AND, nested boolean operators always
 * parenthesised, quoted strings in double quotes. Parsing the printed text gives back the same tree
 * (locations aside), which the round-trip tests check; it can also echo a normalised q.
 */
import { assertNever } from '../errors';
import type { NowArg, QueryNode, TextValue, ValueNode } from './ast';

export function printQuery(node: QueryNode): string {
  switch (node.type) {
    case 'match_all':
      return '*';
    case 'and':
      return node.children.map(operand).join(' AND ');
    case 'or':
      return node.children.map(operand).join(' OR ');
    case 'not':
      return `NOT ${operand(node.child)}`;
    case 'word':
      return node.text;
    case 'phrase':
      return quote(node.text);
    case 'compare': {
      // `a<` then the bare value `=b` must not read back as `a<=` then `b`
      const value = printValue(node.value);
      return `${node.field.name}${node.op}${value.startsWith('=') ? ' ' : ''}${value}`;
    }
    case 'range':
      return `${node.field.name}:[${printValue(node.from)} TO ${printValue(node.to)}]`;
    case 'is_null':
      return `#null(${node.field.name})`;
    case 'exact':
      return `#exact(${node.field.name}, ${printText(node.value)})`;
    case 'search':
      return `#search(${node.all ? '*' : node.fields.map((f) => f.name).join(', ')}, ${printText(node.text)})`;
    case 'starts_with':
      return `#startswith(${node.field.name}, ${printText(node.prefix)})`;
    case 'distance':
      return `#distance(${node.field === null ? '' : `${node.field.name}, `}${quote(node.center.text)}, ${node.radius.text})`;
    case 'polygon':
      return `#polygon(${node.field.name}, ${quote(node.points.text)})`;
    case 'geometry':
      return `#geometry(${node.field.name}, ${printText(node.shape)})`;
    case 'attr':
      return `#attr(${node.field.name}, ${printText(node.attribute)})`;
    default:
      return assertNever(node, 'query node');
  }
}

/** Boolean operands in parentheses, so the printed text keeps the tree's exact shape. */
function operand(node: QueryNode): string {
  return node.type === 'and' || node.type === 'or' ? `(${printQuery(node)})` : printQuery(node);
}

function printValue(v: ValueNode): string {
  switch (v.kind) {
    case 'any':
      return '*';
    case 'now':
      return `#now(${v.args.map(printNowArg).join(', ')})`;
    case 'text':
      return printText(v);
  }
}

function printNowArg(a: NowArg): string {
  const v = a.value;
  return `${a.name}=${v.kind === 'int' ? v.value : `${v.day}${v.nth === null ? '' : `(${v.nth})`}`}`;
}

function printText(v: TextValue): string {
  return v.quoted ? quote(v.text) : v.text;
}

function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
