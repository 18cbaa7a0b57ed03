/**
 * The v1 query language (`q`), public API. Pure: no I/O, no environment.
 *
 *   compileQuery(q, ctx)        one q → OpenSearch query DSL
 *   compileQueries(qs, ctx)     every q of a request (q, repeated q, q.<name>) ANDed
 *   resolveField(schema, name, use)   the single field-name → OpenSearch-path resolver (facets,
 *                               sort, analyze use it too; hidden fields are unknown)
 *   parsePolygon, parseLatLon, parseLatLonDistance, closeAndOrientRing   geofilter helpers
 *
 * docs/query-language.md describes the language and its decisions.
 */
export { compileQuery, compileQueries, type NamedQuery } from './compile';
export { DEFAULT_LIMITS, type CallerAttributes, type QueryContext, type QueryLimits } from './context';
export {
  ALL_TEXT_PATH,
  PSEUDO_FIELDS,
  fullTextPaths,
  closestFieldNames,
  lookupField,
  resolveField,
  visibleFieldNames,
  type FieldPaths,
  type FieldUse,
  type QuerySchema,
  type ResolvedField,
} from './resolve-field';
export {
  DEFAULT_MAX_POLYGON_POINTS,
  closeAndOrientRing,
  parseLatLon,
  parseLatLonDistance,
  parsePolygon,
  type GeoResult,
  type LatLon,
} from './geo';
export { literalPeriod, instantPeriod, type DateKind, type Period } from './dates';
export { zoneOf, type Zone } from './zone';
export { parseQuery } from './parse';
export { clearQueryCaches } from './lru';
export { printQuery } from './print';
export type { QueryNode } from './ast';
export type { Json, OsQuery } from './to-dsl';
