/**
 * A descriptor inferred from the first rows of a source (when the publisher gives none). Written out
 * with `--write-descriptor` for the publisher to edit.
 *
 * Types: int, double, date (YYYY-MM-DD, YYYY/MM/DD, "Jun 12 1998"), datetime (ISO with a time), text.
 * Geo: GeoJSON geometries → geo_shape (+ a computed geo_point_2d), or geo_point_2d when all are points;
 * {lat, lon} objects and "48.85,2.35" strings → geo_point_2d; a lat/latitude + lon/lng/long/longitude
 * pair of numeric columns → one geo_point_2d. Codes with leading zeros ("02") and long digit strings
 * stay text. Annotations: `facet` on text columns with few distinct values, `facet` and
 * `timeserie_precision` on dates.
 */
import { parseDescriptor, type Annotation, type DatasetDescriptor, type FieldDescriptor, type FieldType } from '../datasets/descriptor';
import { normalizeFieldName, uniqueFieldNames } from './field-names';
import { isGeoJsonGeometry } from './geo';
import { LAT_NAMES, LON_NAMES, type ColumnSpec } from './source-columns';
import type { Row, SourceFormat } from './types';
import { isEmpty, looksLikeDate, looksLikeDatetime } from './values';

export const DEFAULT_INFER_SAMPLE = 1000;
const MAX_DISTINCT = 50;

type Kind = 'int' | 'double' | 'date' | 'datetime' | 'point' | 'shape' | 'latlon' | 'text' | 'array';

interface ColumnStats {
  column: string;
  nonEmpty: number;
  kinds: Map<Kind, number>;
  distinct: Set<string>;
  maxLength: number;
}

const INT_STRING = /^[+-]?(?:0|[1-9]\d{0,14})$/;
const DOUBLE_STRING = /^[+-]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?$/;
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;
const LAT_LON_STRING = /^\s*(-?\d{1,2}\.\d+)\s*,\s*(-?\d{1,3}\.\d+)\s*$/;

function kindOf(v: unknown): Kind {
  if (typeof v === 'number') return Number.isInteger(v) && Number.isSafeInteger(v) ? 'int' : 'double';
  if (typeof v === 'bigint') return 'int';
  if (v instanceof Date) return 'datetime';
  if (typeof v === 'boolean') return 'text';
  if (Array.isArray(v)) return v.every((x) => x === null || ['string', 'number', 'boolean'].includes(typeof x)) ? 'array' : 'text';
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    const g = o.type === 'Feature' ? o.geometry : v;
    if (isGeoJsonGeometry(g)) return g.type === 'Point' ? 'point' : 'shape';
    if (typeof o.lat === 'number' && (typeof o.lon === 'number' || typeof o.lng === 'number')) return 'latlon';
    return 'text';
  }
  const s = String(v).trim();
  if (INT_STRING.test(s)) return 'int';
  if (/^[+-]?\d{16,}$/.test(s)) return 'text'; // identifiers beyond 2^53, not numbers
  if (DOUBLE_STRING.test(s) && !/^[+-]?0\d/.test(s)) return 'double';
  if (DECIMAL_COMMA.test(s) && !/^[+-]?0\d/.test(s)) return 'double';
  if (looksLikeDate(s)) return 'date';
  if (looksLikeDatetime(s)) return 'datetime';
  const m = LAT_LON_STRING.exec(s);
  if (m && Math.abs(Number(m[1])) <= 90 && Math.abs(Number(m[2])) <= 180) return 'latlon';
  return 'text';
}

function collect(rows: readonly Row[]): ColumnStats[] {
  const byColumn = new Map<string, ColumnStats>();
  for (const row of rows) {
    for (const [column, v] of Object.entries(row)) {
      let s = byColumn.get(column);
      if (!s) {
        s = { column, nonEmpty: 0, kinds: new Map(), distinct: new Set(), maxLength: 0 };
        byColumn.set(column, s);
      }
      if (isEmpty(v) || (Array.isArray(v) && v.length === 0)) continue;
      s.nonEmpty += 1;
      const k = kindOf(v);
      s.kinds.set(k, (s.kinds.get(k) ?? 0) + 1);
      if (typeof v !== 'object' || v === null) {
        const text = String(v);
        s.maxLength = Math.max(s.maxLength, text.length);
        if (s.distinct.size <= MAX_DISTINCT) s.distinct.add(text);
      }
    }
  }
  return [...byColumn.values()];
}

/** The field type of a column, from the kinds of its non-empty values. */
function typeOf(s: ColumnStats): { type: FieldType; multivalued?: boolean } {
  const has = (...ks: Kind[]): boolean => [...s.kinds.keys()].every((k) => ks.includes(k));
  if (s.nonEmpty === 0) return { type: 'text' };
  if (has('int')) return { type: 'int' };
  if (has('int', 'double')) return { type: 'double' };
  if (has('date')) return { type: 'date' };
  if (has('date', 'datetime')) return { type: 'datetime' };
  if (has('point', 'latlon')) return { type: 'geo_point_2d' };
  if (has('point', 'shape')) return { type: 'geo_shape' };
  if (has('array')) return { type: 'text', multivalued: true };
  return { type: 'text' };
}

function isFacetCandidate(s: ColumnStats): boolean {
  return s.nonEmpty >= 2 && s.distinct.size <= MAX_DISTINCT && s.distinct.size * 4 <= s.nonEmpty && s.maxLength <= 200;
}

export interface InferOptions {
  datasetId: string;
  title?: string;
  format?: SourceFormat;
  sourcePath?: string;
  separator?: string;
}

interface Draft {
  column: string;
  /** Preferred name (geo fields get the ODS names geo_point_2d / geo_shape). */
  name?: string;
  spec?: ColumnSpec;
  type: FieldType;
  annotations: Annotation[];
}

/** Infers a descriptor from sample rows (typically the first DEFAULT_INFER_SAMPLE of the source). */
export function inferDescriptor(rows: readonly Row[], options: InferOptions): DatasetDescriptor {
  const stats = collect(rows);
  const drafts: Draft[] = [];
  for (const s of stats) {
    const { type, multivalued } = typeOf(s);
    const annotations: Annotation[] = [];
    if (multivalued) annotations.push({ name: 'multivalued', args: [','] });
    if (type === 'text' && isFacetCandidate(s)) annotations.push({ name: 'facet' });
    if (type === 'date') annotations.push({ name: 'facet' }, { name: 'timeserie_precision', args: ['day'] });
    if (type === 'datetime') annotations.push({ name: 'facet' }, { name: 'timeserie_precision', args: ['hour'] });
    drafts.push({ column: s.column, type, annotations });
  }

  // a lat + lon pair of numeric columns becomes one geo_point_2d
  const hasPoint = drafts.some((d) => d.type === 'geo_point_2d');
  const numeric = (d: Draft): boolean => d.type === 'int' || d.type === 'double';
  const lat = drafts.find((d) => numeric(d) && LAT_NAMES.has(normalizeFieldName(d.column)));
  const lon = drafts.find((d) => numeric(d) && LON_NAMES.has(normalizeFieldName(d.column)));
  if (lat && lon && !hasPoint) {
    const at = Math.min(drafts.indexOf(lat), drafts.indexOf(lon));
    const point: Draft = { column: `${lat.column}+${lon.column}`, name: 'geo_point_2d', spec: [lat.column, lon.column], type: 'geo_point_2d', annotations: [] };
    drafts.splice(drafts.indexOf(lat), 1);
    drafts.splice(drafts.indexOf(lon), 1);
    drafts.splice(at, 0, point);
  }
  // ODS names for the geometry columns, and a computed point for shapes
  for (const d of drafts) {
    if (d.type === 'geo_shape' && !drafts.some((o) => o.name === 'geo_shape')) d.name = 'geo_shape';
    if (d.type === 'geo_point_2d' && !drafts.some((o) => o.name === 'geo_point_2d')) d.name = 'geo_point_2d';
  }
  if (drafts.some((d) => d.type === 'geo_shape') && !drafts.some((d) => d.type === 'geo_point_2d')) {
    const name = drafts.some((d) => d.name === 'geo_point_2d' || normalizeFieldName(d.column) === 'geo_point_2d') ? 'centroid' : 'geo_point_2d';
    drafts.push({ column: '', name, type: 'geo_point_2d', annotations: [] });
  }

  const preset = drafts.map((d) => d.name).filter((n): n is string => n !== undefined);
  const generated = uniqueFieldNames(
    drafts.filter((d) => d.name === undefined).map((d) => d.column),
    preset,
  );
  let g = 0;
  const columns: Record<string, ColumnSpec> = {};
  const fields: FieldDescriptor[] = drafts.map((d) => {
    const name = d.name ?? (generated[g++] as string);
    if (d.spec !== undefined) columns[name] = d.spec;
    else if (d.column !== '' && normalizeFieldName(d.column) !== name && d.column !== name) columns[name] = d.column;
    const label = d.type === 'geo_point_2d' && d.spec !== undefined ? 'Geo point' : d.column === '' ? 'Centroid' : d.column;
    const f: FieldDescriptor = { name, label, type: d.type };
    if (d.annotations.length > 0) f.annotations = d.annotations;
    return f;
  });
  if (fields.length === 0) throw new Error('Cannot infer a descriptor: the sample has no column');

  const source: Record<string, unknown> = {};
  if (options.format) source.format = options.format;
  if (options.sourcePath) source.path = options.sourcePath;
  if (options.separator) source.csv_separator = options.separator;
  if (Object.keys(columns).length > 0) source.columns = columns;

  return parseDescriptor(
    {
      datasetid: options.datasetId,
      metas: { title: options.title ?? options.datasetId },
      fields,
      extra_metas: { visualization: {} },
      ...(Object.keys(source).length > 0 ? { source } : {}),
    },
    'inferred descriptor',
  );
}
