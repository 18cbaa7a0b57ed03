/**
 * OpenSearch `_search` response → the v1 search responses (docs/v1-api.md: Catalog search, Record search, Facets):
 *   records: { nhits, parameters, records: [record], facet_groups? }
 *   catalog: { nhits, parameters, datasets: [dataset object], facet_groups? }
 * - `facet_groups` only when facets were asked AND there are hits (a capture with nhits 0 has none),
 *   one group `{name, facets}` per requested facet that has values, in the order of `facet`, then
 *   the groups of refined facets not named in `facet` (facet-specs.ts);
 * - with geofilter.distance each record's `fields` gains `dist`: meters from the center, as a string
 *   with 12 significant digits the way the Python v1 service printed floats ("82.0709088808").
 */
import type { DatasetDescriptor } from '../datasets/descriptor';
import { firstFieldOfType, parseDescriptor } from '../datasets/descriptor';
import { GatewayError } from '../errors';
import { type FacetContext, type FacetSpec, facetAggName } from '../search/facets/facet-kind';
import { FACET_KINDS } from '../search/facets/facet-specs';
import { buildFacetTree, type FacetValue } from '../search/facets/facet-tree';
import type { DistanceCenter } from '../search/geofilters';
import { haversineMeters } from '../search/geofilters';
import { datasetObject, type DatasetObjectOptions } from './dataset-object';
import type { RecordJson } from './json-writer';
import { recordRenderer, type StoredRecord, type V1Record } from './record';

export interface FacetGroup {
  name: string;
  facets: FacetValue[];
}

interface Hits {
  total: number;
  sources: Record<string, unknown>[];
}

export function readHits(response: Record<string, unknown>): Hits {
  const hits = (response.hits ?? {}) as { total?: number | { value?: number }; hits?: { _source?: Record<string, unknown> }[] };
  const total = typeof hits.total === 'number' ? hits.total : (hits.total?.value ?? 0);
  return { total, sources: (hits.hits ?? []).map((h) => h._source ?? {}) };
}

export function facetGroups(specs: FacetSpec[], ctx: FacetContext, response: Record<string, unknown>): FacetGroup[] {
  const aggregations = (response.aggregations ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const groups: FacetGroup[] = [];
  for (const spec of specs.filter((s) => s.requested)) {
    const kind = FACET_KINDS[spec.kind];
    const agg = aggregations[facetAggName(spec.name)] ?? {};
    const facets = buildFacetTree(kind, spec, kind.fromAggregation(spec, agg), ctx);
    if (facets.length > 0) groups.push({ name: spec.name, facets });
  }
  return groups;
}

/** A float as Python 2's str() printed it: 12 significant digits, ".0" on whole numbers. */
export function pythonFloat(n: number): string {
  const s = String(Number(n.toPrecision(12)));
  return /[.e]/.test(s) ? s : `${s}.0`;
}

function distanceOf(descriptor: DatasetDescriptor, source: Record<string, unknown>, center: DistanceCenter): string | undefined {
  const point = firstFieldOfType(descriptor, 'geo_point_2d');
  const v = point ? (source.fields as Record<string, unknown> | undefined)?.[point.name] : undefined;
  const p = v as { lat?: unknown; lon?: unknown } | undefined;
  if (typeof p?.lat !== 'number' || typeof p.lon !== 'number') return undefined;
  return pythonFloat(haversineMeters(center.lat, center.lon, p.lat, p.lon));
}

export interface RecordsResponseInput {
  descriptor: DatasetDescriptor;
  response: Record<string, unknown>;
  parameters: Record<string, unknown>;
  specs: FacetSpec[];
  facetContext: FacetContext;
  timezone: string;
  fields: string[] | undefined;
  distance: DistanceCenter | undefined;
  /** Which geometry a record carries (record.ts): `point` for JSON, `shape` for GeoJSON. */
  geometry?: 'point' | 'shape';
  /** The dataset id as asked (`id@domain`), carried by every record (record.ts). */
  datasetid?: string;
}

export interface RecordsResponse {
  nhits: number;
  parameters: Record<string, unknown>;
  records: V1Record[];
  facet_groups?: FacetGroup[];
}

export function recordsResponse(input: RecordsResponseInput): RecordsResponse {
  const { total, sources } = readHits(input.response);
  const render = recordRenderer(input.descriptor, {
    timezone: input.timezone,
    ...(input.fields ? { only: input.fields } : {}),
    ...(input.geometry ? { geometry: input.geometry } : {}),
    ...(input.datasetid !== undefined ? { datasetid: input.datasetid } : {}),
  });
  const records = sources.map((source) => {
    const r = render(source as unknown as StoredRecord);
    const dist = input.distance ? distanceOf(input.descriptor, source, input.distance) : undefined;
    if (dist !== undefined) r.fields.dist = dist;
    return r;
  });
  const out: RecordsResponse = { nhits: total, parameters: input.parameters, records };
  const groups = total > 0 ? facetGroups(input.specs, input.facetContext, input.response) : [];
  if (groups.length > 0) out.facet_groups = groups;
  return out;
}

/** The response as JSON text, its records written by `json` (doubles as `2.0`, json-writer.ts). */
export function recordsResponseJson(body: RecordsResponse, json: RecordJson): string {
  if (!json.custom) return JSON.stringify(body);
  let out = `{"nhits":${JSON.stringify(body.nhits)},"parameters":${JSON.stringify(body.parameters)},"records":[`;
  out += body.records.map(json.record).join(',');
  out += ']';
  if (body.facet_groups) out += `,"facet_groups":${JSON.stringify(body.facet_groups)}`;
  return `${out}}`;
}

export interface CatalogResponseInput {
  response: Record<string, unknown>;
  parameters: Record<string, unknown>;
  specs: FacetSpec[];
  facetContext: FacetContext;
  objectOptions: DatasetObjectOptions;
  /** The hits' descriptors as the caller may see them (default: as stored). */
  datasets?: readonly DatasetDescriptor[];
}

/** The descriptors of the catalog hits (what the CSV and RSS writers of the catalog read). */
export function catalogDescriptors(response: Record<string, unknown>): DatasetDescriptor[] {
  return readHits(response).sources.map((s) => {
    const id = String(s.recordid ?? '?');
    try {
      return parseDescriptor(s.dataset, `catalog entry of ${id}`);
    } catch (e) {
      throw new GatewayError('internal', `The catalog entry of dataset ${id} is invalid`, { cause: e });
    }
  });
}

export function catalogResponse(input: CatalogResponseInput): Record<string, unknown> {
  const { total } = readHits(input.response);
  const datasets = (input.datasets ?? catalogDescriptors(input.response)).map((d) => datasetObject(d, input.objectOptions));
  const out: Record<string, unknown> = { nhits: total, parameters: input.parameters, datasets };
  const groups = total > 0 ? facetGroups(input.specs, input.facetContext, input.response) : [];
  if (groups.length > 0) out.facet_groups = groups;
  return out;
}
