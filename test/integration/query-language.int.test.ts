/**
 * The query language (`q`, docs/query-language.md) end to end on the sample datasets: for each case,
 * `nhits` of the record search (rows=0) against the real OpenSearch node must equal a count computed
 * here, in plain TypeScript, from the SOURCE data (test/helpers/sample-data.ts), never from the
 * ingest or query code. The text, geodesy and geometry models are in query-language-cases.ts.
 *
 * Every expectation must be > 0, so that a translation matching nothing cannot pass. Geo cases check
 * first that no point lies within a few metres of an edge (where quantisation could decide either way).
 */
import { writeFileSync } from 'node:fs';
import request from 'supertest';
import { DateTime } from 'luxon';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { openSearchBackend } from '../../src/opensearch/backend';
import { datasetRegistry } from '../../src/datasets/registry';
import { closeTestContext, testContext } from '../helpers/integration';
import { countries, earthquakes, geonamesCities, movieDate, movies, seattleWeather, type Country } from '../helpers/sample-data';
import {
  TextIndex,
  fold,
  insidePolygon,
  one,
  parseRing,
  polygonIntersects,
  ringArea2,
  scaleRing,
  splitValues,
  withinDistance,
  type Pt,
  type TextValues,
} from './query-language-cases';

jest.setTimeout(300_000);
const ctx = testContext();
afterAll(() => closeTestContext());
const backend = openSearchBackend(ctx.client, ctx.names);
const app = createApp({ config: { trustProxy: false, maxRequestBodyBytes: 1 << 20 }, logger: createLogger('silent'), backend, registry: datasetRegistry(backend, 0) });

type Params = Record<string, string>;
type ErrorBody = { errorcode?: number; error?: string; parameter?: string; position?: number; line?: number; column?: number; expected?: string[]; errors?: unknown[]; value_index?: number };

function url(dataset: string, qs: readonly string[], params: Params = {}): string {
  const parts = [`dataset=${encodeURIComponent(dataset)}`, 'rows=0', ...qs.map((q) => `q=${encodeURIComponent(q)}`), ...Object.entries(params).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)];
  return `/api/records/1.0/search?${parts.join('&')}`;
}

async function nhits(dataset: string, qs: readonly string[], params: Params = {}): Promise<number> {
  const res = await request(app).get(url(dataset, qs, params));
  if (res.status !== 200) throw new Error(`q=${JSON.stringify(qs)} ${JSON.stringify(params)} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return (res.body as { nhits: number }).nhits;
}

async function get(dataset: string, qs: readonly string[], params: Params = {}): Promise<{ status: number; body: ErrorBody }> {
  const res = await request(app).get(url(dataset, qs, params));
  return { status: res.status, body: res.body as ErrorBody };
}

interface CountCase {
  name: string;
  q: string | string[];
  params?: Params;
  expected: () => number;
}

/** With QL_COUNTS=<file>, every case's two numbers are written there at the end (for reports). */
const measured: { dataset: string; case: string; q: string[]; params?: Params; nhits: number; expected: number }[] = [];
afterAll(() => {
  const file = process.env.QL_COUNTS;
  if (file) writeFileSync(file, `${JSON.stringify(measured, null, 1)}\n`);
});

/** One test per case: nhits equals the independent count, and that count is not 0. */
function countCases(dataset: string, cases: readonly CountCase[]): void {
  for (const c of cases) {
    const qs = typeof c.q === 'string' ? [c.q] : c.q;
    const extra = c.params && Object.keys(c.params).length > 0 ? ` ${new URLSearchParams(c.params).toString()}` : '';
    it(`${c.name}: ${qs.map((q) => `q=${q}`).join(' & ')}${extra}`, async () => {
      const expected = c.expected();
      const got = await nhits(dataset, qs, c.params);
      measured.push({ dataset, case: c.name, q: qs, ...(c.params ? { params: c.params } : {}), nhits: got, expected });
      // Both numbers (and the case) show in the diff on failure.
      expect({ case: c.name, q: qs, nhits: got }).toEqual({ case: c.name, q: qs, nhits: expected });
      expect(expected).toBeGreaterThan(0);
    });
  }
}

const count = <T>(items: readonly T[], p: (t: T, i: number) => boolean): number => items.reduce((n, t, i) => (p(t, i) ? n + 1 : n), 0);

/** The text fields of a sample descriptor: the text values built below must cover exactly these. */
const textFieldsOf = (id: string): string[] =>
  ctx
    .descriptor(id)
    .fields.filter((f) => f.type === 'text')
    .map((f) => f.name)
    .sort();

function lazy<T>(f: () => T): () => T {
  let v: T | undefined;
  let done = false;
  return () => {
    if (!done) {
      v = f();
      done = true;
    }
    return v as T;
  };
}

// ------------------------------------------------------------------------------- geonames-cities

const cities = geonamesCities();
const cityText = (c: (typeof cities)[number]): TextValues => ({
  name: one(c.name),
  country_code: one(c.country),
  alt_country_codes: splitValues(c.altName),
  feature_code: one(c.featureCode),
  admin_code: one(c.adminCode),
});
const cityIndex = lazy(() => new TextIndex(cities.map(cityText)));
const cityNameIndex = lazy(() => new TextIndex(cities.map(cityText), ['name']));
const cityPoints = cities.map((c) => ({ lon: c.loc.coordinates[0], lat: c.loc.coordinates[1] }));
const cityPts: Pt[] = cityPoints.map((p) => [p.lon, p.lat] as const);
const isCountry = (c: (typeof cities)[number], code: string): boolean => fold(c.country) === fold(code);

const PARIS = { lat: 48.8566, lon: 2.3522 };
const BOX = '(50.0123,0.0123),(50.0123,10.0123),(40.0123,10.0123),(40.0123,0.0123)';
const TRIANGLE = '(48.7,8.9),(43.1,7.3),(45.5,-1.5)'; // clockwise in (lon, lat)
const CONCAVE = '(44.0123,-1.0123),(49.0123,-1.0123),(49.0123,8.0123),(46.5123,3.5123),(44.0123,8.0123)'; // a "C" opened to the east

describe('geonames-cities', () => {
  it('the text values modelled here are exactly the text fields of the descriptor', () => {
    expect(Object.keys(cityText(cities[0] as (typeof cities)[number])).sort()).toEqual(textFieldsOf('geonames-cities'));
  });

  it('geo cases: no point within 5 m of a circle or 1e-5° of a polygon edge (else the expectation would be ambiguous)', () => {
    expect(withinDistance(cityPoints, PARIS.lat, PARIS.lon, 50000).ambiguous).toBe(0);
    for (const ring of [BOX, TRIANGLE, CONCAVE]) expect({ ring, ambiguous: insidePolygon(cityPts, parseRing(ring)).ambiguous }).toEqual({ ring, ambiguous: 0 });
  });

  countCases('geonames-cities', [
    // Full text: every text field (__all), words split and folded like the analyzer, the last one a prefix.
    { name: 'bare word prefix', q: 'sain', expected: () => cityIndex().count('sain', true) },
    { name: 'bare word prefix, upper case', q: 'SAIN', expected: () => cityIndex().count('sain', true) },
    { name: 'accents ignored (Étoile)', q: 'etoile', expected: () => cityIndex().count('etoile', true) },
    { name: 'accents ignored (Besançon)', q: 'besancon', expected: () => cityIndex().count('besancon', true) },
    { name: 'accents ignored, 3-letter prefix (São...)', q: 'sao', expected: () => cityIndex().count('sao', true) },
    { name: 'accented query folded too', q: 'sào', expected: () => cityIndex().count('sao', true) },
    { name: 'French elision in the query (l\'etoile is etoile)', q: "l'etoile", expected: () => cityIndex().count('etoile', true) },
    { name: 'elision in the data (d\'Oléron → oleron)', q: 'oleron', expected: () => cityIndex().count('oleron', true) },
    { name: 'hyphenated word: saint then a word starting with jean', q: 'saint-jean', expected: () => cityIndex().count('saint jean', true) },
    { name: 'two bare words are ANDed, anywhere', q: 'sain louis', expected: () => cityIndex().countAll(['sain', 'louis']) },
    { name: 'a word found in another text field (feature code PPLC)', q: 'pplc', expected: () => cityIndex().count('pplc', true) },
    { name: 'phrase, whole words in order', q: '"saint louis"', expected: () => cityIndex().count('saint louis', false) },
    { name: 'phrase of one word is a whole word', q: '"saint"', expected: () => cityIndex().count('saint', false) },
    // Field queries on text.
    { name: 'name: phrase in that field only', q: 'name:"saint louis"', expected: () => cityNameIndex().count('saint louis', false) },
    { name: 'name: whole word in that field', q: 'name:san', expected: () => cityNameIndex().count('san', false) },
    { name: '== whole value, case and accents ignored', q: 'name==paris', expected: () => count(cities, (c) => fold(c.name) === 'paris') },
    { name: '== exact country code', q: 'country_code==FR', expected: () => count(cities, (c) => isCountry(c, 'FR')) },
    { name: '== is case-insensitive', q: 'country_code==fr', expected: () => count(cities, (c) => isCountry(c, 'FR')) },
    { name: 'text range is lexicographic on the exact value', q: 'country_code:[A TO B]', expected: () => count(cities, (c) => c.country >= 'A' && c.country <= 'B') },
    { name: 'text > is case-sensitive', q: 'country_code > Z', expected: () => count(cities, (c) => c.country > 'Z') },
    { name: '#exact is case-sensitive', q: '#exact(name, "Paris")', expected: () => count(cities, (c) => c.name === 'Paris') },
    { name: '#startswith is case-sensitive', q: '#startswith(name, "San")', expected: () => count(cities, (c) => c.name.startsWith('San')) },
    { name: '#search: phrase prefix in one field', q: '#search(name, "saint-j")', expected: () => cityNameIndex().count('saint j', true) },
    { name: '#search(*) is __all', q: '#search(*, "port l")', expected: () => cityIndex().count('port l', true) },
    // Numbers.
    { name: 'numeric >=', q: 'population>=1000000', expected: () => count(cities, (c) => c.population >= 1_000_000) },
    { name: 'numeric range, inclusive', q: 'population:[5000 TO 10000]', expected: () => count(cities, (c) => c.population >= 5000 && c.population <= 10000) },
    { name: 'numeric range with an open end', q: 'population:[* TO 1000]', expected: () => count(cities, (c) => c.population <= 1000) },
    { name: 'numeric equality', q: 'population:0', expected: () => count(cities, (c) => c.population === 0) },
    { name: 'numeric < with spaces', q: 'population < 1500', expected: () => count(cities, (c) => c.population < 1500) },
    // Geo.
    { name: '#distance, haversine', q: `#distance(geo_point_2d, "${PARIS.lat},${PARIS.lon}", 50000)`, expected: () => withinDistance(cityPoints, PARIS.lat, PARIS.lon, 50000).inside },
    { name: '#distance without a field', q: `#distance("${PARIS.lat}, ${PARIS.lon}", 50000)`, expected: () => withinDistance(cityPoints, PARIS.lat, PARIS.lon, 50000).inside },
    { name: '#polygon, a box', q: `#polygon(geo_point_2d, "${BOX}")`, expected: () => insidePolygon(cityPts, parseRing(BOX)).inside },
    { name: '#polygon, a triangle given clockwise', q: `#polygon(geo_point_2d, "${TRIANGLE}")`, expected: () => insidePolygon(cityPts, parseRing(TRIANGLE)).inside },
    { name: '#polygon, concave', q: `#polygon(geo_point_2d, "${CONCAVE}")`, expected: () => insidePolygon(cityPts, parseRing(CONCAVE)).inside },
    { name: '#geometry of a point field', q: '#geometry(geo_point_2d, "point")', expected: () => cities.length },
    // Nulls.
    { name: 'NOT #null: has a value', q: 'NOT #null(alt_country_codes)', expected: () => count(cities, (c) => splitValues(c.altName).length > 0) },
    { name: '#null: empty strings are no value', q: '#null(admin_code)', expected: () => count(cities, (c) => c.adminCode.trim() === '') },
    // Boolean mixes.
    {
      name: 'AND, OR, NOT and parentheses',
      q: '(country_code==FR OR country_code==BE) AND population>=50000 AND NOT feature_code==PPLA',
      expected: () => count(cities, (c) => (isCountry(c, 'FR') || isCountry(c, 'BE')) && c.population >= 50000 && fold(c.featureCode) !== 'ppla'),
    },
    { name: '-term is NOT', q: 'sain -country_code==FR', expected: () => count(cities, (c, i) => cityIndex().matches(i, 'sain', true) && !isCountry(c, 'FR')) },
    {
      name: 'juxtaposition binds tighter than OR',
      q: 'country_code==LU population>20000 OR country_code==MC',
      expected: () => count(cities, (c) => (isCountry(c, 'LU') && c.population > 20000) || isCountry(c, 'MC')),
    },
    {
      name: 'OR of a word and a field, NOT of a group',
      q: '(sain OR population>=2000000) NOT (country_code==FR OR country_code==CA)',
      expected: () => count(cities, (c, i) => (cityIndex().matches(i, 'sain', true) || c.population >= 2_000_000) && !isCountry(c, 'FR') && !isCountry(c, 'CA')),
    },
    {
      name: 'geo AND numeric AND NOT text',
      q: `#distance(geo_point_2d, "${PARIS.lat},${PARIS.lon}", 50000) AND population>=20000 AND NOT sain`,
      expected: () =>
        count(cities, (c, i) => {
          const p = cityPoints[i] as { lat: number; lon: number };
          return withinDistance([p], PARIS.lat, PARIS.lon, 50000).inside === 1 && c.population >= 20000 && !cityIndex().matches(i, 'sain', true);
        }),
    },
    {
      name: 'NOT #null inside a boolean',
      q: 'NOT #null(alt_country_codes) AND (population>10000 OR country_code==US)',
      expected: () => count(cities, (c) => splitValues(c.altName).length > 0 && (c.population > 10000 || isCountry(c, 'US'))),
    },
    { name: 'NOT NOT is the term', q: 'NOT NOT country_code==LU', expected: () => count(cities, (c) => isCountry(c, 'LU')) },
    // Several q: ANDed.
    { name: 'q repeated is the AND', q: ['population>=100000', 'country_code==FR'], expected: () => count(cities, (c) => c.population >= 100000 && isCountry(c, 'FR')) },
    { name: 'q and q.<name> are ANDed', q: 'sain', params: { 'q.geonav': `#distance(geo_point_2d, "${PARIS.lat},${PARIS.lon}", 50000)` }, expected: () => count(cities, (_c, i) => cityIndex().matches(i, 'sain', true) && withinDistance([cityPoints[i] as { lat: number; lon: number }], PARIS.lat, PARIS.lon, 50000).inside === 1) },
  ]);

  it('#polygon with cities on its edges: between the strict count and the count with the edges', async () => {
    // (50,0),(50,10),(40,10),(40,0) has 7 cities exactly on its edges (lat 50, lon 0 or 10): quantisation
    // decides those, so only the bounds are certain.
    const ring = '(50,0),(50,10),(40,10),(40,0)';
    const { inside, ambiguous } = insidePolygon(cityPts, parseRing(ring));
    const got = await nhits('geonames-cities', [`#polygon(geo_point_2d, "${ring}")`]);
    expect(ambiguous).toBeGreaterThan(0);
    expect({ inside, got, upTo: inside + ambiguous }).toEqual({ inside, got: expect.any(Number), upTo: inside + ambiguous });
    expect(got).toBeGreaterThanOrEqual(inside);
    expect(got).toBeLessThanOrEqual(inside + ambiguous);
    measured.push({ dataset: 'geonames-cities', case: `#polygon with edge points (strict ${inside}, ${ambiguous} on edges)`, q: [`#polygon(geo_point_2d, "${ring}")`], nhits: got, expected: inside });
  });

  it('q repeated gives the same count as the explicit AND', async () => {
    const [a, b] = ['population>=100000', 'country_code==FR'];
    const twice = await nhits('geonames-cities', [a, b]);
    const and = await nhits('geonames-cities', [`(${a}) AND (${b})`]);
    expect({ twice }).toEqual({ twice: and });
    expect(twice).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------- movies

const films = movies();
const filmDates = films.map((m) => movieDate(m['Release Date']));
const filmText = (m: (typeof films)[number]): TextValues => ({
  title: one(m.Title),
  mpaa_rating: one(m['MPAA Rating']),
  distributor: one(m.Distributor),
  source: one(m.Source),
  major_genre: one(m['Major Genre']),
  creative_type: one(m['Creative Type']),
  director: one(m.Director),
});
const filmIndex = lazy(() => new TextIndex(films.map(filmText)));
const genreIndex = lazy(() => new TextIndex(films.map(filmText), ['major_genre']));
const num = (v: number | null): number | undefined => (v === null ? undefined : v);
const genreIs = (m: (typeof films)[number], g: string): boolean => m['Major Genre'] !== null && fold(m['Major Genre']) === fold(g);
const ratingIs = (m: (typeof films)[number], r: string): boolean => m['MPAA Rating'] !== null && fold(m['MPAA Rating']) === fold(r);

describe('movies', () => {
  it('the text values modelled here are exactly the text fields of the descriptor', () => {
    expect(Object.keys(filmText(films[0] as (typeof films)[number])).sort()).toEqual(textFieldsOf('movies'));
  });

  const dateCount = (p: (d: string) => boolean) => () => count(filmDates, p);
  countCases('movies', [
    // Dates ("YYYY-MM-DD" strings compare in calendar order).
    { name: 'partial dates: from June 2000, before 2001', q: 'release_date >= 2000/06 AND release_date < 2001', expected: dateCount((d) => d >= '2000-06-01' && d < '2001-01-01') },
    { name: 'a year is the whole year', q: 'release_date:2005', expected: dateCount((d) => d.startsWith('2005-')) },
    { name: 'a year, in a far time zone: a date field ignores it', q: 'release_date:2005', params: { timezone: 'Pacific/Kiritimati' }, expected: dateCount((d) => d.startsWith('2005-')) },
    { name: '<= a month includes the month', q: 'release_date <= 2016/09', expected: dateCount((d) => d < '2016-10-01') },
    { name: '> a year starts the next year', q: 'release_date > 2016', expected: dateCount((d) => d >= '2017-01-01') },
    { name: '< a month stops at its start', q: 'release_date < 1990-07', expected: dateCount((d) => d < '1990-07-01') },
    { name: 'a month with a dash', q: 'release_date:1998-06', expected: dateCount((d) => d.startsWith('1998-06-')) },
    { name: 'a day', q: 'release_date==1998/06/12', expected: dateCount((d) => d === '1998-06-12') },
    {
      name: '#now on a date field: its day (UTC)',
      q: 'release_date < #now(months=13)',
      expected: dateCount((d) => d < DateTime.utc().plus({ months: 13 }).toISODate()!),
    },
    { name: 'a range of periods', q: 'release_date:[1995 TO 1996/02]', expected: dateCount((d) => d >= '1995-01-01' && d < '1996-03-01') },
    // Numbers.
    { name: 'double >=', q: 'imdb_rating >= 8', expected: () => count(films, (m) => (num(m['IMDB Rating']) ?? -Infinity) >= 8) },
    { name: 'double > a decimal', q: 'imdb_rating > 8.5', expected: () => count(films, (m) => (num(m['IMDB Rating']) ?? -Infinity) > 8.5) },
    { name: 'double equality', q: 'imdb_rating:7.5', expected: () => count(films, (m) => m['IMDB Rating'] === 7.5) },
    { name: 'int range', q: 'rotten_tomatoes_rating:[90 TO 100]', expected: () => count(films, (m) => m['Rotten Tomatoes Rating'] !== null && m['Rotten Tomatoes Rating'] >= 90 && m['Rotten Tomatoes Rating'] <= 100) },
    { name: 'large int', q: 'production_budget > 100000000', expected: () => count(films, (m) => (num(m['Production Budget']) ?? -Infinity) > 100_000_000) },
    { name: 'ratings OR', q: 'imdb_rating > 8 OR rotten_tomatoes_rating >= 95', expected: () => count(films, (m) => (num(m['IMDB Rating']) ?? -Infinity) > 8 || (num(m['Rotten Tomatoes Rating']) ?? -Infinity) >= 95) },
    // Text facets.
    { name: '== a genre: the whole value', q: 'major_genre==comedy', expected: () => count(films, (m) => genreIs(m, 'Comedy')) },
    { name: ': a genre word: Black Comedy and Romantic Comedy too', q: 'major_genre:comedy', expected: () => genreIndex().count('comedy', false) },
    { name: '== a value with a slash', q: 'major_genre=="Thriller/Suspense"', expected: () => count(films, (m) => genreIs(m, 'Thriller/Suspense')) },
    { name: '#exact with a dash', q: '#exact(mpaa_rating, "PG-13")', expected: () => count(films, (m) => m['MPAA Rating'] === 'PG-13') },
    { name: '== with a dash, lower case', q: 'mpaa_rating==pg-13', expected: () => count(films, (m) => ratingIs(m, 'PG-13')) },
    // Nulls.
    { name: '#null on a field that is sometimes null', q: '#null(mpaa_rating)', expected: () => count(films, (m) => m['MPAA Rating'] === null) },
    { name: 'NOT #null on a number', q: 'NOT #null(rotten_tomatoes_rating)', expected: () => count(films, (m) => m['Rotten Tomatoes Rating'] !== null) },
    { name: '#null on a number, in a boolean', q: '#null(running_time_min) AND imdb_rating >= 7', expected: () => count(films, (m) => m['Running Time min'] === null && (num(m['IMDB Rating']) ?? -Infinity) >= 7) },
    // Full text.
    { name: 'bare word over every text field', q: 'star', expected: () => filmIndex().count('star', true) },
    { name: 'phrase', q: '"star wars"', expected: () => filmIndex().count('star wars', false) },
    { name: 'two words ANDed', q: 'star wars', expected: () => filmIndex().countAll(['star', 'wars']) },
    { name: 'a word found in several fields (fiction: creative type, source...)', q: 'fiction', expected: () => filmIndex().count('fiction', true) },
    // Mixes.
    {
      name: 'genres OR, rating, NOT a value (missing values are NOT it)',
      q: '(major_genre==Drama OR major_genre==Comedy) AND imdb_rating>=7 AND NOT mpaa_rating==R',
      expected: () => count(films, (m) => (genreIs(m, 'Drama') || genreIs(m, 'Comedy')) && (num(m['IMDB Rating']) ?? -Infinity) >= 7 && !ratingIs(m, 'R')),
    },
    { name: 'q.timerange ANDed with q', q: 'major_genre==Drama', params: { 'q.timerange': 'release_date:[2000 TO 2005]' }, expected: () => count(films, (m, i) => genreIs(m, 'Drama') && (filmDates[i] as string) >= '2000-01-01' && (filmDates[i] as string) < '2006-01-01') },
  ]);
});

// ----------------------------------------------------------------------------------- earthquakes

const quakes = earthquakes();
const quakeText = (f: (typeof quakes)[number]): TextValues => {
  const p = f.properties as Record<string, string | number | null>;
  const s = (k: string): string[] => one(p[k] as string | number | null | undefined);
  return {
    id: one(f.id),
    mag_type: s('magType'),
    place: s('place'),
    title: s('title'),
    type: s('type'),
    status: s('status'),
    alert: s('alert'),
    net: s('net'),
    code: s('code'),
    ids: splitValues(p.ids as string | null),
    sources: splitValues(p.sources as string | null),
    types: splitValues(p.types as string | null),
    url: s('url'),
    detail: s('detail'),
  };
};
const quakeIndex = lazy(() => new TextIndex(quakes.map(quakeText)));
const quakePoints = quakes.map((f) => ({ lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] }));
const LA = 'America/Los_Angeles';
const la = (iso: string): number => DateTime.fromISO(iso, { zone: LA }).toMillis();
const laNext = (iso: string, unit: 'day' | 'hour' | 'month' | 'minute'): number => DateTime.fromISO(iso, { zone: LA }).plus({ [`${unit}s`]: 1 }).toMillis();
const timeCount = (p: (t: number) => boolean) => () => count(quakes, (f) => p(f.properties.time));
const GEYSERS = { lat: 38.8, lon: -122.8 };
const prop = (f: (typeof quakes)[number], k: string): unknown => (f.properties as Record<string, unknown>)[k];

describe('earthquakes', () => {
  it('the text values modelled here are exactly the text fields of the descriptor', () => {
    expect(Object.keys(quakeText(quakes[0] as (typeof quakes)[number])).sort()).toEqual(textFieldsOf('earthquakes'));
  });

  it('the time zone cases are not trivial: Los Angeles is UTC-8 that week, no DST change', () => {
    expect(DateTime.fromISO('2018-02-03', { zone: LA }).offset).toBe(-480);
    expect(withinDistance(quakePoints, GEYSERS.lat, GEYSERS.lon, 20000).ambiguous).toBe(0);
  });

  const tz = { timezone: LA };
  countCases('earthquakes', [
    { name: 'a day in Los Angeles', q: 'time:2018-02-03', params: tz, expected: timeCount((t) => t >= la('2018-02-03') && t < laNext('2018-02-03', 'day')) },
    { name: 'the same day in UTC (the default)', q: 'time:2018-02-03', expected: timeCount((t) => t >= Date.UTC(2018, 1, 3) && t < Date.UTC(2018, 1, 4)) },
    { name: 'a range from a minute to a day, local', q: 'time >= "2018-02-01T18:30" AND time < 2018-02-04', params: tz, expected: timeCount((t) => t >= la('2018-02-01T18:30') && t < la('2018-02-04')) },
    { name: '> an hour starts at the next hour, local', q: 'time > 2018-02-05T10', params: tz, expected: timeCount((t) => t >= laNext('2018-02-05T10:00', 'hour')) },
    { name: '<= a day includes the day, local', q: 'time <= 2018-02-02', params: tz, expected: timeCount((t) => t < laNext('2018-02-02', 'day')) },
    { name: 'a range of days, local', q: 'time:[2018-02-01 TO 2018-02-02]', params: tz, expected: timeCount((t) => t >= la('2018-02-01') && t < laNext('2018-02-02', 'day')) },
    { name: 'an explicit offset wins over the time zone', q: 'time < "2018-02-03T00:00:00+01:00"', params: tz, expected: timeCount((t) => t < Date.parse('2018-02-03T00:00:00+01:00')) },
    { name: 'the month of February, local (starts 08:00 UTC)', q: 'time:2018/02', params: tz, expected: timeCount((t) => t >= la('2018-02-01') && t < laNext('2018-02-01', 'month')) },
    // Numbers.
    { name: 'magnitude >=', q: 'mag >= 4.5', expected: () => count(quakes, (f) => f.properties.mag >= 4.5) },
    { name: 'magnitude range', q: 'mag:[2 TO 3]', expected: () => count(quakes, (f) => f.properties.mag >= 2 && f.properties.mag <= 3) },
    { name: 'negative magnitudes', q: 'mag < 0', expected: () => count(quakes, (f) => f.properties.mag < 0) },
    { name: 'magnitude and depth', q: 'mag < 1 AND depth > 10', expected: () => count(quakes, (f) => f.properties.mag < 1 && f.geometry.coordinates[2] > 10) },
    { name: 'int equality', q: 'tsunami:1', expected: () => count(quakes, (f) => prop(f, 'tsunami') === 1) },
    // Geo.
    { name: '#distance without a field', q: `#distance("${GEYSERS.lat},${GEYSERS.lon}", 20000)`, expected: () => withinDistance(quakePoints, GEYSERS.lat, GEYSERS.lon, 20000).inside },
    { name: '#distance with the field, and a magnitude', q: `#distance(geo_point_2d, "${GEYSERS.lat},${GEYSERS.lon}", 20000) AND mag >= 1`, expected: () => count(quakes, (f, i) => withinDistance([quakePoints[i] as { lat: number; lon: number }], GEYSERS.lat, GEYSERS.lon, 20000).inside === 1 && f.properties.mag >= 1) },
    // Text.
    { name: 'bare word', q: 'alaska', expected: () => quakeIndex().count('alaska', true) },
    { name: 'a 2-letter prefix over every text field (net, ids, places, urls...)', q: 'ak', expected: () => quakeIndex().count('ak', true) },
    { name: 'phrase', q: '"the geysers"', expected: () => quakeIndex().count('the geysers', false) },
    { name: 'phrase with a comma between the words', q: '"mammoth lakes, ca"', expected: () => quakeIndex().count('mammoth lakes ca', false) },
    { name: '== a value', q: 'type==earthquake', expected: () => count(quakes, (f) => fold(String(prop(f, 'type'))) === 'earthquake') },
    { name: 'NOT == a value', q: 'NOT type==earthquake', expected: () => count(quakes, (f) => fold(String(prop(f, 'type'))) !== 'earthquake') },
    { name: 'a multivalued field: one of its values', q: 'sources==us', expected: () => count(quakes, (f) => splitValues(prop(f, 'sources') as string).some((v) => fold(v) === 'us')) },
    // Nulls.
    { name: 'NOT #null on a rare value', q: 'NOT #null(alert)', expected: () => count(quakes, (f) => prop(f, 'alert') !== null) },
    { name: '#null on a number', q: '#null(felt)', expected: () => count(quakes, (f) => prop(f, 'felt') === null) },
    // Several q.
    {
      name: 'q and q.timerange, local',
      q: 'mag>=2',
      params: { ...tz, 'q.timerange': 'time:[2018-02-02 TO 2018-02-03]' },
      expected: () => count(quakes, (f) => f.properties.mag >= 2 && f.properties.time >= la('2018-02-02') && f.properties.time < laNext('2018-02-03', 'day')),
    },
  ]);
});

// ------------------------------------------------------------------------------------- countries

const lands = countries();
type Polygon = Pt[][];
const polygonsOf = (c: Country): Polygon[] => (c.geometry.type === 'Polygon' ? [c.geometry.coordinates as Polygon] : (c.geometry.coordinates as Polygon[]));
/**
 * The GeoJSON type of a boundary once loaded. The descriptor says what the sample preparation does to
 * the TopoJSON-converted source: a degenerate ring is dropped (North Korea), a polygon cut at the
 * antimeridian becomes two. So: count the polygons with a non-zero area, a polygon crossing the
 * antimeridian and coming back counting twice; one → "polygon", more → "multipolygon".
 */
function loadedType(c: Country): 'polygon' | 'multipolygon' {
  let parts = 0;
  for (const rings of polygonsOf(c)) {
    const outer = rings[0] ?? [];
    if (ringArea2(outer) === 0) continue;
    let crossings = 0;
    for (let i = 0; i + 1 < outer.length; i += 1) if (Math.abs((outer[i + 1] as Pt)[0] - (outer[i] as Pt)[0]) > 180) crossings += 1;
    parts += crossings > 0 && crossings % 2 === 0 ? 2 : 1;
  }
  return parts === 1 ? 'polygon' : 'multipolygon';
}
const COUNTRY_BOX = '(50,0),(50,10),(40,10),(40,0)';
const intersecting = (ring: Pt[]): number => count(lands, (c) => polygonsOf(c).some((p) => polygonIntersects(p, ring)));

describe('countries', () => {
  it('the text values modelled here are exactly the text fields of the descriptor', () => {
    expect(['iso_numeric', 'name']).toEqual(textFieldsOf('countries'));
  });

  it('the polygon ∩ shape expectation is robust: the same with the box 0.01° larger or smaller', () => {
    const ring = parseRing(COUNTRY_BOX);
    const n = intersecting(ring);
    expect({ grown: intersecting(scaleRing(ring, 0.01)), shrunk: intersecting(scaleRing(ring, -0.01)) }).toEqual({ grown: n, shrunk: n });
  });

  const landIndex = lazy(() => new TextIndex(lands.map((c) => ({ name: one(c.properties.name), iso_numeric: one(c.id) }))));
  countCases('countries', [
    { name: '#geometry polygon', q: '#geometry(geo_shape, "polygon")', expected: () => count(lands, (c) => loadedType(c) === 'polygon') },
    { name: '#geometry MultiPolygon, any case', q: '#geometry(geo_shape, "MultiPolygon")', expected: () => count(lands, (c) => loadedType(c) === 'multipolygon') },
    { name: '#polygon on shapes: intersects', q: `#polygon(geo_shape, "${COUNTRY_BOX}")`, expected: () => intersecting(parseRing(COUNTRY_BOX)) },
    { name: '#null on an empty code', q: '#null(iso_numeric)', expected: () => count(lands, (c) => c.id === undefined || c.id.trim() === '') },
    { name: 'bare word', q: 'guinea', expected: () => landIndex().count('guinea', true) },
    { name: 'elision in the data (Côte d\'Ivoire)', q: 'ivoire', expected: () => landIndex().count('ivoire', true) },
    { name: 'a word of an abbreviated name', q: 'rep', expected: () => landIndex().count('rep', true) },
    { name: 'text range on names', q: 'name:[A TO C]', expected: () => count(lands, (c) => c.properties.name >= 'A' && c.properties.name <= 'C') },
  ]);
});

// ------------------------------------------------------------------------------- seattle-weather

const days = seattleWeather();
describe('seattle-weather', () => {
  countCases('seattle-weather', [
    { name: '== a weather', q: 'weather==rain', expected: () => count(days, (d) => d.weather === 'rain') },
    { name: 'bare word', q: 'rain', expected: () => new TextIndex(days.map((d) => ({ weather: one(d.weather) }))).count('rain', true) },
    { name: 'all of February: >= and <= the same month', q: 'date >= 2013/02 AND date <= 2013/02', expected: () => count(days, (d) => d.date >= '2013-02-01' && d.date < '2013-03-01') },
    { name: 'double >', q: 'temp_max > 30', expected: () => count(days, (d) => d.temp_max > 30) },
    { name: 'a year and a weather', q: 'date:2014 AND weather==sun', expected: () => count(days, (d) => d.date.startsWith('2014-') && d.weather === 'sun') },
    { name: 'OR of numbers', q: 'precipitation > 20 OR wind >= 8', expected: () => count(days, (d) => d.precipitation > 20 || d.wind >= 8) },
    { name: 'a negative value', q: 'temp_min < -3', expected: () => count(days, (d) => d.temp_min < -3) },
    { name: 'a day, in the time zone of the dataset (date fields are days)', q: 'date==2013-07-04 OR date==2012/12/25', params: { timezone: LA }, expected: () => count(days, (d) => d.date === '2013-07-04' || d.date === '2012-12-25') },
    { name: 'q.timerange ANDed', q: 'weather==rain', params: { 'q.timerange': 'date:2013' }, expected: () => count(days, (d) => d.weather === 'rain' && d.date.startsWith('2013-')) },
    { name: 'q repeated', q: ['weather==sun', 'temp_max >= 25', 'NOT date:2015'], expected: () => count(days, (d) => d.weather === 'sun' && d.temp_max >= 25 && !d.date.startsWith('2015-')) },
  ]);
});

// ---------------------------------------------------------------------------------------- errors

describe('errors: 400 with the position, never 500', () => {
  it('an unknown field: 400, position, line and column, the closest known field', async () => {
    const q = 'sain AND popultion > 5';
    const { status, body } = await get('geonames-cities', [q]);
    expect(status).toBe(400);
    expect(body).toMatchObject({ parameter: 'q', position: 9, line: 1, column: 10 });
    expect(body.error).toContain('unknown field "popultion"');
    expect(body.error).toContain('population');
    expect(body.error).toContain('offset 9 (line 1, column 10)');
  });

  it('a syntax error: 400 with what was expected', async () => {
    const { status, body } = await get('geonames-cities', ['population:']);
    expect(status).toBe(400);
    expect(body).toMatchObject({ parameter: 'q', position: 11, line: 1, column: 12 });
    expect(Array.isArray(body.expected) && body.expected.length > 0).toBe(true);
  });

  it('a syntax error on the second line', async () => {
    const { status, body } = await get('geonames-cities', ['sain\nAND (paris']);
    expect(status).toBe(400);
    expect(body).toMatchObject({ parameter: 'q', line: 2 });
  });

  it('the second of two q: the error says which', async () => {
    const { status, body } = await get('geonames-cities', ['sain', 'popultion>5']);
    expect(status).toBe(400);
    expect(body).toMatchObject({ parameter: 'q', value_index: 1, position: 0 });
    expect(body.error).toContain('value 2 of 2');
  });

  it('an error in q.timerange names that parameter', async () => {
    const { status, body } = await get('seattle-weather', ['weather==rain'], { 'q.timerange': 'date:2013-13' });
    expect(status).toBe(400);
    expect(body).toMatchObject({ parameter: 'q.timerange', position: 5 });
  });

  it('every semantic problem is listed', async () => {
    const { status, body } = await get('geonames-cities', ['xx:1 OR population>abc']);
    expect(status).toBe(400);
    expect(body.errors).toHaveLength(2);
    expect(body).toMatchObject({ position: 0 });
  });

  it('an unknown time zone: 400 naming timezone', async () => {
    const { status, body } = await get('earthquakes', ['time:2018'], { timezone: 'Mars/Olympus_Mons' });
    expect(status).toBe(400);
    expect(body.error).toContain('timezone');
  });

  const bad: [string, string][] = [
    ['geonames-cities', '('],
    ['geonames-cities', ')'],
    ['geonames-cities', '"unterminated'],
    ['geonames-cities', 'name:'],
    ['geonames-cities', 'name:[a TO'],
    ['geonames-cities', 'population>abc'],
    ['geonames-cities', 'population:12.5'],
    ['geonames-cities', 'geo_point_2d:paris'],
    ['geonames-cities', '#nosuchfunction(name)'],
    ['geonames-cities', '#null()'],
    ['geonames-cities', '#distance(geo_point_2d, "abc", 5)'],
    ['geonames-cities', '#distance(geo_point_2d, "95,0", 5)'],
    ['geonames-cities', '#polygon(geo_point_2d, "(0,0),(1,1),(0,1),(1,0)")'],
    ['geonames-cities', '#polygon(geo_point_2d, "(0,0),(1,1)")'],
    ['geonames-cities', '#geometry(geo_point_2d, "circle")'],
    ['geonames-cities', '#startswith(population, "1")'],
    ['geonames-cities', 'AND'],
    ['geonames-cities', 'sain OR'],
    ['geonames-cities', 'NOT'],
    ['geonames-cities', 'a:b:c'],
    ['geonames-cities', '#now()'],
    ['movies', 'release_date:2016-13'],
    ['movies', 'release_date > #now(month=13)'],
    ['movies', 'title:#now()'],
    ['movies', 'release_date:[2016 TO'],
    ['earthquakes', 'time:"2018-02-30"'],
    ['earthquakes', '#distance(geo_point_2d, "38,-122", -5)'],
    ['countries', '#distance(geo_shape, "0,0", 1000)'],
    ['countries', 'geo_shape:france'],
    ['geonames-cities', '('.repeat(40) + 'sain' + ')'.repeat(40)],
  ];
  it.each(bad)('%s: q=%s is a 400', async (dataset, q) => {
    const { status, body } = await get(dataset, [q]);
    expect({ q, status }).toEqual({ q, status: 400 });
    expect(typeof body.error).toBe('string');
  });

  // Odd but valid input: answered, never a 500.
  const odd = ['&', '-', '*', '""', "''", 'a - b', 'name:*', 'population:[* TO *]', 'c#', '3.5', '2016/09', 'x'.repeat(500), 'paris & london', '#NULL(name)', 'name==""', '-*', '"\\""', '\\'];
  it.each(odd)('q=%s is answered (200 or 400, not 500)', async (q) => {
    const { status } = await get('geonames-cities', [q]);
    expect([200, 400]).toContain(status);
  });
});
