import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectFormat, readGeoJson, readJsonArray, readNdjson, readParquet, readSource } from '../../../src/ingest/readers';
import type { SourceRow } from '../../../src/ingest/types';

const dir = mkdtempSync(join(tmpdir(), 'ingest-readers-'));
const file = (name: string, content: string): string => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
async function all(it: AsyncIterable<SourceRow>, max = Infinity): Promise<SourceRow[]> {
  const out: SourceRow[] = [];
  for await (const r of it) {
    out.push(r);
    if (out.length >= max) break;
  }
  return out;
}
const VEGA = join(__dirname, '../../../node_modules/vega-datasets/data');

describe('readers', () => {
  it('reads NDJSON with line numbers, skipping blank lines, yielding errors for bad lines', async () => {
    const p = file('a.ndjson', '\uFEFF{"a":1}\n\n{"a":2}\r\nnot json\n[1,2]\n{"b":"x"}');
    expect(await all(readNdjson(p))).toEqual([
      { line: 1, row: { a: 1 } },
      { line: 3, row: { a: 2 } },
      { line: 4, error: expect.stringMatching(/^invalid JSON/), raw: 'not json' },
      { line: 5, error: 'expected a JSON object', raw: [1, 2] },
      { line: 6, row: { b: 'x' } },
    ]);
  });

  it('streams a JSON array with item numbers', async () => {
    const p = file('a.json', '[{"a":1}, 3, {"a":{"b":[1,2]}}]');
    expect(await all(readJsonArray(p))).toEqual([
      { line: 1, row: { a: 1 } },
      { line: 2, error: 'expected a JSON object', raw: 3 },
      { line: 3, row: { a: { b: [1, 2] } } },
    ]);
  });

  it('reads GeoJSON features as properties + geometry + id', async () => {
    const p = file(
      'a.geojson',
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', id: 'f1', properties: { name: 'A' }, geometry: { type: 'Point', coordinates: [1, 2] } },
          { type: 'Feature', properties: null, geometry: null },
          { type: 'Feature', id: 3, properties: { id: 'own', geometry: 'own' }, geometry: { type: 'Point', coordinates: [0, 0] } },
          { type: 'NotAFeature' },
        ],
      }),
    );
    expect(await all(readGeoJson(p))).toEqual([
      { line: 1, row: { name: 'A', geometry: { type: 'Point', coordinates: [1, 2] }, id: 'f1' } },
      { line: 2, row: { geometry: null } },
      { line: 3, row: { id: 'own', geometry: 'own' } },
      { line: 4, error: 'expected a GeoJSON Feature', raw: { type: 'NotAFeature' } },
    ]);
  });

  it('reads the vega movies array and earthquakes feature collection', async () => {
    const movies = await all(readJsonArray(join(VEGA, 'movies.json')));
    expect(movies).toHaveLength(3201);
    expect(movies[0]?.row).toMatchObject({ Title: 'The Land Girls', 'Release Date': 'Jun 12 1998' });
    const quakes = await all(readGeoJson(join(VEGA, 'earthquakes.json')));
    expect(quakes).toHaveLength(1707);
    expect(quakes[0]?.row).toMatchObject({ id: 'ci37868143', mag: 2, geometry: { type: 'Point', coordinates: [-118.6671667, 34.4945, 26.49] } });
  });

  it('reads Parquet row group by row group, int64 as numbers, local timestamps without offset', async () => {
    const rows = await all(readParquet(join(VEGA, 'flights-3m.parquet')), 2);
    expect(rows).toEqual([
      { line: 1, row: { date: '2001-01-01T00:01:00.000', delay: 33, distance: 2176, origin: 'LAS', destination: 'PHL' } },
      { line: 2, row: { date: '2001-01-01T00:01:00.000', delay: 19, distance: 215, origin: 'ATL', destination: 'SAV' } },
    ]);
  });

  it('tells the format from the extension and the first bytes', async () => {
    expect(await detectFormat('x.csv')).toBe('csv');
    expect(await detectFormat('x.tsv')).toBe('csv');
    expect(await detectFormat('x.jsonl')).toBe('ndjson');
    expect(await detectFormat('x.parquet')).toBe('parquet');
    expect(await detectFormat(file('fc.json', ' {"type": "FeatureCollection", "features": []}'))).toBe('geojson');
    expect(await detectFormat(file('arr.json', '\n[{"a":1}]'))).toBe('json');
    expect(await detectFormat(file('nd.json', '{"a":1}\n{"a":2}\n'))).toBe('ndjson');
    await expect(detectFormat('x.xlsx')).rejects.toThrow(/give it with --format/);
    expect(await all(readSource(file('t.tsv', 'a\tb\n1\t2\n'), 'csv'))).toEqual([{ line: 2, row: { a: '1', b: '2' } }]);
  });
});
