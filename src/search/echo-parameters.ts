/**
 * The `parameters` echo of a search response, as recorded v1 responses show it (docs/v1-api.md, Record search,
 * docs/v1-api.md, Record search):
 *   {"dataset": "council-districts", "timezone": "UTC", "q": "county==wake", "rows": 10, "start": 0,
 *    "sort": ["name"], "format": "json", "facet": ["at_large_representatives"],
 *    "refine": {"country": "gb"}, "geofilter.distance": ["48.853169,2.402782,100"]}
 * - `rows` and `start` always (ods-table renders nothing without `start`);
 * - `q`: a string for one value, a list for several (q and q.* together);
 * - `sort`, `facet`, `fields` (record search), `geofilter.*`: lists, `fields` as asked (recorded v1
 *   responses echo it; it was dropped before); `refine`/`exclude`: objects whose values are a string for
 *   one value and a list for several, with normalised paths; a hierarchical refine comes with its
 *   ancestors (`refine.date=2019/09/27` → `["2019", "2019/09", "2019/09/27"]`, tgvmax capture).
 */
import type { FacetSpec } from './facets/facet-kind';
import { FACET_KINDS } from './facets/facet-specs';
import type { SearchRequest } from './search-request';

const oneOrMany = (values: string[]): string | string[] => (values.length === 1 && values[0] !== undefined ? values[0] : values);

function valuesObject(specs: FacetSpec[], pick: (s: FacetSpec) => string[]): Record<string, string | string[]> | undefined {
  const out: Record<string, string | string[]> = {};
  for (const s of specs) {
    const values = pick(s);
    if (values.length > 0) out[s.name] = oneOrMany(values);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export interface EchoOptions {
  /** The dataset as the client named it (record search only). */
  dataset?: string;
  format: string;
  specs: FacetSpec[];
}

export function echoParameters(req: SearchRequest, options: EchoOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (options.dataset !== undefined) out.dataset = options.dataset;
  out.timezone = req.timezone;
  if (req.q.length > 0) out.q = oneOrMany(req.q.map((n) => n.q));
  out.rows = req.rows;
  out.start = req.start;
  if (req.sort.length > 0) out.sort = req.sort;
  if (options.dataset !== undefined && req.fields) out.fields = req.fields;
  out.format = options.format;
  if (req.facets.length > 0) out.facet = req.facets;
  const refine = valuesObject(options.specs, (s) => [
    ...new Set(s.kind === 'terms' ? s.refines : s.refines.flatMap((r) => FACET_KINDS[s.kind].chain(s.field, r))),
  ]);
  if (refine) out.refine = refine;
  const exclude = valuesObject(options.specs, (s) => s.excludes);
  if (exclude) out.exclude = exclude;
  for (const kind of ['distance', 'polygon', 'bbox'] as const) {
    if (req.geofilter[kind].length > 0) out[`geofilter.${kind}`] = req.geofilter[kind];
  }
  return out;
}
