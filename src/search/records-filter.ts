/**
 * The filtering context of the endpoints without facets (analyze, geocluster, boundingbox, download):
 * q, refine/exclude/disjunctive and geofilter.* → ONE OpenSearch query (docs/opensearch-design.md,
 * One filter compiler for every endpoint: with no facet aggregation to protect, what search puts in post_filter folds into the query).
 *
 * It composes the pieces the record search uses (readSearchRequest, facetSpecs, geoFilters,
 * filterContext, flatten; src/query: compileQueries), so every record endpoint filters
 * the same way. `facet` is accepted and has no effect here (v1 download doc); `start` and `rows`
 * are not search-window bounded on these endpoints.
 */
import type { DatasetDescriptor } from '../datasets/descriptor';
import { type CallerAttributes, compileQueries } from '../query';
import type { QuerySchema } from '../query/resolve-field';
import { facetSpecs } from './facets/facet-specs';
import type { Clause } from './facets/facet-kind';
import { filterContext, flatten } from './filter-context';
import { geoFilters } from './geofilters';
import { type ParamSource, readSearchRequest } from './search-request';

export interface FilterOptions {
  timezone: string;
  /** The current instant, for #now in q. */
  now: Date;
  /** Fields the caller may not see: unknown everywhere. */
  hidden?: ReadonlySet<string>;
  /** The caller's attributes, for #attr in q. */
  attributes?: CallerAttributes;
  /** Where geofilter.bbox applies (src/search/geofilters.ts). */
  bboxOn?: 'point' | 'shape';
}

export function schemaOf(descriptor: DatasetDescriptor, hidden?: ReadonlySet<string>): QuerySchema {
  return { fields: descriptor.fields, ...(hidden ? { hidden } : {}) };
}

export function recordsFilterQuery(params: ParamSource, descriptor: DatasetDescriptor, options: FilterOptions): Clause {
  const schema = schemaOf(descriptor, options.hidden);
  const req = { ...readSearchRequest(params, options.timezone, { overflow: 'clamp', window: Number.MAX_SAFE_INTEGER }), facets: [] };
  const specs = facetSpecs(req, schema);
  const geo = geoFilters(req.geofilter, descriptor, schema, options.bboxOn ? { bboxOn: options.bboxOn } : {});
  const must = req.q.length > 0 ? [compileQueries(req.q, { schema, timezone: options.timezone, now: options.now, ...(options.attributes ? { attributes: options.attributes } : {}) }) as Clause] : [];
  return flatten(filterContext({ must, filter: geo.clauses }, specs, { timezone: options.timezone, maxValues: 0 }));
}
