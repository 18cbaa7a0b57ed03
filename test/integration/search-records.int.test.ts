/**
 * Record search over the sample datasets loaded by the global setup, against expectations computed
 * from the source data (test/helpers/sample-data.ts): facet counts, refine/exclude partitions,
 * disjunctive counts, date hierarchies with states, paging.
 */
import request from 'supertest';
import { DateTime } from 'luxon';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { openSearchBackend } from '../../src/opensearch/backend';
import { datasetRegistry } from '../../src/datasets/registry';
import { closeTestContext, testContext } from '../helpers/integration';
import { earthquakes, geonamesCities, movieDate, movies, seattleWeather } from '../helpers/sample-data';

jest.setTimeout(120_000);
const ctx = testContext();
afterAll(() => closeTestContext());
const backend = openSearchBackend(ctx.client, ctx.names);
const app = createApp({ config: { trustProxy: false, maxRequestBodyBytes: 1 << 20 }, logger: createLogger('silent'), backend, registry: datasetRegistry(backend, 0) });

type FacetValue = { name: string; path: string; count: number; state: string; facets?: FacetValue[] };
type Body = { nhits: number; records: { recordid: string; fields: Record<string, unknown> }[]; facet_groups?: { name: string; facets: FacetValue[] }[]; parameters: Record<string, unknown> };

async function search(dataset: string, qs: string): Promise<Body> {
  const res = await request(app).get(`/api/records/1.0/search/?dataset=${dataset}&${qs}`);
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Body;
}
const group = (b: Body, name: string): FacetValue[] => b.facet_groups?.find((g) => g.name === name)?.facets ?? [];
const counts = (values: FacetValue[]): Record<string, number> => Object.fromEntries(values.map((v) => [v.path, v.count]));
function tally<T>(items: T[], key: (t: T) => string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) {
    const k = key(i);
    if (k !== undefined && k !== '') out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

const cities = geonamesCities();
const byCountry = tally(cities, (c) => c.country);

describe('facets against the source data', () => {
  it('counts every country of geonames-cities, ordered by -count (the field facetsort)', async () => {
    const b = await search('geonames-cities', 'facet=country_code&rows=0');
    expect(b.nhits).toBe(cities.length);
    const values = group(b, 'country_code');
    expect(counts(values)).toEqual(byCountry);
    const sorted = [...values].sort((x, y) => y.count - x.count);
    expect(values.map((v) => v.count)).toEqual(sorted.map((v) => v.count));
    expect(values.every((v) => v.state === 'displayed' && v.name === v.path)).toBe(true);
  });

  it('refine and exclude of a value partition the hits', async () => {
    const refined = await search('geonames-cities', 'refine.country_code=FR&facet=country_code&rows=0');
    const excluded = await search('geonames-cities', 'exclude.country_code=FR&facet=country_code&rows=0');
    expect(refined.nhits).toBe(byCountry.FR);
    expect(refined.nhits + excluded.nhits).toBe(cities.length);
    expect(group(refined, 'country_code')).toEqual([{ name: 'FR', path: 'FR', count: byCountry.FR, state: 'refined' }]);
    // The excluded value stays listed, with its count and state.
    expect(group(excluded, 'country_code').find((v) => v.path === 'FR')).toEqual({ name: 'FR', path: 'FR', count: byCountry.FR, state: 'excluded' });
  });

  it('ANDs two refines of a conjunctive facet, ORs them when disjunctive, and counts a disjunctive facet without its own refines', async () => {
    expect((await search('geonames-cities', 'refine.country_code=FR&refine.country_code=DE&rows=0')).nhits).toBe(0);
    const b = await search('geonames-cities', 'refine.country_code=FR&refine.country_code=DE&disjunctive.country_code=true&facet=country_code&facet=feature_code&rows=0');
    expect(b.nhits).toBe((byCountry.FR ?? 0) + (byCountry.DE ?? 0));
    expect(counts(group(b, 'country_code'))).toEqual(byCountry);
    expect(group(b, 'country_code').filter((v) => v.state === 'refined').map((v) => v.path).sort()).toEqual(['DE', 'FR']);
    const inFrDe = cities.filter((c) => c.country === 'FR' || c.country === 'DE');
    expect(counts(group(b, 'feature_code'))).toEqual(tally(inFrDe, (c) => c.featureCode));
    // feature_code is annotated facetsort alphanum.
    expect(group(b, 'feature_code').map((v) => v.name)).toEqual(Object.keys(tally(inFrDe, (c) => c.featureCode)).sort());
  });

  it('counts a multivalued facet once per distinct value of each record', async () => {
    const alt = cities.map((c) => [...new Set(c.altName.split(',').map((s) => s.trim()).filter((s) => s !== ''))]);
    const expected: Record<string, number> = {};
    for (const values of alt) for (const v of values) expected[v] = (expected[v] ?? 0) + 1;
    const b = await search('geonames-cities', 'facet=alt_country_codes&rows=0');
    expect(counts(group(b, 'alt_country_codes'))).toEqual(expected);
  });

  it('ORs the refines of a disjunctive text facet and counts it as if unrefined (seattle weather)', async () => {
    const weather = seattleWeather();
    const b = await search('seattle-weather', 'facet=weather&refine.weather=sun&refine.weather=fog&disjunctive.weather=true&rows=0');
    expect(counts(group(b, 'weather'))).toEqual(tally(weather, (w) => w.weather));
    expect(b.nhits).toBe(weather.filter((w) => w.weather === 'sun' || w.weather === 'fog').length);
  });
});

describe('date hierarchies', () => {
  const films = movies().map((m) => movieDate(m['Release Date']));
  const years = tally(films, (d) => d.slice(0, 4));

  it('lists the years of movies, most recent first', async () => {
    const b = await search('movies', 'facet=release_date&rows=0');
    const values = group(b, 'release_date');
    expect(counts(values)).toEqual(years);
    expect(values.map((v) => v.name)).toEqual(Object.keys(years).sort().reverse());
  });

  it('opens a refined year into months and a refined month into days, with the chain refined', async () => {
    const year = await search('movies', 'facet=release_date&refine.release_date=1998&rows=0');
    expect(year.nhits).toBe(years['1998']);
    const [y] = group(year, 'release_date');
    expect(y).toMatchObject({ name: '1998', path: '1998', count: years['1998'], state: 'refined' });
    const months = tally(films.filter((d) => d.startsWith('1998-')), (d) => `1998/${d.slice(5, 7)}`);
    expect(counts(y?.facets ?? [])).toEqual(months);

    const day = await search('movies', 'facet=release_date&refine.release_date=1998-06-12&rows=0');
    expect(day.parameters.refine).toEqual({ release_date: ['1998', '1998/06', '1998/06/12'] });
    const chain = group(day, 'release_date');
    expect(chain.map((v) => [v.path, v.state])).toEqual([['1998', 'refined']]);
    expect(chain[0]?.facets?.map((v) => [v.path, v.state])).toEqual([['1998/06', 'refined']]);
    expect(chain[0]?.facets?.[0]?.facets).toEqual([{ name: '12', path: '1998/06/12', count: films.filter((d) => d === '1998-06-12').length, state: 'refined' }]);
  });

  it('keeps an excluded year listed as excluded and removes its movies', async () => {
    const b = await search('movies', 'facet=release_date&exclude.release_date=1998&rows=0');
    expect(b.nhits).toBe(films.length - (years['1998'] ?? 0));
    expect(group(b, 'release_date').find((v) => v.path === '1998')).toEqual({ name: '1998', path: '1998', count: years['1998'], state: 'excluded' });
  });

  it('buckets datetimes in the request timezone (earthquakes)', async () => {
    const zone = 'America/Los_Angeles';
    const local = earthquakes().map((q) => DateTime.fromMillis(q.properties.time, { zone }).toFormat('yyyy/MM/dd'));
    const b = await search('earthquakes', `facet=time&refine.time=2018/02&timezone=${encodeURIComponent(zone)}&rows=0`);
    expect(b.nhits).toBe(local.filter((d) => d.startsWith('2018/02')).length);
    const feb = group(b, 'time')[0]?.facets?.[0];
    expect(feb).toMatchObject({ path: '2018/02', state: 'refined' });
    expect(counts(feb?.facets ?? [])).toEqual(tally(local.filter((d) => d.startsWith('2018/02')), (d) => d));
    const utc = await search('earthquakes', 'facet=time&refine.time=2018/02&rows=0');
    expect(utc.nhits).toBe(earthquakes().filter((q) => new Date(q.properties.time).getUTCMonth() === 1).length);
  });
});

describe('paging', () => {
  it('returns every record exactly once up to 10000, in the same order as one big page', async () => {
    const pages: string[] = [];
    for (let start = 0; start < 10000; start += 2000) {
      const b = await search('geonames-cities', `sort=population&fields=name&rows=2000&start=${start}`);
      pages.push(...b.records.map((r) => r.recordid));
    }
    expect(pages).toHaveLength(10000);
    expect(new Set(pages).size).toBe(10000);
    const all = await search('geonames-cities', 'sort=population&fields=name&rows=10000');
    expect(all.records.map((r) => r.recordid)).toEqual(pages);
    const top = [...cities].sort((a, b) => b.population - a.population)[0];
    expect(all.records[0]?.fields.name).toBe(top?.name);
    const res = await request(app).get('/api/records/1.0/search?dataset=geonames-cities&start=10000&rows=1');
    expect(res.status).toBe(400);
  });
});
