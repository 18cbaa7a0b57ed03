/**
 * Which source column feeds which dataset field.
 *
 * Default: a column feeds the field whose name is the column (`population`), or whose name is the
 * normalised column (`"US Gross"` → `us_gross`), or whose label is the column. A descriptor can say
 * otherwise in `source.columns`: `{ "<field>": "<column>" }`, a dotted path into the row
 * (`"geometry.coordinates.2"` for the depth of a GeoJSON point), or `["<lat column>", "<lon column>"]`
 * for a geo_point_2d built from two columns. Two conveniences need no configuration: a `geometry`
 * column (GeoJSON features) feeds the first geo_shape field, else the first geo_point_2d field; and a
 * pair of columns named like lat/latitude and lon/lng/long/longitude feeds the geo_point_2d field.
 * Columns that feed nothing are ignored (the load reports them once).
 */
import type { DatasetDescriptor, FieldDescriptor } from '../datasets/descriptor';
import { normalizeFieldName } from './field-names';

export type ColumnSpec = string | [string, string];

export const LAT_NAMES = new Set(['lat', 'latitude', 'y_lat', 'lat_y']);
export const LON_NAMES = new Set(['lon', 'lng', 'long', 'longitude', 'x_lon', 'lon_x']);

/** Reads and checks `source.columns` (a passthrough key of the descriptor's source). */
export function explicitColumns(d: DatasetDescriptor): Map<string, ColumnSpec> {
  const out = new Map<string, ColumnSpec>();
  const raw = (d.source as { columns?: unknown } | undefined)?.columns;
  if (raw === undefined) return out;
  const problems: string[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error(`Invalid descriptor:\n  source.columns: expected an object { "<field>": "<column>" }`);
  }
  for (const [field, spec] of Object.entries(raw as Record<string, unknown>)) {
    const f = d.fields.find((x) => x.name === field);
    if (!f) problems.push(`source.columns.${field}: no field of that name`);
    else if (typeof spec === 'string' && spec !== '') out.set(field, spec);
    else if (Array.isArray(spec) && spec.length === 2 && spec.every((s) => typeof s === 'string' && s !== '')) {
      if (f.type !== 'geo_point_2d') problems.push(`source.columns.${field}: a [lat, lon] pair of columns needs a geo_point_2d field`);
      else out.set(field, [spec[0] as string, spec[1] as string]);
    } else problems.push(`source.columns.${field}: expected a column name or a [lat, lon] pair of column names`);
  }
  if (problems.length > 0) throw new Error(`Invalid descriptor:\n  ${problems.join('\n  ')}`);
  return out;
}

/** Field value as the source gave it, with the column it came from (for reject messages). */
export interface RawValue {
  value: unknown;
  column: string;
}

type Target = { kind: 'field'; field: FieldDescriptor } | { kind: 'lat' } | { kind: 'lon' } | { kind: 'ignored' } | { kind: 'used' };

function getPath(row: Record<string, unknown>, path: string): unknown {
  let cur: unknown = row;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export class ColumnResolver {
  private readonly explicit: Map<string, ColumnSpec>;
  private readonly byName = new Map<string, FieldDescriptor>();
  /** Columns named exactly by `source.columns`. */
  private readonly usedColumns = new Set<string>();
  /** First segments of dotted paths in `source.columns` (used unless something else claims them). */
  private readonly pathRoots = new Set<string>();
  private readonly cache = new Map<string, Target>();
  private readonly ignored = new Set<string>();
  private readonly geometryTarget: FieldDescriptor | undefined;
  private readonly pairTarget: FieldDescriptor | undefined;

  constructor(private readonly descriptor: DatasetDescriptor) {
    this.explicit = explicitColumns(descriptor);
    for (const spec of this.explicit.values()) {
      for (const col of typeof spec === 'string' ? [spec] : spec) {
        this.usedColumns.add(col);
        if (col.includes('.')) this.pathRoots.add(col.split('.')[0] as string);
      }
    }
    const implicit = descriptor.fields.filter((f) => !this.explicit.has(f.name));
    // exact names first, then labels, then normalised labels: an exact match always wins
    for (const f of implicit) this.byName.set(f.name, f);
    for (const f of implicit) if (!this.byName.has(f.label)) this.byName.set(f.label, f);
    for (const f of implicit) {
      const n = normalizeFieldName(f.label);
      if (!this.byName.has(n)) this.byName.set(n, f);
    }
    this.geometryTarget = implicit.find((f) => f.type === 'geo_shape') ?? implicit.find((f) => f.type === 'geo_point_2d');
    this.pairTarget = implicit.find((f) => f.type === 'geo_point_2d');
  }

  private resolve(column: string): Target {
    let t = this.cache.get(column);
    if (t) return t;
    const norm = normalizeFieldName(column);
    const f = this.byName.get(column) ?? this.byName.get(norm);
    if (this.usedColumns.has(column)) t = { kind: 'used' };
    else if (f) t = { kind: 'field', field: f };
    else if (column === 'geometry' && this.geometryTarget) t = { kind: 'field', field: this.geometryTarget };
    else if (this.pairTarget && LAT_NAMES.has(norm)) t = { kind: 'lat' };
    else if (this.pairTarget && LON_NAMES.has(norm)) t = { kind: 'lon' };
    else if (this.pathRoots.has(column)) t = { kind: 'used' };
    else t = { kind: 'ignored' };
    this.cache.set(column, t);
    return t;
  }

  /** The raw value of each field present in the row. */
  extract(row: Record<string, unknown>): Map<string, RawValue> {
    const out = new Map<string, RawValue>();
    let lat: RawValue | undefined;
    let lon: RawValue | undefined;
    for (const column of Object.keys(row)) {
      const t = this.resolve(column);
      switch (t.kind) {
        case 'field':
          // a column matched by name wins over the `geometry` convenience
          if (!(column === 'geometry' && out.has(t.field.name))) out.set(t.field.name, { value: row[column], column });
          break;
        case 'lat':
          lat = { value: row[column], column };
          break;
        case 'lon':
          lon = { value: row[column], column };
          break;
        case 'ignored':
          this.ignored.add(column);
          break;
        case 'used':
          break;
      }
    }
    if (this.pairTarget && lat && lon && !out.has(this.pairTarget.name)) {
      out.set(this.pairTarget.name, pairValue(lat, lon));
    } else {
      if (lat) this.ignored.add(lat.column);
      if (lon) this.ignored.add(lon.column);
    }
    for (const [field, spec] of this.explicit) {
      if (typeof spec === 'string') {
        const value = spec in row ? row[spec] : spec.includes('.') ? getPath(row, spec) : undefined;
        if (value !== undefined) out.set(field, { value, column: spec });
      } else {
        const [latCol, lonCol] = spec;
        if (latCol in row || lonCol in row) out.set(field, pairValue({ value: row[latCol], column: latCol }, { value: row[lonCol], column: lonCol }));
      }
    }
    return out;
  }

  /** Columns seen in the source that feed no field. */
  ignoredColumns(): string[] {
    return [...this.ignored];
  }
}

function pairValue(lat: RawValue, lon: RawValue): RawValue {
  const empty = (v: unknown): boolean => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
  return {
    value: empty(lat.value) && empty(lon.value) ? null : [lat.value, lon.value],
    column: `${lat.column}+${lon.column}`,
  };
}
