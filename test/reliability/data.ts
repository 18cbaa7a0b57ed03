/** The datasets of the suite, written as files the ingest CLI loads (like an operator would). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DataFiles {
  dir: string;
  search: { csv: string; descriptor: string; rows: number };
  big: { csv: string; descriptor: string; rows: number };
  small: { csv: string; descriptor: string };
  sensors: { csv: string; descriptor: string };
}

export function writeData(dir: string): DataFiles {
  mkdirSync(dir, { recursive: true });
  const file = (name: string, content: string) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  const countries = ['FR', 'DE', 'ES', 'IT', 'PT', 'BE', 'NL', 'CH'];
  const searchRows = 5000;
  const search = ['name;country;population;text', ...Array.from({ length: searchRows }, (_, i) => `name ${i};${countries[i % countries.length]};${(i * 7919) % 1000003};some words about place ${i}`)].join('\n');
  const bigRows = 40_000;
  const filler = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua';
  const big = ['n;text', ...Array.from({ length: bigRows }, (_, i) => `${i};row ${i} ${filler}`)].join('\n');
  const descriptor = (id: string, fields: unknown[]) => JSON.stringify({ datasetid: id, metas: { title: id, timezone: 'UTC' }, fields });
  return {
    dir,
    search: {
      csv: file('search.csv', `${search}\n`),
      descriptor: file('search.json', descriptor('rel-search', [
        { name: 'name', label: 'Name', type: 'text' },
        { name: 'country', label: 'Country', type: 'text', annotations: [{ name: 'facet' }] },
        { name: 'population', label: 'Population', type: 'int' },
        { name: 'text', label: 'Text', type: 'text' },
      ])),
      rows: searchRows,
    },
    big: {
      csv: file('big.csv', `${big}\n`),
      descriptor: file('big.json', descriptor('rel-big', [
        { name: 'n', label: 'N', type: 'int' },
        { name: 'text', label: 'Text', type: 'text' },
      ])),
      rows: bigRows,
    },
    small: {
      csv: file('small.csv', 'n\n1\n2\n3\n'),
      descriptor: file('small.json', descriptor('rel-small', [{ name: 'n', label: 'N', type: 'int' }])),
    },
    sensors: {
      csv: file('sensors.csv', 'station;value\n'),
      descriptor: file('sensors.json', descriptor('rel-sensors', [
        { name: 'station', label: 'Station', type: 'text', annotations: [{ name: 'id' }] },
        { name: 'value', label: 'Value', type: 'double' },
        { name: 'photo', label: 'Photo', type: 'file' },
      ])),
    },
  };
}
