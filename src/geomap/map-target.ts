/**
 * The geo field the map endpoints draw (geopreview, geopolygon), and the zoom their shapes are
 * simplified to. ods-widgets send `clusterprecision` (the map zoom) and, from the choropleth layer,
 * `geo_field` (ods-widgets map-rendering-choropleth-aggregation.js).
 *
 * - `geo_field` names a visible geo_shape or geo_point_2d field; without it the first visible
 *   geo_shape field, else the first visible geo_point_2d field (a point dataset);
 * - a hidden field is unknown, as everywhere (the same 400 as a field that does not exist).
 */
import type { DatasetDescriptor, FieldDescriptor } from '../datasets/descriptor';
import { badParameter } from '../errors';
import type { QuerySchema } from '../query/resolve-field';
import type { ParamSource } from '../search/search-request';
import { MAX_ZOOM } from '../geocluster/precision';

export interface MapTarget {
  kind: 'shape' | 'point';
  field: string;
}

export function mapTarget(params: ParamSource, d: DatasetDescriptor, schema: QuerySchema): MapTarget {
  const visible = (f: FieldDescriptor) => !(schema.hidden?.has(f.name) ?? false);
  const geo = d.fields.filter((f) => (f.type === 'geo_shape' || f.type === 'geo_point_2d') && visible(f));
  const asked = params.get('geo_field')?.trim();
  if (asked) {
    const f = geo.find((g) => g.name === asked);
    if (!f) throw badParameter('geo_field', `"${asked.slice(0, 64)}" is not a geo_shape or geo_point_2d field of dataset "${d.datasetid}"`);
    return { kind: f.type === 'geo_shape' ? 'shape' : 'point', field: f.name };
  }
  const shape = geo.find((f) => f.type === 'geo_shape');
  if (shape) return { kind: 'shape', field: shape.name };
  const point = geo.find((f) => f.type === 'geo_point_2d');
  if (point) return { kind: 'point', field: point.name };
  throw badParameter('dataset', `dataset "${d.datasetid}" has no geo_point_2d or geo_shape field`);
}

/** `clusterprecision`: the map zoom, 0..29 (a fractional Leaflet zoom is floored); default 0 (the world). */
export function mapZoom(params: ParamSource): number {
  const raw = params.get('clusterprecision')?.trim();
  if (raw === undefined || raw === '') return 0;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || n > MAX_ZOOM) {
    throw badParameter('clusterprecision', `expected a zoom level from 0 to ${MAX_ZOOM}, got "${raw.slice(0, 40)}"`);
  }
  return Math.floor(n);
}
