/**
 * Hits of a download → v1 records (src/responses/record.ts recordRenderer), with the download's own
 * needs: shapes simplified when geo_simplify is on, and `record_timestamp` formatted once per
 * distinct value. Every record of one load shares its timestamp, and formatting a datetime in a
 * zone (luxon) is the most expensive step of a record (measured: ~80% of the rendering time on
 * geonames-cities), so a small memo makes the download several times faster.
 */
import type { DatasetDescriptor } from '../datasets/descriptor';
import { formatDatetime } from '../responses/format-dates';
import { recordRenderer, type StoredRecord, type V1Record } from '../responses/record';
import type { Hit } from './pit-pages';
import { type Geometry, simplifyGeometry } from './simplify';

const MEMO_SIZE = 1000;

export interface HitRendererOptions {
  timezone: string;
  /** Dataset fields to render, in order. */
  fields: readonly string[];
  simplifyTolerance?: number;
  /** The record's geometry: `point` first (JSON, CSV) or `shape` first (GeoJSON), record.ts. */
  geometry?: 'point' | 'shape';
  /** The dataset id records carry (the id as asked, record.ts). */
  datasetid?: string;
}

export function hitRenderer(d: DatasetDescriptor, options: HitRendererOptions): (hit: Hit) => V1Record {
  const shapes = d.fields.filter((f) => f.type === 'geo_shape').map((f) => f.name);
  const tolerance = options.simplifyTolerance;
  const memo = new Map<string, string | undefined>();
  const timestamp = (raw: string): string | undefined => {
    if (memo.has(raw)) return memo.get(raw);
    const out = formatDatetime(raw, options.timezone);
    if (memo.size >= MEMO_SIZE) memo.clear();
    memo.set(raw, out);
    return out;
  };
  const render = recordRenderer(d, {
    timezone: options.timezone,
    only: options.fields,
    formatTimestamp: timestamp,
    ...(options.geometry ? { geometry: options.geometry } : {}),
    ...(options.datasetid !== undefined ? { datasetid: options.datasetid } : {}),
  });
  return (hit) => {
    const doc = (hit._source ?? {}) as unknown as StoredRecord;
    if (tolerance !== undefined && doc.fields) {
      for (const s of shapes) {
        const g = doc.fields[s];
        if (g && typeof g === 'object') doc.fields[s] = simplifyGeometry(g as Geometry, tolerance);
      }
    }
    return render(doc);
  };
}
