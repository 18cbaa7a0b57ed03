/**
 * Repairs of the world-atlas polygons that OpenSearch cannot index (seen on countries-110m: Fiji,
 * Antarctica, North Korea). The TopoJSON → GeoJSON conversion leaves:
 *  - rings that cross the antimeridian by jumping from -180 to +180 (Fiji): they are unwrapped and cut
 *    in two at ±180;
 *  - a ring around the South Pole (Antarctica) that wraps from +180 to -180: it is closed through the
 *    pole (down the antimeridian, along -90, back up);
 *  - degenerate rings (North Korea: four identical points) and repeated points: dropped.
 * Only the sample preparation uses this; the loader itself never alters a shape.
 */
import type { GeoJsonGeometry, Position } from '../centroid';

type Ring = Position[];

const lonOf = (p: Position): number => p[0] as number;
const latOf = (p: Position): number => p[1] as number;

function dedup(ring: Ring): Ring {
  return ring.filter((p, i) => i === 0 || lonOf(p) !== lonOf(ring[i - 1] as Position) || latOf(p) !== latOf(ring[i - 1] as Position));
}

function area2(ring: Ring): number {
  let s = 0;
  for (let i = 0; i < ring.length - 1; i += 1) {
    const p = ring[i] as Position;
    const q = ring[i + 1] as Position;
    s += lonOf(p) * latOf(q) - lonOf(q) * latOf(p);
  }
  return s;
}

function closed(ring: Ring): Ring {
  const a = ring[0] as Position;
  const b = ring[ring.length - 1] as Position;
  return lonOf(a) === lonOf(b) && latOf(a) === latOf(b) ? ring : [...ring, a];
}

/** Indices i where the edge ring[i] → ring[i+1] jumps across the antimeridian. */
function crossings(ring: Ring): number[] {
  const out: number[] = [];
  for (let i = 0; i < ring.length - 1; i += 1) {
    if (Math.abs(lonOf(ring[i + 1] as Position) - lonOf(ring[i] as Position)) > 180) out.push(i);
  }
  return out;
}

/** Makes longitudes continuous (values may leave [-180, 180]). */
function unwrap(ring: Ring): Ring {
  let offset = 0;
  return ring.map((p, i) => {
    if (i > 0) {
      const d = lonOf(p) - lonOf(ring[i - 1] as Position);
      if (d > 180) offset -= 360;
      else if (d < -180) offset += 360;
    }
    return [lonOf(p) + offset, latOf(p)];
  });
}

/** Sutherland–Hodgman clip of a ring against the half-plane lon <= x (keepLeft) or lon >= x. */
function clip(ring: Ring, x: number, keepLeft: boolean): Ring {
  const inside = (p: Position): boolean => (keepLeft ? lonOf(p) <= x : lonOf(p) >= x);
  const out: Ring = [];
  const open = ring.slice(0, -1);
  for (let i = 0; i < open.length; i += 1) {
    const cur = open[i] as Position;
    const prev = open[(i + open.length - 1) % open.length] as Position;
    const cross = (): Position => {
      const t = (x - lonOf(prev)) / (lonOf(cur) - lonOf(prev));
      return [x, latOf(prev) + t * (latOf(cur) - latOf(prev))];
    };
    if (inside(cur)) {
      if (!inside(prev)) out.push(cross());
      out.push(cur);
    } else if (inside(prev)) out.push(cross());
  }
  return out.length >= 3 ? closed(dedup(out)) : [];
}

const shift = (ring: Ring, d: number): Ring => ring.map((p) => [lonOf(p) + d, latOf(p)]);

/** One polygon → the polygons it becomes. */
function repairPolygon(rings: Ring[]): Ring[][] {
  const outer = dedup(rings[0] ?? []);
  if (outer.length < 4 || area2(outer) === 0) return [];
  const holes = rings.slice(1).map(dedup).filter((r) => r.length >= 4 && area2(r) !== 0);
  const n = crossings(outer).length;
  if (n === 0) return [[outer, ...holes]];
  if (n % 2 === 1) {
    // a ring around a pole: close it through the pole at the crossing
    const i = crossings(outer)[0] as number;
    const p = outer[i] as Position;
    const q = outer[i + 1] as Position;
    const s = lonOf(p) > 0 ? 180 : -180;
    const pole = outer.reduce((sum, r) => sum + latOf(r), 0) < 0 ? -90 : 90;
    const qx = lonOf(q) + (s > 0 ? 360 : -360);
    const y = Math.abs(lonOf(p)) === 180 ? latOf(p) : latOf(p) + ((s - lonOf(p)) / (qx - lonOf(p))) * (latOf(q) - latOf(p));
    const detour: Ring = [];
    if (lonOf(p) !== s) detour.push([s, y]);
    detour.push([s, pole], [-s, pole]);
    if (lonOf(q) !== -s) detour.push([-s, y]);
    const ring = [...outer.slice(0, i + 1), ...detour, ...outer.slice(i + 1)];
    // a ring 360° wide must be counter-clockwise, or OpenSearch reads it as crossing the antimeridian
    const polar = closed(dedup(ring));
    return [[area2(polar) < 0 ? polar.reverse() : polar, ...holes]];
  }
  // crosses and comes back: unwrap, cut at ±180, bring the far side back into range
  const u = unwrap(outer);
  const min = Math.min(...u.map(lonOf));
  const cut = min < -180 ? -180 : 180;
  const back = (r: Ring): Ring => {
    if (r.length === 0) return r;
    const lons = r.map(lonOf);
    return shift(r, Math.max(...lons) > 180 ? -360 : Math.min(...lons) < -180 ? 360 : 0);
  };
  const parts: Ring[] = [clip(u, cut, true), clip(u, cut, false)].map(back);
  // holes are kept with the part that contains their first point
  return parts
    .filter((r) => r.length >= 4)
    .map((r) => {
      const lo = Math.min(...r.map(lonOf));
      const hi = Math.max(...r.map(lonOf));
      return [r, ...holes.filter((h) => lonOf(h[0] as Position) >= lo && lonOf(h[0] as Position) <= hi)];
    });
}

export function repairAntimeridian(g: GeoJsonGeometry): GeoJsonGeometry {
  if (g.type === 'Polygon') {
    const polys = repairPolygon(g.coordinates as Ring[]);
    if (polys.length === 1) return { type: 'Polygon', coordinates: polys[0] };
    return { type: 'MultiPolygon', coordinates: polys };
  }
  if (g.type === 'MultiPolygon') {
    const polys = (g.coordinates as Ring[][]).flatMap(repairPolygon);
    if (polys.length === 1) return { type: 'Polygon', coordinates: polys[0] };
    return { type: 'MultiPolygon', coordinates: polys };
  }
  return g;
}
