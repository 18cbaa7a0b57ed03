/**
 * The AST of ODSQL (grammar/odsql.peggy): a discriminated union on `type` for predicates and on
 * `kind` for expressions, every node with the `location` of its text, and the builders the
 * grammar calls. The AST is syntax only: src/odsql/where.ts and src/odsql/aggregate.ts give it a
 * meaning against a dataset's fields. docs/odsql.md describes the language.
 */
import type { LocationRange } from '../query/ast';

export type { LocationRange, Position } from '../query/ast';

type Loc = LocationRange;

// ----- Literals and expressions -----

export interface StringLiteral { kind: 'string'; value: string; location: Loc }
export interface NumberLiteral { kind: 'number'; text: string; location: Loc }
export interface BoolLiteral { kind: 'bool'; value: boolean; location: Loc }
export interface NullLiteral { kind: 'null'; location: Loc }
export interface DateLiteral { kind: 'date'; text: string; location: Loc }
export interface GeomLiteral { kind: 'geom'; text: string; location: Loc }
export interface DistanceLiteral { kind: 'distance'; value: number; unit: string; location: Loc }
export interface NowArg { name: string; value: number; location: Loc }
export interface NowLiteral { kind: 'now'; args: NowArg[]; location: Loc }

export type Literal = StringLiteral | NumberLiteral | BoolLiteral | NullLiteral | DateLiteral | GeomLiteral | DistanceLiteral | NowLiteral;

export interface FieldRef { kind: 'field'; name: string; location: Loc }
export interface Star { kind: 'star'; location: Loc }
export interface Distinct { kind: 'distinct'; expr: Expr; location: Loc }
export interface Steps { kind: 'steps'; values: Literal[]; openLow: boolean; openHigh: boolean; location: Loc }
export interface Interval { kind: 'interval'; count: number; unit: string; location: Loc }
export interface Call { kind: 'call'; name: string; args: Arg[]; location: Loc }
export interface Binary { kind: 'binary'; op: '+' | '-' | '*' | '/'; left: Expr; right: Expr; location: Loc }

export type Expr = Literal | FieldRef | Call | Binary;
export type Arg = Expr | Star | Distinct | Steps | Interval;

// ----- where -----

export type CompareOp = '=' | ':' | '!=' | '<' | '<=' | '>' | '>=';

interface Base<T extends string> { type: T; location: Loc }
export interface AndNode extends Base<'and'> { children: WhereNode[] }
export interface OrNode extends Base<'or'> { children: WhereNode[] }
export interface NotNode extends Base<'not'> { child: WhereNode }
/** A bare string: full-text search in every visible field. */
export interface SearchTextNode extends Base<'search_text'> { text: StringLiteral }
export interface CompareNode extends Base<'compare'> { field: FieldRef; op: CompareOp; value: Literal }
export interface InRangeNode extends Base<'in_range'> { field: FieldRef; low: Literal; high: Literal; lowInclusive: boolean; highInclusive: boolean }
export interface InListNode extends Base<'in_list'> { field: FieldRef; values: Literal[] }
export interface LikeNode extends Base<'like'> { field: FieldRef; pattern: StringLiteral }
export interface IsNullNode extends Base<'is_null'> { field: FieldRef; negated: boolean }
export interface IsBoolNode extends Base<'is_bool'> { field: FieldRef; value: boolean }
/** search(), suggest(), startswith(), within_distance(), in_bbox(), intersects()... */
export interface PredicateNode extends Base<'predicate'> { call: Call }
/** `year(d) = 2020`: a scalar function of a field compared with a value. */
export interface CompareCallNode extends Base<'compare_call'> { call: Call; op: CompareOp; value: Literal }

export type WhereNode =
  | CompareCallNode
  | AndNode
  | OrNode
  | NotNode
  | SearchTextNode
  | CompareNode
  | InRangeNode
  | InListNode
  | LikeNode
  | IsNullNode
  | IsBoolNode
  | PredicateNode;

// ----- select, group_by, order_by -----

export interface SelectAll { kind: 'select_all'; location: Loc }
export interface SelectPattern { kind: 'include' | 'exclude'; patterns: string[]; location: Loc }
export interface AliasedItem { kind: 'item'; expr: Expr; alias: string | null; location: Loc }
export type SelectItem = SelectAll | SelectPattern | AliasedItem;
export interface OrderItem { expr: Expr; direction: 'asc' | 'desc'; location: Loc }

export const odsqlBuilders = {
  or: (children: WhereNode[], location: Loc): OrNode => ({ type: 'or', children, location }),
  and: (children: WhereNode[], location: Loc): AndNode => ({ type: 'and', children, location }),
  not: (child: WhereNode, location: Loc): NotNode => ({ type: 'not', child, location }),
  searchText: (text: StringLiteral, location: Loc): SearchTextNode => ({ type: 'search_text', text, location }),
  compare: (field: FieldRef, op: CompareOp, value: Literal, location: Loc): CompareNode => ({ type: 'compare', field, op, value, location }),
  inRange: (field: FieldRef, low: Literal, high: Literal, lowInclusive: boolean, highInclusive: boolean, location: Loc): InRangeNode => ({
    type: 'in_range',
    field,
    low,
    high,
    lowInclusive,
    highInclusive,
    location,
  }),
  inList: (field: FieldRef, values: Literal[], location: Loc): InListNode => ({ type: 'in_list', field, values, location }),
  like: (field: FieldRef, pattern: StringLiteral, location: Loc): LikeNode => ({ type: 'like', field, pattern, location }),
  compareCall: (call: Call, op: CompareOp, value: Literal, location: Loc): CompareCallNode => ({ type: 'compare_call', call, op, value, location }),
  isNull: (field: FieldRef, negated: boolean, location: Loc): IsNullNode => ({ type: 'is_null', field, negated, location }),
  isBool: (field: FieldRef, value: boolean, location: Loc): IsBoolNode => ({ type: 'is_bool', field, value, location }),
  predicate: (call: Call, location: Loc): PredicateNode => ({ type: 'predicate', call, location }),
  call: (name: string, args: Arg[], location: Loc): Call => ({ kind: 'call', name, args, location }),
  field: (name: string, location: Loc): FieldRef => ({ kind: 'field', name, location }),
  star: (location: Loc): Star => ({ kind: 'star', location }),
  distinct: (expr: Expr, location: Loc): Distinct => ({ kind: 'distinct', expr, location }),
  steps: (values: Literal[], openLow: boolean, openHigh: boolean, location: Loc): Steps => ({ kind: 'steps', values, openLow, openHigh, location }),
  interval: (count: number, unit: string, location: Loc): Interval => ({ kind: 'interval', count, unit, location }),
  binary: (op: Binary['op'], left: Expr, right: Expr, location: Loc): Binary => ({ kind: 'binary', op, left, right, location }),
  stringLiteral: (value: string, location: Loc): StringLiteral => ({ kind: 'string', value, location }),
  numberLiteral: (text: string, location: Loc): NumberLiteral => ({ kind: 'number', text, location }),
  boolLiteral: (value: boolean, location: Loc): BoolLiteral => ({ kind: 'bool', value, location }),
  nullLiteral: (location: Loc): NullLiteral => ({ kind: 'null', location }),
  dateLiteral: (text: string, location: Loc): DateLiteral => ({ kind: 'date', text, location }),
  geomLiteral: (text: string, location: Loc): GeomLiteral => ({ kind: 'geom', text, location }),
  distanceLiteral: (value: number, unit: string, location: Loc): DistanceLiteral => ({ kind: 'distance', value, unit, location }),
  nowLiteral: (args: NowArg[], location: Loc): NowLiteral => ({ kind: 'now', args, location }),
  selectAll: (location: Loc): SelectAll => ({ kind: 'select_all', location }),
  selectPattern: (kind: 'include' | 'exclude', patterns: string[], location: Loc): SelectPattern => ({ kind, patterns, location }),
  item: (expr: Expr, alias: string | null, location: Loc): AliasedItem => ({ kind: 'item', expr, alias, location }),
  order: (expr: Expr, direction: 'asc' | 'desc', location: Loc): OrderItem => ({ expr, direction, location }),
};

export type OdsqlBuilders = typeof odsqlBuilders;
