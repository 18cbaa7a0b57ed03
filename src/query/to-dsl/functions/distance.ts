/**
 * `#distance(f, "lat, lon", meters)` and `#distance("lat, lon", meters)`: within a radius of a
 * point: `geo_distance`. Without a field, the dataset's (first visible) geo_point_2d field is used,
 * as geofilter.distance does. Shape datasets carry a geo_point_2d centroid, so a geo_shape field
 * is refused with a pointer to it rather than approximated.
 */
import type { DistanceNode } from '../../ast';
import type { PassEnv } from '../../context';
import { parseLatLon, type LatLon } from '../../geo';
import { lookupField, type ResolvedField } from '../../resolve-field';
import { matchNone, type OsQuery } from '../dsl';
import { clip, describeField, fieldOf, shift } from '../scalar';

/** Beyond half the Earth's circumference every point is within the radius. */
const MAX_METERS = 1e8;

interface ResolvedDistance {
  field: ResolvedField;
  center: LatLon;
  meters: number;
}

function geoPointField(node: DistanceNode, env: PassEnv): ResolvedField | undefined {
  if (node.field === null) {
    const f = env.schema.fields.find((d) => d.type === 'geo_point_2d' && !env.schema.hidden?.has(d.name));
    const field = f === undefined ? undefined : lookupField(env.schema, f.name);
    if (field === undefined) env.report('#distance without a field needs a geo_point_2d field, and this dataset has none', node.location);
    return field;
  }
  const field = fieldOf(node.field, env);
  if (field !== undefined && field.type !== 'geo_point_2d') {
    env.report(`#distance works on a geo_point_2d field, not on ${describeField(field)}`, node.field.location, { field: field.name });
    return undefined;
  }
  return field;
}

function resolveDistance(node: DistanceNode, env: PassEnv): ResolvedDistance | undefined {
  const field = geoPointField(node, env);
  const center = parseLatLon(node.center.text);
  if (!center.ok) env.report(`invalid #distance center ${JSON.stringify(clip(node.center.text))}: ${center.problem}`, shift(node.center.location, 1 + center.offset));
  const meters = Number(node.radius.text);
  const badRadius = !Number.isFinite(meters) || meters < 0 || meters > MAX_METERS;
  if (badRadius) env.report(`invalid #distance radius ${node.radius.text}: expected a number of meters between 0 and ${MAX_METERS}`, node.radius.location);
  return field === undefined || !center.ok || badRadius ? undefined : { field, center: center.value, meters };
}

export function checkDistance(node: DistanceNode, env: PassEnv): void {
  resolveDistance(node, env);
}

export function distanceToDsl(node: DistanceNode, env: PassEnv): OsQuery {
  const r = resolveDistance(node, env);
  if (r === undefined) return matchNone();
  return { geo_distance: { distance: `${r.meters}m`, [r.field.paths.value]: { lat: r.center.lat, lon: r.center.lon } } };
}
