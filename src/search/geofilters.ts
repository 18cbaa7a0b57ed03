/**
 * `geofilter.distance`, `geofilter.polygon`, `geofilter.bbox` → OpenSearch geo clauses
 * (docs/opensearch-design.md, One filter compiler for every endpoint; docs/v1-api.md, What real clients send). Several values of one kind are ANDed.
 *
 * - distance `lat,lon[,meters]`: spaces and a leading `+` tolerated (fodr, Bordeaux app); with no
 *   radius it matches points at that location: a 1 m radius (ods-map tooltips). On the geo_point_2d.
 * - polygon `(lat,lon),(lat,lon),...`: on the dataset's geo_shape when it has one (INTERSECTS, the
 *   ring closed and counter-clockwise), else on its geo_point_2d.
 * - bbox `swLat,swLon,neLat,neLon` (ods-map, Leaflet bounds): longitudes beyond ±180 are wrapped; a
 *   box 360° wide or more covers every longitude; a wrapped box may cross the antimeridian, which
 *   geo_bounding_box handles. On the geo_point_2d, else (shape-only dataset) as an envelope on the shape;
 *   the map endpoints that draw shapes (geopreview, geopolygon) ask for it on the shape (`bboxOn`), so
 *   that a shape whose centroid is off screen but which crosses the view is still drawn.
 * - geo_digest `<d>` / geo_digest.<field> `<d>`: the records whose shape has that digest
 *   (src/ingest/geo-digest.ts), on the first geo_shape field or the one named.
 */
import type { DatasetDescriptor } from '../datasets/descriptor';
import { firstFieldOfType } from '../datasets/descriptor';
import { badParameter } from '../errors';
import type { QuerySchema } from '../query/resolve-field';
import { closeAndOrientRing, DEFAULT_MAX_POLYGON_POINTS, parseLatLonDistance, parsePolygon } from '../query/geo';
import type { Clause } from './facets/facet-kind';
import { geoDigestPath, valuePath } from '../datasets/field-paths';
import type { GeofilterParams } from './search-request';

/** The radius used when geofilter.distance has none: "points at that location". */
export const DEFAULT_RADIUS_METERS = 1;
/** OpenSearch's GeoUtils.EARTH_MEAN_RADIUS: the same sphere as its `arc` distances. */
export const EARTH_MEAN_RADIUS_METERS = 6371008.7714;

export interface DistanceCenter {
  lat: number;
  lon: number;
  /** The geo_point field path the distance is measured on. */
  path: string;
}

export interface GeoFilters {
  clauses: Clause[];
  /** The first geofilter.distance center (for `dist` and `sort=dist`). */
  distance: DistanceCenter | undefined;
}

export function haversineMeters(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_MEAN_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Spaces anywhere and a `+` before a number are noise from clients (`+44.84,+-0.57,3000`). */
const clean = (raw: string): string => raw.replace(/\s+/g, '').replace(/(^|,)\+/g, '$1');

export function parseDistance(raw: string): { lat: number; lon: number; meters: number } {
  const r = parseLatLonDistance(raw);
  if (!r.ok) throw badParameter('geofilter.distance', `${r.problem}, got "${raw.slice(0, 80)}"`);
  return { lat: r.value.lat, lon: r.value.lon, meters: r.value.meters ?? DEFAULT_RADIUS_METERS };
}

const normalizeLon = (lon: number, east: boolean): number => {
  const wrapped = ((((lon + 180) % 360) + 360) % 360) - 180;
  return east && wrapped === -180 && lon > 0 ? 180 : wrapped;
};

export function parseBbox(raw: string): { top: number; left: number; bottom: number; right: number } {
  const nums = clean(raw).split(',').map((s) => (s === '' ? Number.NaN : Number(s)));
  const [swLat, swLon, neLat, neLon] = nums;
  if (nums.length !== 4 || swLat === undefined || swLon === undefined || neLat === undefined || neLon === undefined || nums.some((n) => !Number.isFinite(n))) {
    throw badParameter('geofilter.bbox', `expected "southLat,westLon,northLat,eastLon", got "${raw.slice(0, 80)}"`);
  }
  if (swLat > neLat) throw badParameter('geofilter.bbox', `the south latitude ${swLat} is north of the north latitude ${neLat}`);
  const clampLat = (x: number) => Math.max(-90, Math.min(90, x));
  if (neLon - swLon >= 360) return { top: clampLat(neLat), left: -180, bottom: clampLat(swLat), right: 180 };
  // west > east (after wrapping, or as sent) is a box crossing the antimeridian: kept as it is.
  return { top: clampLat(neLat), left: normalizeLon(swLon, false), bottom: clampLat(swLat), right: normalizeLon(neLon, true) };
}

function requireGeo(d: DatasetDescriptor, schema: QuerySchema, parameter: string) {
  const visible = (t: 'geo_point_2d' | 'geo_shape') => {
    const f = firstFieldOfType(d, t);
    return f && !schema.hidden?.has(f.name) ? f : undefined;
  };
  const point = visible('geo_point_2d');
  const shape = visible('geo_shape');
  if (!point && !shape) throw badParameter(parameter, `dataset "${d.datasetid}" has no geographic field`);
  return { point, shape };
}

/** The `__geo_digest.<f>` term of a geo_digest parameter. */
function digestClause(d: DatasetDescriptor, schema: QuerySchema, field: string | undefined, value: string): Clause {
  const parameter = field === undefined ? 'geo_digest' : `geo_digest.${field}`;
  if (value.length > 64) throw badParameter(parameter, 'expected a shape digest (from geopreview or geopolygon)');
  const shape =
    field === undefined ? firstFieldOfType(d, 'geo_shape') : d.fields.find((f) => f.name === field && f.type === 'geo_shape');
  if (!shape || schema.hidden?.has(shape.name)) {
    throw badParameter(parameter, field === undefined ? `dataset "${d.datasetid}" has no geo_shape field` : `"${field}" is not a geo_shape field of dataset "${d.datasetid}"`);
  }
  return { term: { [geoDigestPath(shape.name)]: value } };
}

export interface GeoFilterOptions {
  /** `shape`: geofilter.bbox on the geo_shape field when the dataset has one (map endpoints drawing shapes). */
  bboxOn?: 'point' | 'shape';
}

export function geoFilters(geofilter: GeofilterParams, d: DatasetDescriptor, schema: QuerySchema, options: GeoFilterOptions = {}): GeoFilters {
  const clauses: Clause[] = [];
  let distance: DistanceCenter | undefined;
  for (const raw of geofilter.distance) {
    const { point } = requireGeo(d, schema, 'geofilter.distance');
    if (!point) throw badParameter('geofilter.distance', `dataset "${d.datasetid}" has no geo_point_2d field to measure distances on`);
    const { lat, lon, meters } = parseDistance(raw);
    const path = valuePath(point.name);
    distance ??= { lat, lon, path };
    clauses.push({ geo_distance: { distance: `${meters}m`, [path]: { lat, lon } } });
  }
  // DEFAULT_MAX_POLYGON_POINTS bounds the vertices of all the geofilter.polygon values together
  // (each is parsed and checked for crossing edges on the event loop).
  let budget = DEFAULT_MAX_POLYGON_POINTS;
  for (const raw of geofilter.polygon) {
    const { point, shape } = requireGeo(d, schema, 'geofilter.polygon');
    const parsed = parsePolygon(raw, budget);
    if (!parsed.ok) {
      const shared = budget < DEFAULT_MAX_POLYGON_POINTS ? ` (${DEFAULT_MAX_POLYGON_POINTS} for all the geofilter.polygon values of a request)` : '';
      throw badParameter('geofilter.polygon', `${parsed.problem}${shared}`);
    }
    const points = parsed.value;
    budget -= points.length;
    if (shape) {
      const ring = closeAndOrientRing(points);
      clauses.push({ geo_shape: { [valuePath(shape.name)]: { shape: { type: 'polygon', coordinates: [ring] }, relation: 'intersects' } } });
    } else if (point) {
      clauses.push({ geo_polygon: { [valuePath(point.name)]: { points: points.map(({ lat, lon }) => ({ lat, lon })) } } });
    }
  }
  for (const raw of geofilter.bbox) {
    const { point, shape } = requireGeo(d, schema, 'geofilter.bbox');
    const b = parseBbox(raw);
    if (point && !(shape && options.bboxOn === 'shape')) {
      clauses.push({
        geo_bounding_box: { [valuePath(point.name)]: { top_left: { lat: b.top, lon: b.left }, bottom_right: { lat: b.bottom, lon: b.right } } },
      });
    } else if (shape) {
      const envelope = { type: 'envelope', coordinates: [[b.left, b.top], [b.right, b.bottom]] };
      clauses.push({ geo_shape: { [valuePath(shape.name)]: { shape: envelope, relation: 'intersects' } } });
    }
  }
  for (const digest of geofilter.digest ?? []) clauses.push(digestClause(d, schema, digest.field, digest.value));
  return { clauses, distance };
}
