/**
 * The dataset descriptor: what a data publisher writes (or the ingest CLI infers) under `mappings/`.
 * It carries the v1 dataset object's content (metas, fields with annotations, features, attachments)
 * plus what the gateway needs to serve it (visibility, ingest source). The OpenSearch mapping is
 * generated from it (src/datasets/mapping.ts); the catalog index stores it whole.
 *
 * Field annotations use the v1 form: a list of `{name, args}` (docs/v1-api.md, Dataset lookup and the dataset object).
 */
import { z } from 'zod';

export const FIELD_TYPES = ['text', 'int', 'double', 'date', 'datetime', 'geo_point_2d', 'geo_shape', 'file'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const ANNOTATION_NAMES = [
  'facet',
  'facetsort',
  'disjunctive',
  'hierarchical',
  'multivalued',
  'sortable',
  'timeserie_precision',
  'timerangeFilter',
  'unit',
  'decimals',
  'id',
  'has_thumbnails',
] as const;
export type AnnotationName = (typeof ANNOTATION_NAMES)[number];

/** Dataset ids and field names: validated before they get anywhere near an index name. */
export const DATASET_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,99}$/;
export const FIELD_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,63}$/;
/** Names the gateway uses for itself in records; a dataset field may not take them. */
export const RESERVED_FIELD_NAMES = new Set(['recordid', 'record_timestamp', 'datasetid', 'dist', 'geometry']);

const annotationSchema = z.object({
  name: z.enum(ANNOTATION_NAMES),
  args: z.array(z.union([z.string(), z.number()])).optional(),
});
export type Annotation = z.infer<typeof annotationSchema>;

const fieldSchema = z.object({
  name: z
    .string()
    .regex(FIELD_NAME_PATTERN, 'field names are lower-case letters, digits and _ (at most 64), not starting with a digit')
    .refine((n) => !RESERVED_FIELD_NAMES.has(n) && !n.startsWith('__'), 'this field name is reserved'),
  label: z.string(),
  type: z.enum(FIELD_TYPES),
  description: z.string().optional(),
  annotations: z.array(annotationSchema).optional(),
});
export type FieldDescriptor = z.infer<typeof fieldSchema>;

const stringOrList = z.union([z.string(), z.array(z.string())]);

/** The v1 `metas` (a flat object). Extra keys are kept as they are. */
const metasSchema = z
  .object({
    title: z.string(),
    description: z.string().optional(),
    publisher: z.string().optional(),
    license: z.string().optional(),
    language: z.string().optional(),
    theme: stringOrList.optional(),
    keyword: stringOrList.optional(),
    modified: z.string().optional(),
    references: z.string().optional(),
    timezone: z.string().optional(),
    records_count: z.number().int().nonnegative().optional(),
  })
  .passthrough();
export type DatasetMetas = z.infer<typeof metasSchema>;

const attachmentSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/),
  title: z.string(),
  mimetype: z.string(),
  url: z.string(),
  description: z.string().optional(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

/**
 * Who may see the dataset. `public` (the default) means everyone; `restricted` lists users and
 * groups (enforced by src/auth/access.ts).
 */
const visibilitySchema = z.union([
  z.literal('public'),
  z.object({
    restricted: z.object({
      users: z.array(z.string()).default([]),
      groups: z.array(z.string()).default([]),
    }),
  }),
]);
export type Visibility = z.infer<typeof visibilitySchema>;

/** Where the ingest CLI reads the data from when the descriptor is loaded by name (sample datasets). */
const sourceSchema = z
  .object({
    format: z.enum(['csv', 'json', 'ndjson', 'geojson', 'parquet']).optional(),
    path: z.string().optional(),
    csv_separator: z.string().optional(),
  })
  .passthrough();

export const datasetDescriptorSchema = z.object({
  datasetid: z.string().regex(DATASET_ID_PATTERN, 'dataset ids are lower-case letters, digits, _ and -'),
  metas: metasSchema,
  fields: z.array(fieldSchema).min(1),
  features: z.array(z.string()).optional(),
  attachments: z.array(attachmentSchema).default([]),
  alternative_exports: z
    .array(attachmentSchema.extend({ description: z.string().optional() }))
    .default([]),
  visibility: visibilitySchema.default('public'),
  extra_metas: z.record(z.string(), z.unknown()).optional(),
  interop_metas: z.record(z.string(), z.unknown()).optional(),
  source: sourceSchema.optional(),
});
export type DatasetDescriptor = z.infer<typeof datasetDescriptorSchema>;
export type DatasetDescriptorInput = z.input<typeof datasetDescriptorSchema>;

/**
 * Parses and checks a descriptor; throws an Error listing every problem (with its JSON path).
 * Also checks what zod cannot: unique field names, annotation args that the gateway relies on.
 */
export function parseDescriptor(input: unknown, origin = 'descriptor'): DatasetDescriptor {
  const result = datasetDescriptorSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`Invalid ${origin}:\n  ${problems.join('\n  ')}`);
  }
  const d = result.data;
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const f of d.fields) {
    if (seen.has(f.name)) problems.push(`fields: duplicate field name "${f.name}"`);
    seen.add(f.name);
    for (const a of f.annotations ?? []) {
      if ((a.name === 'hierarchical' || a.name === 'multivalued') && f.type !== 'text') {
        problems.push(`fields.${f.name}: annotation ${a.name} applies to text fields only`);
      }
      if (a.name === 'multivalued' && (a.args?.length ?? 0) < 1) {
        problems.push(`fields.${f.name}: annotation multivalued needs its separator as args[0]`);
      }
      if (a.name === 'facet' && (f.type === 'geo_point_2d' || f.type === 'geo_shape' || f.type === 'file')) {
        problems.push(`fields.${f.name}: a ${f.type} field cannot be a facet`);
      }
    }
  }
  if (problems.length > 0) throw new Error(`Invalid ${origin}:\n  ${problems.join('\n  ')}`);
  return d;
}

export function annotation(f: FieldDescriptor, name: AnnotationName): Annotation | undefined {
  return f.annotations?.find((a) => a.name === name);
}

export function hasAnnotation(f: FieldDescriptor, name: AnnotationName): boolean {
  return annotation(f, name) !== undefined;
}

/** The separator of a hierarchical text facet (default `/`), or undefined when not hierarchical. */
export function hierarchySeparator(f: FieldDescriptor): string | undefined {
  const a = annotation(f, 'hierarchical');
  if (!a) return undefined;
  const sep = a.args?.[0];
  return typeof sep === 'string' && sep.length > 0 ? sep : '/';
}

/** The separator of a multivalued text field, or undefined. */
export function multivaluedSeparator(f: FieldDescriptor): string | undefined {
  const sep = annotation(f, 'multivalued')?.args?.[0];
  return typeof sep === 'string' && sep.length > 0 ? sep : undefined;
}

export const isNumericType = (t: FieldType): boolean => t === 'int' || t === 'double';
export const isDateType = (t: FieldType): boolean => t === 'date' || t === 'datetime';
export const isGeoType = (t: FieldType): boolean => t === 'geo_point_2d' || t === 'geo_shape';

/** The first field of a type, e.g. the geo_point_2d used by geofilters. */
export function firstFieldOfType(d: DatasetDescriptor, type: FieldType): FieldDescriptor | undefined {
  return d.fields.find((f) => f.type === type);
}

/**
 * The v1 `features` list. Given ones win; otherwise: `geo` with a geo field, `timeserie` with a date
 * or datetime field, `analyze` always (every dataset with records can be charted), `image` with a
 * file field. (Meanings are UNCONFIRMED in the spec; this is our documented reading.)
 */
export function featuresOf(d: DatasetDescriptor): string[] {
  if (d.features) return d.features;
  const out = ['analyze'];
  if (d.fields.some((f) => isGeoType(f.type))) out.push('geo');
  if (d.fields.some((f) => isDateType(f.type))) out.push('timeserie');
  if (d.fields.some((f) => f.type === 'file')) out.push('image');
  return out;
}
