/**
 * GeoJSON of v1 records (v1-api-facts.md §5: a FeatureCollection whose features carry the fields as
 * properties). Decisions (docs/search.md): one Feature per record, `geometry` = the record's
 * geometry (its shape, else its point) or null; `properties` = the record's `fields` as the JSON
 * record shows them (with `dist` under geofilter.distance) plus `recordid`; `datasetid` (the same on
 * every feature) and `record_timestamp` (load bookkeeping) are left out.
 * `open()`, `feature()` and `close()` let the streamed download write it piece by piece.
 */
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
  feature: (record: V1Record, index: number): string => `${index > 0 ? ',' : ''}${JSON.stringify(toFeature(record))}`,
  close: (): string => ']}',
};

export function featureCollection(records: V1Record[]): { type: 'FeatureCollection'; features: Feature[] } {
  return { type: 'FeatureCollection', features: records.map(toFeature) };
}
