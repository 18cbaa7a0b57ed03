/**
 * GeoJSON of v1 records (docs/v1-api.md, Record search: a FeatureCollection whose features carry the fields as
 * properties). Decisions (docs/search.md): one Feature per record, `geometry` = the record's
 * geometry rendered shape first (its shape, else its point: render with `geometry: 'shape'`) or null;
 * `properties` = the record's `fields` as the JSON
 * record shows them (with `dist` under geofilter.distance) plus `recordid`; `datasetid` (the same on
 * every feature) and `record_timestamp` (load bookkeeping) are left out.
 * `open()`, `feature()` and `close()` let the streamed download write it piece by piece.
 */
import type { RecordJson } from '../json-writer';
import type { V1Record } from '../record';

export interface Feature {
  type: 'Feature';
  geometry: unknown;
  properties: Record<string, unknown>;
}

export function toFeature(record: V1Record): Feature {
  return { type: 'Feature', geometry: record.geometry ?? null, properties: { ...record.fields, recordid: record.recordid } };
}

export const geojsonWriter = {
  open: (): string => '{"type":"FeatureCollection","features":[',
  feature: (record: V1Record, index: number, json: RecordJson): string => `${index > 0 ? ',' : ''}${json.feature(toFeature(record))}`,
  close: (): string => ']}',
};

export function featureCollection(records: V1Record[]): { type: 'FeatureCollection'; features: Feature[] } {
  return { type: 'FeatureCollection', features: records.map(toFeature) };
}

/** The FeatureCollection as JSON text (doubles written `2.0`, json-writer.ts). */
export function featureCollectionJson(records: readonly V1Record[], json: RecordJson): string {
  return geojsonWriter.open() + records.map((r, i) => geojsonWriter.feature(r, i, json)).join('') + geojsonWriter.close();
}
