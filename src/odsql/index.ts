/**
 * ODSQL, the query language of the Explore API v2.1, public API. Pure: no I/O, no environment,
 * no HTTP. docs/odsql.md describes the language as served here.
 *
 *   parseWhere/parseSelect/parseGroupBy/parseOrderBy   text → located AST (grammar/odsql.peggy)
 *   compileWhere, compileFilters                       where/refine/exclude → OpenSearch query,
 *                                                      through the v1 query builders (src/query)
 *   planAggregate                                      select aggregates + group_by → composite
 *                                                      sources, sub-aggregations and row shaping
 *   planRecords                                        select/order_by of plain records
 */
export { parseGroupBy, parseOrderBy, parseSelect, parseWhere, MAX_ODSQL_DEPTH, MAX_ODSQL_LENGTH } from './parse';
export { compileFilters, compileWhere, MAX_WHERE_LEAVES } from './where';
export { compareValues, hasAggregate, jodaToLuxon, planAggregate, type AggregateRequest, type Bucket, type GroupPlan } from './aggregate';
export { planRecords, v21Value, type RecordsPlan } from './records';
export { parseGeometry, type Geometry } from './geometry';
export type * from './ast';
