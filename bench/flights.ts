/** The bench dataset: flights-3m.parquet (first BENCH_ROWS rows) + each origin's coordinates from airports.csv. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetDescriptor } from '../src/datasets/descriptor';
import { readParquet } from '../src/ingest/readers';
import type { SourceRow } from '../src/ingest/types';

export const DATA_DIR = join(__dirname, '..', '..', '..', 'node_modules', 'vega-datasets', 'data');
export const DATASET_ID = 'flights';

export const DESCRIPTOR: DatasetDescriptor = {
  datasetid: DATASET_ID,
  metas: { title: 'US flights (vega-datasets flights-3m)', timezone: 'UTC' },
  fields: [
    { name: 'date', label: 'Date', type: 'datetime', annotations: [{ name: 'timerangeFilter' }] },
    { name: 'delay', label: 'Delay', type: 'int', annotations: [{ name: 'sortable' }] },
    { name: 'distance', label: 'Distance', type: 'int', annotations: [{ name: 'sortable' }] },
    { name: 'origin', label: 'Origin', type: 'text', annotations: [{ name: 'facet' }] },
    { name: 'destination', label: 'Destination', type: 'text', annotations: [{ name: 'facet' }] },
    { name: 'geo_point_2d', label: 'Origin location', type: 'geo_point_2d' },
  ],
  attachments: [],
  alternative_exports: [],
  visibility: 'public',
};

/** IATA code → "lat,lon". */
export function airports(): Map<string, string> {
  const lines = readFileSync(join(DATA_DIR, 'airports.csv'), 'utf8').split('\n').slice(1);
  const m = new Map<string, string>();
  for (const line of lines) {
    const c = line.split(','); // no quoted commas in iata/lat/lon; lat and lon are the last two columns
    if (c.length >= 7) m.set(c[0]!, `${c[c.length - 2]},${c[c.length - 1]}`);
  }
  return m;
}

/** The first `limit` rows, joined with the origin's coordinates. */
export async function* flightRows(limit: number): AsyncGenerator<SourceRow> {
  const geo = airports();
  let n = 0;
  for await (const item of readParquet(join(DATA_DIR, 'flights-3m.parquet'))) {
    if (n++ >= limit) return;
    if (item.row) item.row.geo_point_2d = geo.get(String(item.row.origin)) ?? null;
    yield item;
  }
}
