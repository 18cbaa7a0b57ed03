/**
 * `where` (and `refine`/`exclude`) → OpenSearch query. Pure: no I/O.
 *
 * Each ODSQL predicate is rewritten into the node of the v1 query language (src/query/ast.ts)
 * that means the same thing, and that node goes through the v1 check and translate passes
 * (src/query/check.ts, src/query/to-dsl): field resolution, hidden fields, dates in the request's
 * time zone, now(), distances and polygons behave exactly as they do for `q`. Only what v1 has no
 * node for is built here (`!=`, exclusive bounds, lists, `intersects()`/`geometry()` on a shape).
 * Every problem is collected with its position and thrown as one `query_semantic` error.
 * docs/odsql.md lists the mapping.
 */
import { builders, type LocationRange, type QueryNode, type TextValue } from '../query/ast';
import { checkQuery } from '../query/check';
import { compileEnv, type CompileEnv, type PassEnv, type QueryContext } from '../query/context';
import { parseFragment } from '../query/parse';
import { limitError, semanticError, type Diagnostic, type QuerySource } from '../query/query-error';
import { lookupField, unknownFieldProblem, type ResolvedField } from '../query/resolve-field';
import { toDsl, type OsQuery } from '../query/to-dsl';
import { andQuery, notQuery, orQuery } from '../query/to-dsl/boolean';
import { matchNone } from '../query/to-dsl/dsl';
import type { Arg, Call, CompareOp, DateLiteral, FieldRef, GeomLiteral, Literal, WhereNode } from './ast';
import { MAX_ODSQL_DEPTH, parseWhere } from './parse';
import { parseGeometry, type Geometry } from './geometry';

/** Leaves (comparisons, functions, strings) in one clause: OpenSearch's default bool clause bound. */
export const MAX_WHERE_LEAVES = 1024;

const METERS: Record<string, number> = { m: 1, km: 1000, mi: 1609.344, yd: 0.9144, ft: 0.3048, cm: 0.01, mm: 0.001 };

class Translator {
  readonly diagnostics: Diagnostic[] = [];
  private leaves = 0;

  constructor(
    private readonly env: CompileEnv,
    private readonly text: string,
    private readonly source: QuerySource,
  ) {}

  report(message: string, at: LocationRange, details?: Record<string, unknown>): void {
    this.diagnostics.push({ message, start: at.start, ...(details === undefined ? {} : { details }) });
  }

  /** A v1 node: checked by the v1 check pass, then translated by the v1 translate pass. */
  private v1(node: QueryNode): OsQuery {
    const problems = checkQuery(node, this.env);
    if (problems.length > 0) {
      this.diagnostics.push(...problems);
      return matchNone();
    }
    const pass: PassEnv = {
      ...this.env,
      report: (message, at, details) => {
        throw semanticError(this.text, this.source, [{ message, start: at.start, ...(details === undefined ? {} : { details }) }]);
      },
    };
    return toDsl(node, pass);
  }

  private field(ref: FieldRef): ResolvedField | undefined {
    const f = lookupField(this.env.schema, ref.name);
    if (f === undefined) {
      const p = unknownFieldProblem(this.env.schema, ref.name);
      this.report(p.message, ref.location, p.details);
    }
    return f;
  }

  private v1Field(ref: FieldRef) {
    return builders.field(ref.name, ref.location);
  }

  /** A literal as the v1 value it stands for (dates carry their parts, as v1's bare dates do). */
  private value(lit: Literal): TextValue | ReturnType<typeof builders.now> | undefined {
    switch (lit.kind) {
      case 'string':
        return withDate(builders.text(lit.value, true, lit.location), lit.value);
      case 'number':
        return builders.text(lit.text, false, lit.location);
      case 'date': {
        const v = withDate(builders.text(lit.text, true, lit.location), lit.text);
        if (v.date === undefined) this.report(`invalid date literal ${JSON.stringify(lit.text)}: expected YYYY, YYYY-MM, YYYY-MM-DD or an ISO 8601 date and time`, lit.location);
        return v;
      }
      case 'now':
        return builders.now(
          lit.args.map((a) => builders.nowArg(a.name, { kind: 'int', value: a.value }, a.location)),
          lit.location,
        );
      case 'bool':
        this.report('this dataset schema has no boolean fields: compare with a value of the field\'s type', lit.location);
        return undefined;
      default:
        this.report(`a ${lit.kind} literal cannot be compared with a field here`, lit.location);
        return undefined;
    }
  }

  translate(node: WhereNode, depth = 0): OsQuery {
    if (depth > MAX_ODSQL_DEPTH) {
      // AND/OR/NOT nested deeper than this would nest the OpenSearch query as deep.
      throw limitError(this.source, `operators are nested more than ${MAX_ODSQL_DEPTH} levels deep`, 'maxDepth', MAX_ODSQL_DEPTH, node.location.start);
    }
    switch (node.type) {
      case 'and':
        return andQuery(node.children.map((c) => this.translate(c, depth + 1)));
      case 'or':
        return orQuery(node.children.map((c) => this.translate(c, depth + 1)));
      case 'not':
        return notQuery(this.translate(node.child, depth + 1));
      default:
        if (++this.leaves > MAX_WHERE_LEAVES) {
          this.report(`the clause has more than ${MAX_WHERE_LEAVES} conditions`, node.location);
          return matchNone();
        }
        return this.leaf(node);
    }
  }

  private leaf(node: Exclude<WhereNode, { type: 'and' | 'or' | 'not' }>): OsQuery {
    switch (node.type) {
      case 'search_text':
        return this.fullText(node.text.value, node.location);
      case 'compare':
        return this.compare(node.field, node.op, node.value, node.location);
      case 'in_range': {
        const low = this.compare(node.field, node.lowInclusive ? '>=' : '>', node.low, node.location);
        const high = this.compare(node.field, node.highInclusive ? '<=' : '<', node.high, node.location);
        return andQuery([low, high]);
      }
      case 'in_list':
        return orQuery(node.values.map((v) => this.compare(node.field, '=', v, node.location)));
      case 'like': {
        const f = this.field(node.field);
        if (f === undefined) return matchNone();
        if (f.paths.text === undefined) {
          this.report(`like works on text fields, not on the ${f.type} field "${f.name}"`, node.field.location);
          return matchNone();
        }
        const pattern = node.pattern.value.replace(/[*%]+$/, '');
        const text = builders.text(pattern, true, node.pattern.location);
        // `like "star"` matches the words of the value anywhere in the field (v1's `field:value`);
        // a trailing * (or %) makes the last word a prefix.
        return pattern === node.pattern.value
          ? this.v1(builders.compare(this.v1Field(node.field), ':', text, node.location))
          : this.v1(builders.search([this.v1Field(node.field)], false, text, node.location));
      }
      case 'is_null': {
        const q = this.v1(builders.isNull(this.v1Field(node.field), node.location));
        return node.negated ? notQuery(q) : q;
      }
      case 'is_bool': {
        const f = this.field(node.field);
        if (f !== undefined) this.report(`the ${f.type} field "${f.name}" is not a boolean: compare it with a value`, node.field.location, { field: f.name });
        return matchNone();
      }
      case 'predicate':
        return this.predicate(node.call);
      case 'compare_call':
        return this.compareCall(node.call, node.op, node.value, node.location);
    }
  }

  /**
   * `year(d) <op> N` is a comparison of the date field with the year N as a period, which the v1
   * builders already write (a bare year is the whole year in the request's time zone): = and != the
   * year itself, >= and < from its first instant, > and <= from the first instant of the next year.
   * Other functions (month(), day(), date_format()...) pick parts that recur every year: no range
   * of the field says them, and they are refused with a hint.
   */
  private compareCall(call: Call, op: CompareOp, lit: Literal, at: LocationRange): OsQuery {
    if (call.name !== 'year') {
      this.report(`${call.name}() cannot be compared with a value in a where clause: only year(field) can; compare the field itself otherwise (a date range, date'2020-03' for a month)`, call.location);
      return matchNone();
    }
    const [ref] = call.args;
    if (call.args.length !== 1 || ref === undefined || ref.kind !== 'field') {
      this.report('year() takes one date or datetime field', call.location);
      return matchNone();
    }
    const f = this.field(ref);
    if (f === undefined) return matchNone();
    if (f.type !== 'date' && f.type !== 'datetime') {
      this.report(`year() works on date and datetime fields, not on the ${f.type} field "${f.name}"`, ref.location);
      return matchNone();
    }
    const text = lit.kind === 'number' ? lit.text : lit.kind === 'string' ? lit.value.trim() : '';
    if (!/^\d{4}$/.test(text)) {
      this.report(`year(${f.name}) is compared with a year of four digits, such as 2020`, lit.location);
      return matchNone();
    }
    const year = (n: number): DateLiteral => ({ kind: 'date', text: String(n), location: lit.location });
    const n = Number(text);
    switch (op) {
      case '=':
      case ':':
        return this.compare(ref, '=', year(n), at);
      case '!=':
        return notQuery(this.compare(ref, '=', year(n), at));
      case '>=':
      case '<':
        return this.compare(ref, op, year(n), at);
      case '>':
        return this.compare(ref, '>=', year(n + 1), at);
      case '<=':
        return this.compare(ref, '<', year(n + 1), at);
    }
  }

  /** Quoted words anywhere: every word must be present; `word*` is a prefix. */
  private fullText(text: string, at: LocationRange): OsQuery {
    const words = text.split(/\s+/).filter((w) => w !== '');
    if (words.length === 0) return { match_all: {} };
    return andQuery(
      words.map((w) =>
        w.endsWith('*') && w.length > 1 ? this.v1(builders.word(w.replace(/\*+$/, ''), at)) : this.v1(builders.phrase(w.replace(/\*+$/, ''), at)),
      ),
    );
  }

  private compare(ref: FieldRef, op: string, lit: Literal, at: LocationRange): OsQuery {
    if (lit.kind === 'null') {
      const isNull = this.v1(builders.isNull(this.v1Field(ref), at));
      if (op === '=' || op === ':') return isNull;
      if (op === '!=') return notQuery(isNull);
      this.report(`null can only be compared with = or !=`, lit.location);
      return matchNone();
    }
    const f = this.field(ref);
    const value = this.value(lit);
    if (f === undefined || value === undefined) return matchNone();
    if (op === '!=') return notQuery(this.compare(ref, '=', lit, at));
    if ((op === '=' || op === ':') && f.paths.text !== undefined && value.kind === 'text') {
      // Text equality is the exact value, not tokenized and not normalised (#exact in v1).
      return this.v1(builders.exact(this.v1Field(ref), value, at));
    }
    return this.v1(builders.compare(this.v1Field(ref), op === ':' ? '=' : (op as '=' | '<' | '<=' | '>' | '>='), value, at));
  }

  private args(call: Call, min: number, max: number, usage: string): Arg[] | undefined {
    if (call.args.length < min || call.args.length > max) {
      this.report(`${call.name}() takes ${usage}`, call.location);
      return undefined;
    }
    return call.args;
  }

  private predicate(call: Call): OsQuery {
    switch (call.name) {
      case 'search':
      case 'suggest':
      case 'startswith':
        return this.textPredicate(call);
      case 'within_distance':
      case 'distance': {
        const a = this.args(call, 3, 3, 'a geo field, a geom\'POINT(lon lat)\' and a distance such as 10km');
        if (a === undefined) return matchNone();
        const [ref, center, radius] = a as [Arg, Arg, Arg];
        if (ref.kind !== 'field') return this.expected(ref, 'a field name');
        const point = this.point(center);
        if (radius.kind !== 'distance' && radius.kind !== 'number') return this.expected(radius, 'a distance such as 10km or 500m');
        if (point === undefined) return matchNone();
        const meters = radius.kind === 'distance' ? radius.value * (METERS[radius.unit] ?? 1) : Number(radius.text);
        return this.v1(
          builders.distance(
            this.v1Field(ref),
            builders.text(`${point.lat}, ${point.lon}`, true, center.location),
            builders.number(String(meters), radius.location),
            call.location,
          ),
        );
      }
      case 'in_bbox': {
        const a = this.args(call, 5, 5, 'a geo field and four numbers: lat1, lon1, lat2, lon2');
        if (a === undefined) return matchNone();
        const [ref, ...coords] = a as [Arg, Arg, Arg, Arg, Arg];
        if (ref.kind !== 'field') return this.expected(ref, 'a field name');
        const n = coords.map((c) => (c.kind === 'number' ? Number(c.text) : NaN));
        const bad = coords.find((c, i) => !Number.isFinite(n[i]) && c !== undefined);
        if (bad !== undefined) return this.expected(bad, 'a number');
        return this.box(ref, n[0]!, n[1]!, n[2]!, n[3]!, call.location);
      }
      case 'bbox': {
        const a = this.args(call, 3, 3, "a geo field and two geom'POINT(lon lat)' corners");
        if (a === undefined) return matchNone();
        const [ref, c1, c2] = a as [Arg, Arg, Arg];
        if (ref.kind !== 'field') return this.expected(ref, 'a field name');
        const p1 = this.point(c1);
        const p2 = this.point(c2);
        if (p1 === undefined || p2 === undefined) return matchNone();
        return this.box(ref, p1.lat, p1.lon, p2.lat, p2.lon, call.location);
      }
      case 'polygon': {
        const a = this.args(call, 2, 2, "a geo field and a geom'POLYGON(...)'");
        if (a === undefined) return matchNone();
        const [ref, shape] = a as [Arg, Arg];
        if (ref.kind !== 'field') return this.expected(ref, 'a field name');
        const g = this.geometry(shape);
        if (g === undefined) return matchNone();
        if (g.type !== 'Polygon') return this.expected(shape, 'a polygon');
        const ring = (g.coordinates as number[][][])[0]!;
        const points = ring.map(([lon, lat]) => `(${lat},${lon})`).join(',');
        return this.v1(builders.polygon(this.v1Field(ref), builders.text(points, true, shape.location), call.location));
      }
      case 'intersects':
      case 'geometry': {
        const a = this.args(call, 2, 3, "a geo field, a geometry literal and, for geometry(), INTERSECTS, WITHIN or DISJOINT");
        if (a === undefined) return matchNone();
        const [ref, shape, mode] = a as [Arg, Arg, Arg | undefined];
        if (ref.kind !== 'field') return this.expected(ref, 'a field name');
        let relation = 'intersects';
        if (mode !== undefined) {
          const name = mode.kind === 'field' ? mode.name.toLowerCase() : '';
          const known: Record<string, string> = { intersect: 'intersects', intersects: 'intersects', within: 'within', disjoint: 'disjoint' };
          if (known[name] === undefined) return this.expected(mode, 'INTERSECTS, WITHIN or DISJOINT');
          relation = known[name]!;
        }
        const f = this.field(ref);
        const g = this.geometry(shape);
        if (f === undefined || g === undefined) return matchNone();
        if (f.type !== 'geo_shape' && f.type !== 'geo_point_2d') {
          this.report(`${call.name}() works on geo_point_2d and geo_shape fields, not on the ${f.type} field "${f.name}"`, ref.location);
          return matchNone();
        }
        return { geo_shape: { [f.paths.value]: { shape: g as unknown as OsQuery, relation } } };
      }
      default:
        this.report(
          `unknown function ${call.name}(): expected search, suggest, startswith, within_distance, in_bbox, intersects, geometry, distance, polygon or bbox`,
          call.location,
        );
        return matchNone();
    }
  }

  /** search(), suggest(), startswith(): optional fields, then the text (last argument). */
  private textPredicate(call: Call): OsQuery {
    if (call.args.length === 0) {
      this.report(`${call.name}() takes optional field names then a string`, call.location);
      return matchNone();
    }
    const last = call.args[call.args.length - 1]!;
    if (last.kind !== 'string') return this.expected(last, 'a string');
    const refs: FieldRef[] = [];
    for (const a of call.args.slice(0, -1)) {
      if (a.kind !== 'field') return this.expected(a, 'a field name');
      refs.push(a);
    }
    const text = builders.text(last.value, true, last.location);
    if (call.name === 'search') {
      if (refs.length === 0) return this.fullText(last.value, call.location);
      return this.v1(builders.search(refs.map((r) => this.v1Field(r)), false, text, call.location));
    }
    if (call.name === 'suggest') {
      // Words in order, the last one a prefix (v1's #search).
      return this.v1(builders.search(refs.map((r) => this.v1Field(r)), refs.length === 0, text, call.location));
    }
    // startswith: the whole value starts with the text (v1's #startswith), on each field given,
    // or a prefix of any word in any text field when no field is given.
    if (refs.length === 0) return this.v1(builders.word(last.value, call.location));
    return orQuery(refs.map((r) => this.v1(builders.startsWith(this.v1Field(r), text, call.location))));
  }

  private box(ref: FieldRef, lat1: number, lon1: number, lat2: number, lon2: number, at: LocationRange): OsQuery {
    const points = `(${lat1},${lon1}),(${lat1},${lon2}),(${lat2},${lon2}),(${lat2},${lon1})`;
    return this.v1(builders.polygon(this.v1Field(ref), builders.text(points, true, at), at));
  }

  private geometry(arg: Arg): Geometry | undefined {
    if (arg.kind !== 'geom') {
      this.expected(arg, "a geometry literal, geom'...' (WKT or GeoJSON)");
      return undefined;
    }
    const g = parseGeometry((arg as GeomLiteral).text);
    if (!g.ok) {
      this.report(`invalid geometry literal: ${g.problem}`, arg.location);
      return undefined;
    }
    return g.value;
  }

  private point(arg: Arg): { lat: number; lon: number } | undefined {
    const g = this.geometry(arg);
    if (g === undefined) return undefined;
    if (g.type !== 'Point') {
      this.expected(arg, "a point, geom'POINT(lon lat)'");
      return undefined;
    }
    const [lon, lat] = g.coordinates as number[];
    return { lat: lat!, lon: lon! };
  }

  private expected(arg: Arg, what: string): OsQuery {
    this.report(`expected ${what}`, arg.location);
    return matchNone();
  }
}

function withDate(v: TextValue, text: string): TextValue {
  const parsed = parseFragment('DateLiteral', text);
  return parsed.ok ? { ...v, date: parsed.value } : v;
}

/**
 * Compiles one ODSQL filter clause. `parameter` names it in errors (`where`, `refine`...).
 * Empty text gives match_all.
 */
export function compileWhere(text: string, ctx: QueryContext, parameter = 'where'): OsQuery {
  if (text.trim() === '') return { match_all: {} };
  const root = parseWhere(text, parameter);
  const source: QuerySource = { parameter };
  const t = new Translator(compileEnv(ctx), text, source);
  const query = t.translate(root);
  if (t.diagnostics.length > 0) throw semanticError(text, source, t.diagnostics);
  return query;
}

/** Every clause of a request (several `where`, `refine`, `exclude`...) ANDed; excluded ones negated. */
export function compileFilters(clauses: ReadonlyArray<{ text: string; parameter: string; negate?: boolean }>, ctx: QueryContext): OsQuery {
  return andQuery(clauses.map((c) => (c.negate ? notQuery(compileWhere(c.text, ctx, c.parameter)) : compileWhere(c.text, ctx, c.parameter))));
}
