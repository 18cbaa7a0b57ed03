/**
 * `boundingbox` (undocumented, called by ods-map to fit the view; docs/v1-api.md, Geocluster and boundingbox):
 *   {"count": n, "bbox": [minLon, minLat, maxLon, maxLat], "geometries": {"Point": n, "Polygon": m, ...}}
 * over the filtered records that have a geometry.
 * - The box covers the dataset's shapes when it has a geo_shape field (the map must show them
 *   whole), else its points; geo_bounds without longitude wrapping, so the box is the plain min/max
 *   of the coordinates.
 * - geometries: the GeoJSON types of the shapes (terms on `__geo_type.<shape>`), or all `Point` for a
 *   point dataset.
 * - With no record, bbox is `[]`: ods-widgets reads bbox[1] before it looks at count.
 */
import { type DatasetDescriptor, firstFieldOfType } from '../datasets/descriptor';
import { badParameter } from '../errors';
import type { QuerySchema } from '../query/resolve-field';
import type { Clause } from '../search/facets/facet-kind';
import { geoTypePath, valuePath } from '../datasets/field-paths';

const GEOJSON_TYPES: Record<string, string> = {
  point: 'Point',
  multipoint: 'MultiPoint',
  linestring: 'LineString',
  multilinestring: 'MultiLineString',
  polygon: 'Polygon',
  multipolygon: 'MultiPolygon',
  geometrycollection: 'GeometryCollection',
  envelope: 'Envelope',
};

export interface BoundingBoxTarget {
  /** The field the box is measured on. */
  path: string;
  /** `__geo_type.<shape>` for a shape field; undefined for points. */
  typePath?: string;
}

export function boundingBoxTarget(d: DatasetDescriptor, schema: QuerySchema): BoundingBoxTarget {
  const visible = (name: string) => !schema.hidden?.has(name);
  const shape = firstFieldOfType(d, 'geo_shape');
  if (shape && visible(shape.name)) return { path: valuePath(shape.name), typePath: geoTypePath(shape.name) };
  const point = firstFieldOfType(d, 'geo_point_2d');
  if (point && visible(point.name)) return { path: valuePath(point.name) };
  throw badParameter('dataset', `dataset "${d.datasetid}" has no geo_point_2d or geo_shape field`);
}

export function boundingBoxBody(target: BoundingBoxTarget, query: Clause): Record<string, unknown> {
  const aggs: Record<string, unknown> = { bbox: { geo_bounds: { field: target.path, wrap_longitude: false } } };
  if (target.typePath) aggs.types = { terms: { field: target.typePath, size: 20 } };
  return {
    size: 0,
    track_total_hits: true,
    query: { bool: { must: [query], filter: [{ exists: { field: target.path } }] } },
    aggs,
  };
}

export interface BoundingBoxResponse {
  count: number;
  bbox: number[];
  geometries: Record<string, number>;
}

export function boundingBoxResponse(target: BoundingBoxTarget, res: Record<string, unknown>): BoundingBoxResponse {
  const total = (res.hits as { total?: number | { value?: number } } | undefined)?.total;
  const count = typeof total === 'number' ? total : (total?.value ?? 0);
  const aggs = (res.aggregations ?? {}) as Record<string, unknown>;
  const b = (aggs.bbox as { bounds?: { top_left: { lat: number; lon: number }; bottom_right: { lat: number; lon: number } } } | undefined)?.bounds;
  const bbox = count > 0 && b ? [b.top_left.lon, b.bottom_right.lat, b.bottom_right.lon, b.top_left.lat] : [];
  const geometries: Record<string, number> = {};
  if (target.typePath) {
    for (const t of (aggs.types as { buckets?: { key: string; doc_count: number }[] } | undefined)?.buckets ?? []) {
      const name = GEOJSON_TYPES[t.key] ?? t.key;
      geometries[name] = (geometries[name] ?? 0) + t.doc_count;
    }
  } else if (count > 0) {
    geometries.Point = count;
  }
  return { count, bbox, geometries };
}
