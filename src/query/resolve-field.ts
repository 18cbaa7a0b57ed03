/**
 * The one place where a user-supplied field name becomes an OpenSearch path. The query language,
 * facets, sort and analyze all resolve names here, so a hidden field is refused the same way
 * everywhere: it behaves exactly like a field that does not exist (same error text, never listed
 * among the known fields), which leaves no oracle (docs/security.md, Dataset permissions).
 *
 * Paths follow the record layout (src/datasets/index-names.ts, src/datasets/mapping.ts):
 *   fields.<name>            the value: analysed text, long, double, date, geo_point, geo_shape
 *   fields.<name>.keyword    text only: exact, case-sensitive
 *   fields.<name>.lower      text only: lower-cased and accent-folded keyword
 *   __geo_type.<name>        geo_shape only: lower-case GeoJSON type
 *   recordid, record_timestamp   top-level pseudo-fields, always queryable
 */
import { badParameter, GatewayError } from '../errors';
import type { FieldDescriptor, FieldType } from '../datasets/descriptor';
import type { Position } from './ast';
import { geoTypePath, keywordPath, lowerPath, valuePath } from '../datasets/field-paths';

/** The catch-all text field that receives every text field (copy_to): the target of bare words. */
export const ALL_TEXT_PATH = '__all';

const ALL_TEXT: readonly string[] = Object.freeze([ALL_TEXT_PATH]);

/**
 * Where full text (bare words, phrases, `#search(*, ...)`) is searched for a caller.
 *
 * `__all` receives a copy of EVERY text field at index time, hidden ones included, so searching it
 * for a caller with a hidden text field would match, and rank, records by the hidden values (a word
 * is a prefix: a value could be read out character by character). Such a caller searches the text
 * fields it may see, one by one, instead: the same matches as `__all` on those fields (a phrase
 * never spans two values of `__all` either), scored with those fields' own statistics only. The
 * common case, nothing hidden or only non-text fields hidden (they never reach `__all`), keeps the
 * single `__all` lookup.
 */
export function fullTextPaths(schema: QuerySchema): readonly string[] {
  const hidden = schema.hidden;
  if (hidden === undefined || hidden.size === 0) return ALL_TEXT;
  // Fail closed: a hidden name whose type this schema does not know (callers usually pass the
  // descriptor with its hidden fields already removed) may be a text field.
  const byName = indexOf(schema.fields);
  const hidesText = [...hidden].some((name) => {
    const f = byName.get(name);
    return f === undefined || f.type === 'text';
  });
  if (!hidesText) return ALL_TEXT;
  return schema.fields.filter((f) => f.type === 'text' && !hidden.has(f.name)).map((f) => valuePath(f.name));
}

/** What a query is checked against: the dataset's fields minus those the caller may not see. */
export interface QuerySchema {
  readonly fields: readonly FieldDescriptor[];
  /** Names of fields the caller may not see: treated as unknown. */
  readonly hidden?: ReadonlySet<string>;
}

export interface FieldPaths {
  /** The field's own path (text fields: the analysed text). */
  readonly value: string;
  /** Analysed text with index_prefixes (text fields only). */
  readonly text?: string;
  /** Exact keyword, case-sensitive (text fields and recordid). */
  readonly keyword?: string;
  /** Keyword normalised with lowercase + asciifolding (text fields only). */
  readonly lower?: string;
  /** Keyword holding the lower-case GeoJSON type (geo_shape only). */
  readonly geoType?: string;
}

export interface ResolvedField {
  readonly name: string;
  readonly type: FieldType;
  readonly descriptor: FieldDescriptor;
  /** recordid and record_timestamp: not dataset fields, but queryable everywhere. */
  readonly pseudo: boolean;
  readonly paths: FieldPaths;
}

function pseudo(name: string, label: string, type: FieldType, paths: FieldPaths): ResolvedField {
  return { name, type, descriptor: { name, label, type }, pseudo: true, paths };
}

export const PSEUDO_FIELDS: ReadonlyMap<string, ResolvedField> = new Map([
  ['recordid', pseudo('recordid', 'Record id', 'text', { value: 'recordid', keyword: 'recordid' })],
  ['record_timestamp', pseudo('record_timestamp', 'Record timestamp', 'datetime', { value: 'record_timestamp' })],
]);

function pathsOf(f: FieldDescriptor): FieldPaths {
  const value = valuePath(f.name);
  switch (f.type) {
    case 'text':
      return { value, text: value, keyword: keywordPath(f.name), lower: lowerPath(f.name) };
    case 'geo_shape':
      return { value, geoType: geoTypePath(f.name) };
    default:
      return { value };
  }
}

// Descriptors are long-lived (loaded once per dataset version): index each fields array once.
const indexes = new WeakMap<readonly FieldDescriptor[], Map<string, ResolvedField>>();

function indexOf(fields: readonly FieldDescriptor[]): Map<string, ResolvedField> {
  let index = indexes.get(fields);
  if (index === undefined) {
    index = new Map();
    for (const f of fields) index.set(f.name, { name: f.name, type: f.type, descriptor: f, pseudo: false, paths: pathsOf(f) });
    indexes.set(fields, index);
  }
  return index;
}

/** The field, or undefined when it does not exist or is hidden (the two are indistinguishable). */
export function lookupField(schema: QuerySchema, name: string): ResolvedField | undefined {
  const p = PSEUDO_FIELDS.get(name);
  if (p !== undefined) return p;
  if (schema.hidden?.has(name)) return undefined;
  return indexOf(schema.fields).get(name);
}

/** Every field name the caller may use (visible dataset fields, then the pseudo-fields). */
export function visibleFieldNames(schema: QuerySchema): string[] {
  const names = schema.fields.map((f) => f.name).filter((n) => !schema.hidden?.has(n));
  return [...names, ...PSEUDO_FIELDS.keys()];
}

const HINT_SIZE = 5;

/** Up to `max` known field names, closest to `name` first (edit distance, ignoring case). */
export function closestFieldNames(schema: QuerySchema, name: string, max = HINT_SIZE): string[] {
  // Field names have at most 64 characters: a longer name costs no more than that to compare.
  const target = name.toLowerCase().slice(0, 64);
  return visibleFieldNames(schema)
    .map((n, i) => ({ n, i, d: editDistance(target, n.toLowerCase()) }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .slice(0, max)
    .map((x) => x.n);
}

/** The problem sentence for an unknown (or hidden) field, and its structured form. */
export function unknownFieldProblem(
  schema: QuerySchema,
  name: string,
): { message: string; details: { field: string; known_fields: string[] } } {
  const all = visibleFieldNames(schema).length;
  const known = closestFieldNames(schema, name);
  const more = all > known.length ? ` (and ${all - known.length} more)` : '';
  return {
    message: `unknown field "${truncate(name)}"; known fields, closest first: ${known.join(', ')}${more}`,
    details: { field: name, known_fields: known },
  };
}

/** Where a field name came from, for the error message. */
export interface FieldUse {
  /** The request parameter that named the field: `facet`, `sort`, `refine.city`, `x`... */
  parameter: string;
  /** When the name sits inside a longer text (an expression), its position there. */
  position?: Position;
}

/**
 * Resolves a field name for any parameter, or throws a 400 (`bad_parameter`) naming the parameter
 * and the closest known fields. Hidden fields are reported exactly like unknown ones.
 *
 * @example
 *   const f = resolveField({ fields: descriptor.fields, hidden }, 'population', { parameter: 'sort' });
 *   // f.type === 'int', f.paths.value === 'fields.population'
 */
export function resolveField(schema: QuerySchema, name: string, use: FieldUse): ResolvedField {
  const field = lookupField(schema, name);
  if (field !== undefined) return field;
  const problem = unknownFieldProblem(schema, name);
  const p = use.position;
  if (p === undefined) {
    const e = badParameter(use.parameter, problem.message);
    Object.assign(e.extra, problem.details);
    throw e;
  }
  throw new GatewayError(
    'bad_parameter',
    `Invalid value for parameter "${use.parameter}" at offset ${p.offset} (line ${p.line}, column ${p.column}): ${problem.message}`,
    { extra: { parameter: use.parameter, position: p.offset, line: p.line, column: p.column, ...problem.details } },
  );
}

function truncate(s: string, max = 64): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** Levenshtein distance, bounded in cost by the short names involved (≤ 64 characters). */
function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = cur;
  }
  return prev[b.length]!;
}
