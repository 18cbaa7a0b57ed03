/**
 * A validated search request → ONE OpenSearch `_search` body: query + post_filter + one filtered
 * aggregation per requested facet (docs/opensearch-design.md: One filter compiler for every endpoint, Facets), sort, paging and _source.
 * Pure: the caller passes `now` (for #now in q) and the settings.
 *
 * Used by record search (the dataset's fields) and catalog search (CATALOG_DESCRIPTOR over metas).
 */
import type { DatasetDescriptor } from '../datasets/descriptor';
import { firstFieldOfType } from '../datasets/descriptor';
import { compileQueries } from '../query';
import { type QuerySchema, resolveField } from '../query/resolve-field';
import { type Clause, type FacetContext, type FacetSpec, facetAggName } from './facets/facet-kind';
import { FACET_KINDS, facetSpecs } from './facets/facet-specs';
import { RECORD_ID_PATH, RECORD_TIMESTAMP_PATH, valuePath } from '../datasets/field-paths';
import { filterContext } from './filter-context';
import { type DistanceCenter, geoFilters } from './geofilters';
import type { SearchRequest } from './search-request';
import { buildSort } from './sort';

export interface SearchPlanOptions {
  descriptor: DatasetDescriptor;
  /** Fields the caller may not see (permissions): they behave as unknown everywhere. */
  hidden?: ReadonlySet<string>;
  now: Date;
  maxFacetValues: number;
  /** `records`: a dataset's records; `catalog`: dataset objects (only recordid and dataset are read). */
  target: 'records' | 'catalog';
  /** Sort keys accepted and ignored. */
  ignoreSort?: (name: string) => boolean;
}

export interface SearchPlan {
  body: Record<string, unknown>;
  specs: FacetSpec[];
  facetContext: FacetContext;
  /** The geofilter.distance center, for `fields.dist`. */
  distance: DistanceCenter | undefined;
  /** The checked `fields` restriction (dataset fields only), in the order asked. */
  fields: string[] | undefined;
}

function sourceOf(req: SearchRequest, schema: QuerySchema, options: SearchPlanOptions): { fields: string[] | undefined; source: string[] } {
  if (options.target === 'catalog') return { fields: undefined, source: [RECORD_ID_PATH, 'dataset'] };
  if (!req.fields) return { fields: undefined, source: [RECORD_ID_PATH, RECORD_TIMESTAMP_PATH, 'fields'] };
  const fields = req.fields.map((n) => resolveField(schema, n, { parameter: 'fields' })).filter((f) => !f.pseudo).map((f) => f.name);
  // The geometry (and dist) of a record come from its geo fields, even when `fields` leaves them out.
  const geo = (['geo_point_2d', 'geo_shape'] as const)
    .map((t) => firstFieldOfType(options.descriptor, t)?.name)
    .filter((n): n is string => n !== undefined && !(schema.hidden?.has(n) ?? false));
  const names = [...new Set([...fields, ...geo])];
  return { fields, source: [RECORD_ID_PATH, RECORD_TIMESTAMP_PATH, ...names.map(valuePath)] };
}

export function planSearch(req: SearchRequest, options: SearchPlanOptions): SearchPlan {
  const schema: QuerySchema = { fields: options.descriptor.fields, ...(options.hidden ? { hidden: options.hidden } : {}) };
  const facetContext: FacetContext = { timezone: req.timezone, maxValues: options.maxFacetValues };
  const specs = facetSpecs(req, schema, { adHoc: options.target === 'records' });
  const geo = geoFilters(req.geofilter, options.descriptor, schema);
  const must = req.q.length > 0 ? [compileQueries(req.q, { schema, timezone: req.timezone, now: options.now }) as Clause] : [];
  const fc = filterContext({ must, filter: geo.clauses }, specs, facetContext);
  const sort = buildSort(req.sort, {
    schema,
    hasQuery: must.length > 0,
    ...(geo.distance ? { distance: geo.distance } : {}),
    ...(options.ignoreSort ? { ignore: options.ignoreSort } : {}),
  });
  const { fields, source } = sourceOf(req, schema, options);

  const body: Record<string, unknown> = { track_total_hits: true, from: req.start, size: req.rows, query: fc.query };
  if (fc.postFilter) body.post_filter = fc.postFilter;
  const requested = specs.filter((s) => s.requested);
  if (requested.length > 0) {
    body.aggs = Object.fromEntries(
      requested.map((s) => [
        facetAggName(s.name),
        { filter: fc.facetFilters.get(s.name), aggs: FACET_KINDS[s.kind].toAggregation(s, facetContext) },
      ]),
    );
  }
  body.sort = sort;
  body._source = source;
  return { body, specs, facetContext, distance: geo.distance, fields };
}
