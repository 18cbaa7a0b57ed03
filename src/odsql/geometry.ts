/**
 * Geometry literals (`geom'...'`): WKT (POINT, LINESTRING, POLYGON and their MULTI forms) or a
 * GeoJSON geometry, read into a GeoJSON geometry object ([lon, lat] order, RFC 7946). Pure.
 */

export interface Geometry {
  type: 'Point' | 'LineString' | 'Polygon' | 'MultiPoint' | 'MultiLineString' | 'MultiPolygon';
  coordinates: unknown;
}

export type GeometryResult = { ok: true; value: Geometry } | { ok: false; problem: string };

const DEPTH: Record<string, number> = { POINT: 1, LINESTRING: 2, MULTIPOINT: 2, POLYGON: 3, MULTILINESTRING: 3, MULTIPOLYGON: 4 };
const GEOJSON_TYPE: Record<string, Geometry['type']> = {
  POINT: 'Point',
  LINESTRING: 'LineString',
  POLYGON: 'Polygon',
  MULTIPOINT: 'MultiPoint',
  MULTILINESTRING: 'MultiLineString',
  MULTIPOLYGON: 'MultiPolygon',
};
/** Bounds the work on hostile input. */
const MAX_TEXT = 100_000;

export function parseGeometry(text: string): GeometryResult {
  const t = text.trim();
  if (t.length > MAX_TEXT) return { ok: false, problem: `more than ${MAX_TEXT} characters` };
  if (t.startsWith('{')) return fromGeoJson(t);
  const m = /^([A-Za-z]+)\s*(\(.*\))$/s.exec(t);
  if (m === null) return { ok: false, problem: 'expected WKT such as POINT(2.35 48.85) or a GeoJSON geometry' };
  const name = m[1]!.toUpperCase();
  const depth = DEPTH[name];
  if (depth === undefined) return { ok: false, problem: `unsupported WKT type ${name}: expected ${Object.keys(DEPTH).join(', ')}` };
  const nested = readNested(m[2]!);
  if (nested === undefined) return { ok: false, problem: 'malformed WKT coordinates' };
  // POINT(x y) is one coordinate pair inside one pair of parentheses; the rest nest one more level.
  const coordinates = depth === 1 ? (nested as number[][])[0] : nested;
  if (!hasDepth(coordinates, depth)) return { ok: false, problem: `malformed ${name} coordinates` };
  return check({ type: GEOJSON_TYPE[name]!, coordinates });
}

/** "(1 2, 3 4)" → [[1,2],[3,4]]; "((1 2, 3 4))" → [[[1,2],[3,4]]]. */
function readNested(s: string): unknown[] | undefined {
  const json = s
    .replace(/\(/g, '[')
    .replace(/\)/g, ']')
    .replace(/(-?[0-9.eE+-]+)\s+(-?[0-9.eE+-]+)(\s+-?[0-9.eE+-]+)?/g, '[$1,$2]');
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function hasDepth(v: unknown, depth: number): boolean {
  if (depth === 1) return Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number' && Number.isFinite(n));
  return Array.isArray(v) && v.length > 0 && v.every((c) => hasDepth(c, depth - 1));
}

function fromGeoJson(t: string): GeometryResult {
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch {
    return { ok: false, problem: 'not valid JSON' };
  }
  const o = v as { type?: unknown; coordinates?: unknown; geometry?: unknown };
  const g = o.type === 'Feature' ? (o.geometry as typeof o) : o;
  const name = typeof g?.type === 'string' ? g.type.toUpperCase() : '';
  const depth = DEPTH[name];
  if (depth === undefined || !hasDepth(g.coordinates, depth)) return { ok: false, problem: 'expected a GeoJSON Point, LineString, Polygon or their Multi forms' };
  return check({ type: GEOJSON_TYPE[name]!, coordinates: g.coordinates });
}

function check(g: Geometry): GeometryResult {
  const bad = (p: number[]) => Math.abs(p[0]!) > 180 || Math.abs(p[1]!) > 90;
  const points: number[][] = [];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') points.push(c as number[]);
    else if (Array.isArray(c)) c.forEach(walk);
  };
  walk(g.coordinates);
  if (points.some(bad)) return { ok: false, problem: 'coordinates out of range: longitude first (-180..180), then latitude (-90..90)' };
  return { ok: true, value: g };
}
