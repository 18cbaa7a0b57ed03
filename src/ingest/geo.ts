/**
 * geo_point_2d and geo_shape values. Points are stored as {lat, lon} (OpenSearch reads a geo_point
 * array as [lon, lat], the reverse of the v1 [lat, lon] display, so arrays are never stored).
 */
import { centroid, type GeoJsonGeometry, type LatLon } from './centroid';
import { ValueError, isEmpty, preview } from './values';

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);
const LAT_LON_RE = /^\s*\[?\s*([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*[,;\s]\s*([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*\]?\s*$/;

function checkLatLon(lat: unknown, lon: unknown, original: unknown): LatLon {
  const num = (v: unknown): unknown => (typeof v === 'string' ? (v.trim() === '' ? Number.NaN : Number(v)) : v);
  const la = num(lat);
  const lo = num(lon);
  if (typeof la !== 'number' || typeof lo !== 'number' || !Number.isFinite(la) || !Number.isFinite(lo)) {
    throw new ValueError(`expected a geo point ("lat,lon", [lat, lon], {lat, lon} or a GeoJSON Point), got ${preview(original)}`);
  }
  if (la < -90 || la > 90) throw new ValueError(`latitude ${la} is outside [-90, 90] in ${preview(original)}`);
  if (lo < -180 || lo > 180) throw new ValueError(`longitude ${lo} is outside [-180, 180] in ${preview(original)}`);
  return { lat: la, lon: lo };
}

export function isGeoJsonGeometry(v: unknown): v is GeoJsonGeometry {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && GEOMETRY_TYPES.has((v as { type?: unknown }).type as string);
}

function parseJsonObject(s: string): unknown {
  const t = s.trim();
  if (!t.startsWith('{')) return undefined;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * geo_point_2d → {lat, lon}. Accepts "lat,lon" strings, [lat, lon] arrays (the v1 order), {lat, lon},
 * {lat, lng} and {latitude, longitude} objects, GeoJSON Points, and (as their centroid) other GeoJSON
 * geometries. Ranges are checked.
 */
export function toGeoPoint(v: unknown): LatLon | undefined {
  if (isEmpty(v)) return undefined;
  if (typeof v === 'string') {
    const m = LAT_LON_RE.exec(v);
    if (m) return checkLatLon(Number(m[1]), Number(m[2]), v);
    const obj = parseJsonObject(v);
    if (obj !== undefined) return toGeoPoint(obj);
    throw new ValueError(`expected a geo point ("lat,lon"), got ${preview(v)}`);
  }
  if (Array.isArray(v)) {
    if (v.length !== 2) throw new ValueError(`expected a geo point [lat, lon], got ${preview(v)}`);
    return checkLatLon(v[0], v[1], v);
  }
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    if ('lat' in o && ('lon' in o || 'lng' in o)) return checkLatLon(o.lat, o.lon ?? o.lng, v);
    if ('latitude' in o && 'longitude' in o) return checkLatLon(o.latitude, o.longitude, v);
    if (o.type === 'Feature') return toGeoPoint(o.geometry);
    if (isGeoJsonGeometry(v)) {
      const g = toGeoShape(v);
      if (!g) return undefined;
      if (g.type === 'Point') {
        const c = g.coordinates as number[];
        return checkLatLon(c[1], c[0], v);
      }
      const c = centroid(g);
      return c ? checkLatLon(c.lat, c.lon, v) : undefined;
    }
  }
  throw new ValueError(`expected a geo point ("lat,lon", [lat, lon], {lat, lon} or a GeoJSON Point), got ${preview(v)}`);
}

function checkPosition(p: unknown, path: string): void {
  if (!Array.isArray(p) || p.length < 2 || p.length > 3 || !p.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    throw new ValueError(`invalid position at ${path}: expected [lon, lat] numbers, got ${preview(p)}`);
  }
  const [lon, lat] = p as number[];
  if ((lon as number) < -180 || (lon as number) > 180) throw new ValueError(`longitude ${lon} at ${path} is outside [-180, 180]`);
  if ((lat as number) < -90 || (lat as number) > 90) throw new ValueError(`latitude ${lat} at ${path} is outside [-90, 90]`);
}

function checkPositions(ps: unknown, path: string, min: number): void {
  if (!Array.isArray(ps)) throw new ValueError(`expected an array of positions at ${path}`);
  if (ps.length < min) throw new ValueError(`expected at least ${min} positions at ${path}, got ${ps.length}`);
  ps.forEach((p, i) => checkPosition(p, `${path}[${i}]`));
}

function checkRing(ring: unknown, path: string): void {
  checkPositions(ring, path, 4);
  const r = ring as number[][];
  const a = r[0] as number[];
  const b = r[r.length - 1] as number[];
  if (a[0] !== b[0] || a[1] !== b[1]) throw new ValueError(`polygon ring at ${path} is not closed (first and last positions differ)`);
}

function checkPolygon(rings: unknown, path: string): void {
  if (!Array.isArray(rings) || rings.length === 0) throw new ValueError(`expected at least one ring at ${path}`);
  rings.forEach((r, i) => checkRing(r, `${path}[${i}]`));
}

function checkList(v: unknown, path: string, each: (item: unknown, p: string) => void): void {
  if (!Array.isArray(v) || v.length === 0) throw new ValueError(`expected a non-empty array at ${path}`);
  v.forEach((item, i) => each(item, `${path}[${i}]`));
}

function checkGeometry(g: GeoJsonGeometry, path: string): GeoJsonGeometry {
  const c = g.coordinates;
  const at = `${path}.coordinates`;
  switch (g.type) {
    case 'Point':
      checkPosition(c, at);
      break;
    case 'MultiPoint':
      checkPositions(c, at, 1);
      break;
    case 'LineString':
      checkPositions(c, at, 2);
      break;
    case 'MultiLineString':
      checkList(c, at, (l, p) => checkPositions(l, p, 2));
      break;
    case 'Polygon':
      checkPolygon(c, at);
      break;
    case 'MultiPolygon':
      checkList(c, at, (poly, p) => checkPolygon(poly, p));
      break;
    case 'GeometryCollection': {
      const gs = g.geometries;
      if (!Array.isArray(gs) || gs.length === 0) throw new ValueError(`expected a non-empty "geometries" array at ${path}`);
      return { type: g.type, geometries: gs.map((sub, i) => {
        if (!isGeoJsonGeometry(sub)) throw new ValueError(`expected a GeoJSON geometry at ${path}.geometries[${i}], got ${preview(sub)}`);
        return checkGeometry(sub, `${path}.geometries[${i}]`);
      }) };
    }
    default:
      throw new ValueError(`unknown GeoJSON geometry type ${preview(g.type)}`);
  }
  return { type: g.type, coordinates: c };
}

/**
 * geo_shape → a validated GeoJSON geometry (type and coordinates only; a Feature gives its geometry; a
 * JSON string is parsed; a point in any form geo_point_2d accepts becomes a Point). Rings must be closed.
 */
export function toGeoShape(v: unknown): GeoJsonGeometry | undefined {
  if (isEmpty(v)) return undefined;
  let value = v;
  if (typeof value === 'string') value = parseJsonObject(value) ?? value;
  if (typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'Feature') {
    value = (value as { geometry?: unknown }).geometry;
    if (isEmpty(value)) return undefined;
  }
  if (isGeoJsonGeometry(value)) return checkGeometry(value, 'geometry');
  if (typeof value === 'object' && value !== null && 'type' in value) {
    throw new ValueError(`unknown GeoJSON geometry type ${preview((value as { type: unknown }).type)}`);
  }
  let p: LatLon | undefined;
  try {
    p = toGeoPoint(value);
  } catch {
    throw new ValueError(`expected a GeoJSON geometry, got ${preview(v)}`);
  }
  return p ? { type: 'Point', coordinates: [p.lon, p.lat] } : undefined;
}

/** The `__geo_type.<field>` value: the GeoJSON type in lower case ("multipolygon", "point"...). */
export function geoTypeOf(g: GeoJsonGeometry): string {
  return g.type.toLowerCase();
}
