/**
 * One source row → the stored document (layout in src/datasets/index-names.ts), or a reject reason.
 *
 *   const b = new DocumentBuilder(descriptor, { recordTimestamp: '2026-11-27T10:15:00Z' });
 *   const r = b.build({ name: 'Paris', population: '2133111' });
 *   if (r.ok) bulk(r.doc) else rejects.write({ line, reason: r.reason, row })
 */
import {
  hasAnnotation,
  hierarchySeparator,
  multivaluedSeparator,
  type DatasetDescriptor,
  type FieldDescriptor,
} from '../datasets/descriptor';
import { assertNever } from '../errors';
import { centroid, type GeoJsonGeometry } from './centroid';
import { geoTypeOf, toGeoPoint, toGeoShape } from './geo';
import { shapeDigest, shapeLength } from './geo-digest';
import { recordIdHasher } from './record-id';
import { ColumnResolver, type RawValue } from './source-columns';
import type { RecordDocument, Row } from './types';
import { ValueError, ancestorPaths, isEmpty, isValidZone, preview, toDate, toDatetime, toDouble, toInt, toText } from './values';

export type BuildResult = { ok: true; doc: RecordDocument } | { ok: false; reason: string };

export interface DocumentBuilderOptions {
  /** The load time, ISO 8601 with offset: one value for every record of a load. */
  recordTimestamp: string;
}

interface FieldPlan {
  field: FieldDescriptor;
  multivalued: string | undefined;
  hierarchy: string | undefined;
}

export class DocumentBuilder {
  private readonly plans: FieldPlan[];
  private readonly idFields: string[];
  private readonly zone: string;
  private readonly columns: ColumnResolver;
  private readonly pointFields: string[];
  private readonly firstShapeField: string | undefined;
  private readonly recordId: (fields: Record<string, unknown>) => string;

  constructor(
    readonly descriptor: DatasetDescriptor,
    private readonly options: DocumentBuilderOptions,
  ) {
    this.zone = descriptor.metas.timezone ?? 'UTC';
    if (!isValidZone(this.zone)) throw new Error(`Invalid descriptor:\n  metas.timezone: unknown time zone "${this.zone}"`);
    this.plans = descriptor.fields.map((field) => ({
      field,
      multivalued: multivaluedSeparator(field),
      hierarchy: hierarchySeparator(field),
    }));
    this.idFields = descriptor.fields.filter((f) => hasAnnotation(f, 'id')).map((f) => f.name);
    this.recordId = recordIdHasher(
      descriptor.fields.map((f) => f.name),
      this.idFields,
    );
    this.columns = new ColumnResolver(descriptor);
    this.pointFields = descriptor.fields.filter((f) => f.type === 'geo_point_2d').map((f) => f.name);
    this.firstShapeField = descriptor.fields.find((f) => f.type === 'geo_shape')?.name;
  }

  /** Columns of the source that feed no field so far (reported once per load). */
  ignoredColumns(): string[] {
    return this.columns.ignoredColumns();
  }

  build(row: Row): BuildResult {
    const raw = this.columns.extract(row);
    const fields: Record<string, unknown> = {};
    let paths: Record<string, string[]> | undefined;
    let geoTypes: Record<string, string> | undefined;
    let digests: Record<string, string> | undefined;
    let lengths: Record<string, number> | undefined;
    for (const plan of this.plans) {
      const r = raw.get(plan.field.name);
      if (r === undefined || isEmpty(r.value)) continue;
      let value: unknown;
      try {
        value = this.convert(plan, r);
      } catch (e) {
        if (e instanceof ValueError) {
          const from = r.column === plan.field.name ? '' : ` (column "${r.column}")`;
          return { ok: false, reason: `field "${plan.field.name}"${from}: ${e.message}` };
        }
        throw e;
      }
      if (value === undefined) continue;
      fields[plan.field.name] = value;
      if (plan.hierarchy !== undefined) (paths ??= {})[plan.field.name] = ancestorPaths(value as string | string[], plan.hierarchy);
      if (plan.field.type === 'geo_shape') {
        const g = value as GeoJsonGeometry;
        (geoTypes ??= {})[plan.field.name] = geoTypeOf(g);
        (digests ??= {})[plan.field.name] = shapeDigest(g);
        (lengths ??= {})[plan.field.name] = shapeLength(g);
      }
    }
    // a shape dataset gets its geo_point_2d from the shape (area-weighted centroid), as ODS does
    if (this.firstShapeField !== undefined && fields[this.firstShapeField] !== undefined) {
      for (const p of this.pointFields) {
        if (fields[p] === undefined) {
          const c = centroid(fields[this.firstShapeField] as GeoJsonGeometry);
          if (c) fields[p] = c;
        }
      }
    }
    if (this.idFields.length > 0 && this.idFields.every((f) => fields[f] === undefined)) {
      return { ok: false, reason: `no value for the id field${this.idFields.length > 1 ? 's' : ''} ${this.idFields.join(', ')}` };
    }
    if (Object.keys(fields).length === 0) return { ok: false, reason: 'empty row: no value for any field' };
    const doc: RecordDocument = {
      recordid: this.recordId(fields),
      record_timestamp: this.options.recordTimestamp,
      fields,
    };
    if (paths) doc.__paths = paths;
    if (geoTypes) doc.__geo_type = geoTypes;
    if (digests) doc.__geo_digest = digests;
    if (lengths) doc.__geo_length = lengths;
    return { ok: true, doc };
  }

  private convert(plan: FieldPlan, r: RawValue): unknown {
    const t = plan.field.type;
    switch (t) {
      case 'text':
        return toText(r.value, plan.multivalued);
      case 'int':
        return toInt(r.value);
      case 'double':
        return toDouble(r.value);
      case 'date':
        return toDate(r.value, this.zone);
      case 'datetime':
        return toDatetime(r.value, this.zone);
      case 'geo_point_2d':
        return toGeoPoint(r.value);
      case 'geo_shape':
        return toGeoShape(r.value);
      case 'file':
        if (typeof r.value === 'object' && r.value !== null && !Array.isArray(r.value)) return r.value;
        throw new ValueError(`expected a file object, got ${preview(r.value)}`);
      default:
        return assertNever(t, 'field type');
    }
  }
}
