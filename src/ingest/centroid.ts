/**
 * The area-weighted centroid of a GeoJSON geometry, as the ODS geoshape plugin computes `geo_point_2d`
 * for shape datasets (JTS `Geometry.getCentroid()`): planar, in degrees, using the components of the
 * highest dimension only: polygons weighted by area (holes subtract), else lines weighted by length,
 * else the mean of the points. (`@turf/centroid` is the vertex mean, which is not the same thing.)
 *
 * One addition to JTS: a shape that is narrower when its negative longitudes are shifted by 360° (Fiji,
 * Russia: parts on both sides of the antimeridian) gets its centroid computed in that frame, then
 * wrapped back into [-180, 180], instead of landing half a world away.
 */
export type Position = number[];

export interface GeoJsonGeometry {
  type: string;
  coordinates?: unknown;
  geometries?: GeoJsonGeometry[];
}

export interface LatLon {
  lat: number;
  lon: number;
}

interface Acc {
  /** Longitude of a position in the frame of the computation (shifted or not). */
  x: (p: Position) => number;
  // area-weighted sums (dimension 2)
  area: number;
  ax: number;
  ay: number;
  // length-weighted sums (dimension 1)
  length: number;
  lx: number;
  ly: number;
  // point sums (dimension 0)
  n: number;
  px: number;
  py: number;
}

const y = (p: Position): number => p[1] as number;
const rawX = (p: Position): number => p[0] as number;
const shiftedX = (p: Position): number => ((p[0] as number) < 0 ? (p[0] as number) + 360 : (p[0] as number));

/** Signed area and first moments of one ring (shoelace), relative to its first vertex for precision. */
function addRing(acc: Acc, ring: Position[], sign: 1 | -1): void {
  if (ring.length < 3) return;
  const x = acc.x;
  const o = ring[0] as Position;
  const ox = x(o);
  const oy = y(o);
  let a2 = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < ring.length - 1; i += 1) {
    const p = ring[i] as Position;
    const q = ring[i + 1] as Position;
    const x0 = x(p) - ox;
    const y0 = y(p) - oy;
    const x1 = x(q) - ox;
    const y1 = y(q) - oy;
    const cross = x0 * y1 - x1 * y0;
    a2 += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  const area = Math.abs(a2 / 2);
  if (area === 0) return;
  // centroid of the ring = (cx, cy) / (3 * a2), whatever the winding
  const rx = cx / (3 * a2) + ox;
  const ry = cy / (3 * a2) + oy;
  acc.area += sign * area;
  acc.ax += sign * area * rx;
  acc.ay += sign * area * ry;
}

function addLine(acc: Acc, line: Position[]): void {
  const x = acc.x;
  for (let i = 0; i < line.length - 1; i += 1) {
    const p = line[i] as Position;
    const q = line[i + 1] as Position;
    const len = Math.hypot(x(q) - x(p), y(q) - y(p));
    acc.length += len;
    acc.lx += (len * (x(p) + x(q))) / 2;
    acc.ly += (len * (y(p) + y(q))) / 2;
  }
  // a degenerate line still counts as its points, like JTS does
  for (const p of line) addPoint(acc, p);
}

function addPoint(acc: Acc, p: Position): void {
  acc.n += 1;
  acc.px += acc.x(p);
  acc.py += y(p);
}

function addPolygon(acc: Acc, rings: Position[][]): void {
  rings.forEach((ring, i) => addRing(acc, ring, i === 0 ? 1 : -1));
  // rings also contribute as lines, so that a zero-area polygon falls back to its outline
  for (const ring of rings) addLine(acc, ring);
}

function add(acc: Acc, g: GeoJsonGeometry): void {
  const c = g.coordinates;
  switch (g.type) {
    case 'Point':
      addPoint(acc, c as Position);
      break;
    case 'MultiPoint':
      for (const p of c as Position[]) addPoint(acc, p);
      break;
    case 'LineString':
      addLine(acc, c as Position[]);
      break;
    case 'MultiLineString':
      for (const l of c as Position[][]) addLine(acc, l);
      break;
    case 'Polygon':
      addPolygon(acc, c as Position[][]);
      break;
    case 'MultiPolygon':
      for (const p of c as Position[][][]) addPolygon(acc, p);
      break;
    case 'GeometryCollection':
      for (const sub of g.geometries ?? []) add(acc, sub);
      break;
    default:
      break;
  }
}

function eachPosition(g: GeoJsonGeometry, f: (p: Position) => void): void {
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') f(c as Position);
    else if (Array.isArray(c)) for (const sub of c) walk(sub);
  };
  if (g.type === 'GeometryCollection') for (const sub of g.geometries ?? []) eachPosition(sub, f);
  else walk(g.coordinates);
}

/** True when the shape is narrower with negative longitudes shifted by 360° (it straddles ±180). */
function straddlesAntimeridian(g: GeoJsonGeometry): boolean {
  let min = Infinity;
  let max = -Infinity;
  let smin = Infinity;
  let smax = -Infinity;
  eachPosition(g, (p) => {
    const a = rawX(p);
    const b = shiftedX(p);
    min = Math.min(min, a);
    max = Math.max(max, a);
    smin = Math.min(smin, b);
    smax = Math.max(smax, b);
  });
  return max - min > 180 && smax - smin < max - min;
}

/** Centroid as {lat, lon}, or undefined for an empty geometry. Expects a validated geometry. */
export function centroid(g: GeoJsonGeometry): LatLon | undefined {
  const shifted = straddlesAntimeridian(g);
  const acc: Acc = { x: shifted ? shiftedX : rawX, area: 0, ax: 0, ay: 0, length: 0, lx: 0, ly: 0, n: 0, px: 0, py: 0 };
  add(acc, g);
  let lon: number;
  let lat: number;
  if (acc.area > 0) {
    lon = acc.ax / acc.area;
    lat = acc.ay / acc.area;
  } else if (acc.length > 0) {
    lon = acc.lx / acc.length;
    lat = acc.ly / acc.length;
  } else if (acc.n > 0) {
    lon = acc.px / acc.n;
    lat = acc.py / acc.n;
  } else {
    return undefined;
  }
  if (lon > 180) lon -= 360;
  return { lat, lon };
}
