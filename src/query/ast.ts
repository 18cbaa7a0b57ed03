/**
 * The AST of the v1 query language: a discriminated union on `type`, every node with the
 * `location` of its text in `q` (peggy's LocationRange), and the builders the grammar calls
 * (passed to the parser in `options.builders`, Kibana style, so the grammar imports nothing).
 *
 * The AST is syntax: a `compare` node says "field, operator, value" without knowing whether the
 * field exists or is a date. src/query/check.ts gives it meaning against a schema.
 */

/** A position in the query text, as peggy reports it (offset 0-based; line and column 1-based). */
export interface Position {
  offset: number;
  line: number;
  column: number;
}

export interface LocationRange {
  source?: unknown;
  start: Position;
  end: Position;
}

/** Node kinds; the types below derive from this list. */
export const NODE_TYPES = [
  'match_all',
  'and',
  'or',
  'not',
  'word',
  'phrase',
  'compare',
  'range',
  'is_null',
  'exact',
  'search',
  'starts_with',
  'distance',
  'polygon',
  'geometry',
  'attr',
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

export const COMPARE_OPS = [':', '=', '==', '>', '>=', '<', '<='] as const;
export type CompareOp = (typeof COMPARE_OPS)[number];

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface FieldRef {
  name: string;
  location: LocationRange;
}

/** A literal: bare (`paris`, `2016/09`, `-5`) or quoted (`"a b"`, `'x'`), escapes resolved. */
export interface TextValue {
  kind: 'text';
  text: string;
  quoted: boolean;
  /** Set when the text is shaped like a date (read by the grammar once; used only on date fields). */
  date?: DateParts;
  location: LocationRange;
}

export interface NumberArg {
  kind: 'number';
  /** As written; check.ts turns it into a number. */
  text: string;
  location: LocationRange;
}

export type NowArgValue = { kind: 'int'; value: number } | { kind: 'weekday'; day: Weekday; nth: number | null };

export interface NowArg {
  name: string;
  value: NowArgValue;
  location: LocationRange;
}

export interface NowValue {
  kind: 'now';
  args: NowArg[];
  location: LocationRange;
}

/** `*` as a value: `f:*` (has a value) and an open range bound. */
export interface AnyValue {
  kind: 'any';
  location: LocationRange;
}

export type ValueNode = TextValue | NowValue | AnyValue;

interface Base<T extends NodeType> {
  type: T;
  location: LocationRange;
}

export type MatchAllNode = Base<'match_all'>;
export interface AndNode extends Base<'and'> {
  children: QueryNode[];
}
export interface OrNode extends Base<'or'> {
  children: QueryNode[];
}
export interface NotNode extends Base<'not'> {
  child: QueryNode;
}
/** A bare word: a prefix, searched in every text field. */
export interface WordNode extends Base<'word'> {
  text: string;
}
/** A quoted phrase: these words in this order, searched in every text field. */
export interface PhraseNode extends Base<'phrase'> {
  text: string;
}
export interface CompareNode extends Base<'compare'> {
  field: FieldRef;
  op: CompareOp;
  value: ValueNode;
}
/** `field:[from TO to]`, inclusive. */
export interface RangeNode extends Base<'range'> {
  field: FieldRef;
  from: ValueNode;
  to: ValueNode;
}
export interface IsNullNode extends Base<'is_null'> {
  field: FieldRef;
}
export interface ExactNode extends Base<'exact'> {
  field: FieldRef;
  value: TextValue;
}
export interface SearchNode extends Base<'search'> {
  /** Empty when `all` (`#search(*, ...)`). */
  fields: FieldRef[];
  all: boolean;
  text: TextValue;
}
export interface StartsWithNode extends Base<'starts_with'> {
  field: FieldRef;
  prefix: TextValue;
}
export interface DistanceNode extends Base<'distance'> {
  /** null: the dataset's geo_point_2d field. */
  field: FieldRef | null;
  center: TextValue;
  radius: NumberArg;
}
export interface PolygonNode extends Base<'polygon'> {
  field: FieldRef;
  points: TextValue;
}
export interface GeometryNode extends Base<'geometry'> {
  field: FieldRef;
  shape: TextValue;
}
export interface AttrNode extends Base<'attr'> {
  field: FieldRef;
  attribute: TextValue;
}

export type QueryNode =
  | MatchAllNode
  | AndNode
  | OrNode
  | NotNode
  | WordNode
  | PhraseNode
  | CompareNode
  | RangeNode
  | IsNullNode
  | ExactNode
  | SearchNode
  | StartsWithNode
  | DistanceNode
  | PolygonNode
  | GeometryNode
  | AttrNode;

// ----- What the fragment start rules return (plain objects, no builders needed) -----

/** A date literal as written; ranges (month 1..12...) are checked by src/query/dates.ts. */
export interface DateParts {
  year: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
  second?: number;
  /** Digits after the decimal point of the seconds, as written. */
  fraction?: string;
  zone?: { offsetMinutes: number };
}

export interface LatLonParts {
  lat: number;
  lon: number;
  location: LocationRange;
}

export interface LatLonDistanceParts extends LatLonParts {
  meters: number | null;
}

// ----- Builders (the grammar's only way to make nodes) -----

type Loc = LocationRange;

export const builders = {
  matchAll: (location: Loc): MatchAllNode => ({ type: 'match_all', location }),
  and: (children: QueryNode[], location: Loc): AndNode => ({ type: 'and', children, location }),
  or: (children: QueryNode[], location: Loc): OrNode => ({ type: 'or', children, location }),
  not: (child: QueryNode, location: Loc): NotNode => ({ type: 'not', child, location }),
  word: (text: string, location: Loc): WordNode => ({ type: 'word', text, location }),
  phrase: (text: string, location: Loc): PhraseNode => ({ type: 'phrase', text, location }),
  field: (name: string, location: Loc): FieldRef => ({ name, location }),
  compare: (field: FieldRef, op: CompareOp, value: ValueNode, location: Loc): CompareNode => ({ type: 'compare', field, op, value, location }),
  range: (field: FieldRef, from: ValueNode, to: ValueNode, location: Loc): RangeNode => ({ type: 'range', field, from, to, location }),
  text: (text: string, quoted: boolean, location: Loc, date?: DateParts): TextValue =>
    date === undefined ? { kind: 'text', text, quoted, location } : { kind: 'text', text, quoted, date, location },
  number: (text: string, location: Loc): NumberArg => ({ kind: 'number', text, location }),
  anyValue: (location: Loc): AnyValue => ({ kind: 'any', location }),
  now: (args: NowArg[], location: Loc): NowValue => ({ kind: 'now', args, location }),
  nowArg: (name: string, value: NowArgValue, location: Loc): NowArg => ({ name, value, location }),
  isNull: (field: FieldRef, location: Loc): IsNullNode => ({ type: 'is_null', field, location }),
  exact: (field: FieldRef, value: TextValue, location: Loc): ExactNode => ({ type: 'exact', field, value, location }),
  search: (fields: FieldRef[], all: boolean, text: TextValue, location: Loc): SearchNode => ({ type: 'search', fields, all, text, location }),
  startsWith: (field: FieldRef, prefix: TextValue, location: Loc): StartsWithNode => ({ type: 'starts_with', field, prefix, location }),
  distance: (field: FieldRef | null, center: TextValue, radius: NumberArg, location: Loc): DistanceNode => ({
    type: 'distance',
    field,
    center,
    radius,
    location,
  }),
  polygon: (field: FieldRef, points: TextValue, location: Loc): PolygonNode => ({ type: 'polygon', field, points, location }),
  geometry: (field: FieldRef, shape: TextValue, location: Loc): GeometryNode => ({ type: 'geometry', field, shape, location }),
  attr: (field: FieldRef, attribute: TextValue, location: Loc): AttrNode => ({ type: 'attr', field, attribute, location }),
};

export type ParserBuilders = typeof builders;
