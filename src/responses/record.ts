/**
 * A stored document (layout in src/datasets/index-names.ts) → the v1 record object:
 *   { datasetid, recordid, fields, geometry?, record_timestamp }
 * - empty and null values are left out of `fields`;
 * - geo_point_2d is shown [lat, lon]; the top-level `geometry` is GeoJSON ([lon, lat]): a Point from
 *   the dataset's geo_point_2d when it has one (recorded v1 responses of datasets with both a point
 *   and a shape carry the Point), else its shape; absent without geo. GeoJSON output asks for the
 *   shape first (`geometry: 'shape'`): a GeoJSON export of a shape dataset is its shapes;
 * - multivalued text (stored as a list) is joined back with its separator, as v1 shows the raw value;
 * - `only` restricts the fields (the `fields` parameter), in the order of the schema.
 */
import type { DatasetDescriptor, FieldDescriptor } from '../datasets/descriptor';
import { firstFieldOfType, multivaluedSeparator } from '../datasets/descriptor';
import { formatDate, formatDatetime } from './format-dates';

/** The stored layout is owned by src/datasets/stored-record.ts. */
export type { StoredRecord } from '../datasets/stored-record';
import type { StoredRecord } from '../datasets/stored-record';

export interface GeoJsonGeometry {
  type: string;
  coordinates?: unknown;
  geometries?: unknown;
}

export interface V1Record {
  datasetid: string;
  recordid: string;
  fields: Record<string, unknown>;
  geometry?: GeoJsonGeometry;
  record_timestamp?: string;
}

export interface RenderOptions {
  timezone: string;
  /** Field names to keep (already checked against the schema by the caller). */
  only?: readonly string[];
  /** `point` (default, v1 records): the geo_point_2d, else the shape; `shape` (GeoJSON): the shape, else the point. */
  geometry?: 'point' | 'shape';
  /**
   * The `datasetid` records carry: the id as the client named it (`commodity-prices@public` stays so
   * in recorded v1 responses); default the descriptor's.
   */
  datasetid?: string;
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

function latLon(v: unknown): [number, number] | undefined {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as { lat?: unknown; lon?: unknown };
    if (typeof o.lat === 'number' && typeof o.lon === 'number') return [o.lat, o.lon];
  }
  return undefined;
}

/** One stored value → its v1 JSON value, or undefined to leave it out. */
export function renderValue(field: FieldDescriptor, v: unknown, timezone: string): unknown {
  if (isEmpty(v)) return undefined;
  switch (field.type) {
    case 'text': {
      if (Array.isArray(v)) return v.join(multivaluedSeparator(field) ?? ', ');
      return String(v);
    }
    case 'int':
    case 'double':
      return typeof v === 'number' ? v : Number(v);
    case 'date':
      return typeof v === 'string' || typeof v === 'number' ? formatDate(v) : undefined;
    case 'datetime':
      return typeof v === 'string' || typeof v === 'number' ? formatDatetime(v, timezone) : undefined;
    case 'geo_point_2d':
      return latLon(v);
    case 'geo_shape':
    case 'file':
      return v;
  }
}

function geometryOf(
  shape: string | undefined,
  point: string | undefined,
  stored: Record<string, unknown>,
  first: 'point' | 'shape',
): GeoJsonGeometry | undefined {
  const asShape = (): GeoJsonGeometry | undefined =>
    shape !== undefined && stored[shape] && typeof stored[shape] === 'object' ? (stored[shape] as GeoJsonGeometry) : undefined;
  const asPoint = (): GeoJsonGeometry | undefined => {
    const ll = point !== undefined ? latLon(stored[point]) : undefined;
    return ll ? { type: 'Point', coordinates: [ll[1], ll[0]] } : undefined;
  };
  return first === 'point' ? (asPoint() ?? asShape()) : (asShape() ?? asPoint());
}

export interface RecordRendererOptions extends RenderOptions {
  /** Formats `record_timestamp` (default: formatDatetime in `timezone`); a download memoizes it. */
  formatTimestamp?: (raw: string) => string | undefined;
}

/**
 * renderRecord with the per-dataset work (the fields to show, the geometry fields) done once: for
 * rendering many records of one dataset (search pages, downloads of millions of records).
 */
export function recordRenderer(descriptor: DatasetDescriptor, options: RecordRendererOptions): (doc: StoredRecord) => V1Record {
  const keep = options.only ? new Set(options.only) : undefined;
  const shown = keep ? descriptor.fields.filter((f) => keep.has(f.name)) : descriptor.fields;
  const shape = firstFieldOfType(descriptor, 'geo_shape')?.name;
  const point = firstFieldOfType(descriptor, 'geo_point_2d')?.name;
  const { timezone } = options;
  const first = options.geometry ?? 'point';
  const datasetid = options.datasetid ?? descriptor.datasetid;
  const timestamp = options.formatTimestamp ?? ((raw: string) => formatDatetime(raw, timezone));
  return (doc) => {
    const stored = doc.fields ?? {};
    const fields: Record<string, unknown> = {};
    for (const f of shown) {
      const value = renderValue(f, stored[f.name], timezone);
      if (value !== undefined) fields[f.name] = value;
    }
    const out: V1Record = { datasetid, recordid: doc.recordid, fields };
    const geometry = geometryOf(shape, point, stored, first);
    if (geometry) out.geometry = geometry;
    if (doc.record_timestamp) {
      const ts = timestamp(doc.record_timestamp);
      if (ts) out.record_timestamp = ts;
    }
    return out;
  };
}

export function renderRecord(descriptor: DatasetDescriptor, doc: StoredRecord, options: RenderOptions): V1Record {
  return recordRenderer(descriptor, options)(doc);
}
