import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectSeparator, headerNames, readCsv } from '../../../src/ingest/readers/csv';
import type { SourceRow } from '../../../src/ingest/types';

const dir = mkdtempSync(join(tmpdir(), 'ingest-csv-'));
let n = 0;
function file(content: string): string {
  const p = join(dir, `f${(n += 1)}.csv`);
  writeFileSync(p, content);
  return p;
}
async function all(path: string, separator?: string): Promise<SourceRow[]> {
  const out: SourceRow[] = [];
  for await (const r of readCsv(path, separator ? { separator } : {})) out.push(r);
  return out;
}

describe('detectSeparator', () => {
  it.each([
    ['a,b,c', ','],
    ['a;b;c', ';'],
    ['a\tb\tc', '\t'],
    ['a|b|c', '|'],
    ['"a;b",c,d', ','], // separators inside quotes do not count
    ['nom;"prix, en €";quantité', ';'],
    ['single', ','],
    ['a,b;c;d', ';'],
    ['a,b;c', ','], // a tie goes to the first of , ; tab |
  ])('%j → %j', (header, sep) => {
    expect(detectSeparator(header)).toBe(sep);
  });
});

describe('headerNames', () => {
  it('names empty cells and repeats', () => {
    expect(headerNames([' a ', '', 'a', 'b'])).toEqual(['a', 'column_2', 'a_2', 'b']);
  });
});

describe('readCsv', () => {
  it('reads a ; file with a BOM, quotes and CRLF, with the line of each record', async () => {
    const p = file('\uFEFFname;note;n\r\n"Dupont; Jean";"dit ""le grand""";1\r\n\r\nMartin;"deux\r\nlignes";2\r\nDurand;;3\r\n');
    expect(await all(p)).toEqual([
      { line: 2, row: { name: 'Dupont; Jean', note: 'dit "le grand"', n: '1' } },
      { line: 4, row: { name: 'Martin', note: 'deux\r\nlignes', n: '2' } },
      { line: 6, row: { name: 'Durand', note: '', n: '3' } },
    ]);
  });

  it('uses a given separator', async () => {
    const p = file('a|b\n1|2\n');
    expect(await all(p, '|')).toEqual([{ line: 2, row: { a: '1', b: '2' } }]);
  });

  it('yields an error for a line with too many values, and fills missing ones', async () => {
    const p = file('a,b\n1,2,3\n4\n5,6,\n');
    expect(await all(p)).toEqual([
      { line: 2, error: 'line has 3 values but the header has 2 columns', raw: ['1', '2', '3'] },
      { line: 3, row: { a: '4' } },
      { line: 4, row: { a: '5', b: '6' } },
    ]);
  });

  it('reads the vega seattle-weather file', async () => {
    const rows = await all(join(__dirname, '../../../node_modules/vega-datasets/data/seattle-weather.csv'));
    expect(rows).toHaveLength(1461);
    expect(rows[0]).toEqual({ line: 2, row: { date: '2012-01-01', precipitation: '0.0', temp_max: '12.8', temp_min: '5.0', wind: '4.7', weather: 'drizzle' } });
    expect(rows[1460]?.line).toBe(1462);
  });
});
