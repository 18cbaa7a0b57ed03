/**
 * The typed search request shared by record search and catalog search (and, later, download):
 * every v1 search parameter read once, validated, with errors naming the parameter
 * (docs/v1-api.md: Catalog search, Record search, Facets, What real clients send). Unknown parameters are ignored.
 *
 * Pure: it reads any object with the RequestParams methods below (src/http/params/request-params.ts).
 */
import { badParameter } from '../errors';

export const FACET_SORTS = ['count', '-count', 'alphanum', '-alphanum', 'num', '-num'] as const;
export type FacetSort = (typeof FACET_SORTS)[number];

/** The search window of v1: start + rows may not exceed it (v1 doc: "cannot go over 10 000"). */
export const SEARCH_WINDOW = 10000;

export interface ParamSource {
  get(name: string): string | undefined;
  getAll(name: string): string[];
  names(): string[];
  withPrefix(prefix: string): Map<string, string[]>;
  bool(name: string, def: boolean): boolean;
  int(name: string, def: number, min: number, max: number): number;
  /** One of a fixed list of values, compared case-insensitively; absent → the default; else a 400. */
  oneOf<T extends string>(name: string, allowed: readonly T[], def: T): T;
}

export interface SearchRequest {
  /** `q` then every `q.<suffix>` value, in order, with the parameter each came from; all ANDed. */
  q: { parameter: string; q: string }[];
  /** Requested facets, in the order given, without repeats. */
  facets: string[];
  refine: Map<string, string[]>;
  exclude: Map<string, string[]>;
  disjunctive: Set<string>;
  facetsort: Map<string, FacetSort>;
  /** The `fields` restriction, in the order given; undefined when absent. */
  fields: string[] | undefined;
  /** Sort keys as sent (`-` prefix kept), from repeated or comma-separated `sort`. */
  sort: string[];
  rows: number;
  start: number;
  geofilter: GeofilterParams;
  timezone: string;
}

/** The geographic filters of a request, raw (parsed and checked by src/search/geofilters.ts). */
export interface GeofilterParams {
  distance: string[];
  polygon: string[];
  bbox: string[];
  /**
   * `geo_digest=<d>` (field: undefined, the first geo_shape field) and `geo_digest.<field>=<d>`: the
   * records of one shape, as the map widgets ask after a click on a geopreview or geopolygon shape.
   */
  digest?: { field: string | undefined; value: string }[];
}

function readDigests(params: ParamSource): { field: string | undefined; value: string }[] {
  const out = params.getAll('geo_digest').map((value) => ({ field: undefined as string | undefined, value: value.trim() }));
  for (const [field, values] of params.withPrefix('geo_digest.')) out.push(...values.map((value) => ({ field, value: value.trim() })));
  return out.filter((d) => d.value.length > 0);
}

export interface WindowPolicy {
  /**
   * `reject`: start + rows over the window is a 400 pointing to the download API (record search).
   * `clamp`: rows is cut to what the window allows (catalog search: clients send rows=1000000 to
   * list everything, docs/v1-api.md, What real clients send).
   */
  overflow: 'reject' | 'clamp';
  window?: number;
}

const splitList = (values: string[]): string[] =>
  values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter((s) => s.length > 0);

const unique = (values: string[]): string[] => [...new Set(values)];

function readFacetSorts(params: ParamSource): Map<string, FacetSort> {
  const out = new Map<string, FacetSort>();
  for (const [facet, values] of params.withPrefix('facetsort.')) {
    const raw = (values[0] ?? '').trim();
    const hit = FACET_SORTS.find((s) => s === raw);
    if (!hit) throw badParameter(`facetsort.${facet}`, `expected one of ${FACET_SORTS.join(', ')}, got "${raw.slice(0, 80)}"`);
    out.set(facet, hit);
  }
  return out;
}

function readDisjunctive(params: ParamSource): Set<string> {
  const out = new Set<string>();
  for (const facet of params.withPrefix('disjunctive.').keys()) {
    if (params.bool(`disjunctive.${facet}`, false)) out.add(facet);
  }
  return out;
}

/**
 * `rows=-1` means "every record": real clients send it (an Android app, Python and Dart scripts that
 * read every record of a small dataset, client code found by code search), so it is read as the
 * most the window allows from `start` (10 000 − start) rather than a 400; the download reads it as
 * no limit (src/download/download-request.ts).
 */
export const ALL_ROWS = '-1';

function readWindow(params: ParamSource, policy: WindowPolicy): { rows: number; start: number } {
  const window = policy.window ?? SEARCH_WINDOW;
  const start = params.int('start', 0, 0, Number.MAX_SAFE_INTEGER);
  const all = params.get('rows')?.trim() === ALL_ROWS;
  if (all && start <= window) return { rows: window - start, start };
  const rows = all ? window + 1 : params.int('rows', 10, 0, Number.MAX_SAFE_INTEGER);
  if (start + rows <= window) return { rows, start };
  if (policy.overflow === 'clamp' && start <= window) return { rows: window - start, start };
  const name = start > window || !params.get('rows') ? 'start' : 'rows';
  throw badParameter(
    name,
    `start + rows may not exceed ${window} (got start=${start}, rows=${rows}); page with smaller values, or use the download API (/api/records/1.0/download) to get every record`,
  );
}

/**
 * geofilter.distance, .polygon and .bbox values one request may send together (they are ANDed; v1
 * clients send one or two). Each is parsed and becomes an OpenSearch clause: thousands of them held
 * the event loop for a tenth of a second, for a query OpenSearch would refuse (1024 clauses).
 */
export const MAX_GEOFILTERS = 100;

function readGeofilters(params: ParamSource): SearchRequest['geofilter'] {
  const out = { distance: [] as string[], polygon: [] as string[], bbox: [] as string[] };
  let total = 0;
  for (const kind of ['distance', 'polygon', 'bbox'] as const) {
    out[kind] = params.getAll(`geofilter.${kind}`);
    total += out[kind].length;
    if (total > MAX_GEOFILTERS) throw badParameter(`geofilter.${kind}`, `at most ${MAX_GEOFILTERS} geofilter values per request (they are all ANDed)`);
  }
  const digest = readDigests(params);
  if (total + digest.length > MAX_GEOFILTERS) throw badParameter('geo_digest', `at most ${MAX_GEOFILTERS} geofilter and geo_digest values per request (they are all ANDed)`);
  return { ...out, digest };
}

/** Reads and validates the search parameters. `timezone` is validated by the caller (HTTP layer). */
export function readSearchRequest(params: ParamSource, timezone: string, policy: WindowPolicy): SearchRequest {
  const q = params.getAll('q').map((v) => ({ parameter: 'q', q: v }));
  for (const name of params.names()) if (name.startsWith('q.')) q.push(...params.getAll(name).map((v) => ({ parameter: name, q: v })));
  const fields = params.getAll('fields');
  return {
    q: q.filter((s) => s.q.trim().length > 0),
    facets: unique(params.getAll('facet').map((s) => s.trim()).filter((s) => s.length > 0)),
    refine: params.withPrefix('refine.'),
    exclude: params.withPrefix('exclude.'),
    disjunctive: readDisjunctive(params),
    facetsort: readFacetSorts(params),
    fields: fields.length > 0 ? unique(splitList(fields)) : undefined,
    sort: splitList(params.getAll('sort')),
    ...readWindow(params, policy),
    geofilter: readGeofilters(params),
    timezone,
  };
}
