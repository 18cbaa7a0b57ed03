/**
 * `#polygon(f, "(lat,lon),(lat,lon),...")`: inside the polygon. One form for both field types:
 * `geo_shape` with an inline polygon, relation `intersects` (on a geo_point field OpenSearch
 * accepts exactly that; on a geo_shape field a shape touching the polygon matches, as
 * geofilter.polygon does). The ring is closed and counter-clockwise, in [lon, lat] (geo.ts).
 */
import type { PolygonNode } from '../../ast';
import type { PassEnv } from '../../context';
import { closeAndOrientRing, parsePolygon, type LatLon } from '../../geo';
import type { ResolvedField } from '../../resolve-field';
import { matchNone, type OsQuery } from '../dsl';
import { clip, describeField, fieldOf, shift } from '../scalar';

// The check pass and the translation both resolve each #polygon: its points are parsed and checked once.
const parsed = new WeakMap<PolygonNode, ReturnType<typeof parsePolygon>>();

function pointsOf(node: PolygonNode, max: number): ReturnType<typeof parsePolygon> {
  let r = parsed.get(node);
  if (r === undefined) parsed.set(node, (r = parsePolygon(node.points.text, max)));
  return r;
}

function resolvePolygon(node: PolygonNode, env: PassEnv): { field: ResolvedField; points: LatLon[] } | undefined {
  let field = fieldOf(node.field, env);
  if (field !== undefined && field.type !== 'geo_point_2d' && field.type !== 'geo_shape') {
    env.report(`#polygon works on geo_point_2d and geo_shape fields, not on ${describeField(field)}`, node.field.location, {
      field: field.name,
    });
    field = undefined;
  }
  const points = pointsOf(node, env.limits.maxPolygonPoints);
  if (!points.ok) {
    env.report(`invalid #polygon ${JSON.stringify(clip(node.points.text))}: ${points.problem}`, shift(node.points.location, 1 + points.offset));
  }
  return field === undefined || !points.ok ? undefined : { field, points: points.value };
}

export function checkPolygon(node: PolygonNode, env: PassEnv): void {
  resolvePolygon(node, env);
}

export function polygonToDsl(node: PolygonNode, env: PassEnv): OsQuery {
  const r = resolvePolygon(node, env);
  if (r === undefined) return matchNone();
  return {
    geo_shape: {
      [r.field.paths.value]: { shape: { type: 'polygon', coordinates: [closeAndOrientRing(r.points)] }, relation: 'intersects' },
    },
  };
}
