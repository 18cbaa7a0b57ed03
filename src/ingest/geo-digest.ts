/**
 * What the map endpoints need to know about a stored shape, computed once at load (and at push):
 *   __geo_digest.<f>  an opaque key of the shape: records with the same shape share it. geopreview and
 *                     geopolygon return it, and the map widgets send it back (`geo_digest=<d>`) to find
 *                     the records of a clicked shape, as ODS's geoshape plugin "hash" did;
 *   __geo_length.<f>  the length of the shape in degrees (perimeter of polygons, length of lines, 0 for
 *                     points), planar: geopreview returns the longest shapes first when it has to cut,
 *                     as the plugin ranked its buckets, so that a truncated preview still shows the big ones.
 * The digest is the first 16 hex digits (64 bits) of the SHA-1 of the shape's JSON as stored: the same
 * shape, written the same way, gets the same digest on every load.
 */
import { createHash } from 'node:crypto';
import type { GeoJsonGeometry } from './centroid';

export function shapeDigest(g: GeoJsonGeometry): string {
  return createHash('sha1').update(JSON.stringify(g)).digest('hex').slice(0, 16);
}

function lineLength(line: unknown): number {
  if (!Array.isArray(line)) return 0;
  let total = 0;
  for (let i = 1; i < line.length; i += 1) {
    const a = line[i - 1] as number[];
    const b = line[i] as number[];
    total += Math.hypot((b[0] as number) - (a[0] as number), (b[1] as number) - (a[1] as number));
  }
  return total;
}

export function shapeLength(g: GeoJsonGeometry): number {
  const c = g.coordinates as unknown;
  switch (g.type) {
    case 'LineString':
      return lineLength(c);
    case 'MultiLineString':
    case 'Polygon':
      return (c as unknown[]).reduce<number>((n, l) => n + lineLength(l), 0);
    case 'MultiPolygon':
      return (c as unknown[][]).reduce<number>((n, p) => n + p.reduce<number>((m, l) => m + lineLength(l), 0), 0);
    case 'GeometryCollection':
      return (g.geometries ?? []).reduce((n, m) => n + shapeLength(m), 0);
    default:
      return 0;
  }
}
