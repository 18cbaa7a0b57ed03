/**
 * `#geometry(f, "polygon")`: the shape's GeoJSON type, matched on `__geo_type.<f>` (the ingest
 * stores the lower-case type there). The type is case-insensitive. On a geo_point_2d field every
 * value is a point: "point" means the field has a value, any other type matches nothing.
 */
import type { GeometryNode } from '../../ast';
import type { PassEnv } from '../../context';
import type { ResolvedField } from '../../resolve-field';
import { matchNone, type OsQuery } from '../dsl';
import { exists } from '../range';
import { clip, describeField, fieldOf } from '../scalar';

export const GEOMETRY_TYPES = [
  'point',
  'multipoint',
  'linestring',
  'multilinestring',
  'polygon',
  'multipolygon',
  'geometrycollection',
] as const;

function resolveGeometry(node: GeometryNode, env: PassEnv): { field: ResolvedField; shape: string } | undefined {
  let field = fieldOf(node.field, env);
  if (field !== undefined && field.type !== 'geo_shape' && field.type !== 'geo_point_2d') {
    env.report(`#geometry works on geo_shape and geo_point_2d fields, not on ${describeField(field)}`, node.field.location, {
      field: field.name,
    });
    field = undefined;
  }
  const shape = node.shape.text.trim().toLowerCase();
  const known = (GEOMETRY_TYPES as readonly string[]).includes(shape);
  if (!known) {
    env.report(`unknown geometry type ${JSON.stringify(clip(node.shape.text))}: expected ${GEOMETRY_TYPES.join(', ')}`, node.shape.location, {
      expected: [...GEOMETRY_TYPES],
    });
  }
  return field === undefined || !known ? undefined : { field, shape };
}

export function checkGeometry(node: GeometryNode, env: PassEnv): void {
  resolveGeometry(node, env);
}

export function geometryToDsl(node: GeometryNode, env: PassEnv): OsQuery {
  const r = resolveGeometry(node, env);
  if (r === undefined) return matchNone();
  if (r.field.paths.geoType === undefined) return r.shape === 'point' ? exists(r.field.paths.value) : matchNone();
  return { term: { [r.field.paths.geoType]: r.shape } };
}
