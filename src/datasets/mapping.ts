/**
 * The OpenSearch index body (settings + mappings) generated from a dataset descriptor
 * (docs/opensearch-design.md, Index layout). The query compiler, facets and analyze translate onto exactly these
 * field paths, so a change here is a change of contract:
 *
 *   recordid                     keyword
 *   record_timestamp             date
 *   __all                        text (ods_text, index_prefixes 1..19), filled by copy_to from text fields
 *   fields.<f>                   text: ods_text + index_prefixes + copy_to __all, with
 *                                  .keyword (keyword, ignore_above 8191) and .lower (ods_lower normalizer)
 *                                int → long, double → double, date/datetime → date,
 *                                geo_point_2d → geo_point, geo_shape → geo_shape, file → object whose
 *                                  only indexed key is `id` (keyword; the rest is stored, not indexed)
 *   __paths.<f>                  keyword: ancestor paths of a hierarchical text field
 *   __geo_type.<f>               keyword: lower-case GeoJSON type of a geo_shape field
 *   __geo_digest.<f>             keyword: the shape's digest (geopreview, geopolygon, `geo_digest=`)
 *   __geo_length.<f>             double: the shape's length in degrees (geopreview's order)
 *
 * The catalog index uses the same generator on CATALOG_DESCRIPTOR, plus `dataset` (the whole
 * descriptor, stored, not indexed), `ingest` (load bookkeeping, stored, not indexed) and
 * `__visibility` ({public, users, groups}, indexed for the catalog permission filter).
 */
import { CATALOG_DESCRIPTOR } from './catalog-descriptor';
import { CATALOG_VISIBILITY_FIELD, CATALOG_VISIBILITY_MAPPING } from './catalog-doc';
import { hierarchySeparator, type DatasetDescriptor, type FieldDescriptor } from './descriptor';
import { assertNever } from '../errors';

export const ODS_TEXT_ANALYZER = 'ods_text';
export const ODS_LOWER_NORMALIZER = 'ods_lower';
export const ALL_FIELD = '__all';
export const INDEX_PREFIXES = { min_chars: 1, max_chars: 19 } as const;
export const KEYWORD_IGNORE_ABOVE = 8191;
export const DATE_FORMAT = 'strict_date_optional_time||epoch_millis';

/** French elision, as ODS analyses text: "l'étoile" → "étoile". */
export const ELISION_ARTICLES = ['l', 'm', 't', 'qu', 'n', 's', 'j', 'd', 'c', 'jusqu', 'quoiqu', 'lorsqu', 'puisqu'];

export const ANALYSIS_SETTINGS = {
  filter: {
    ods_elision: { type: 'elision', articles_case: true, articles: ELISION_ARTICLES },
  },
  analyzer: {
    [ODS_TEXT_ANALYZER]: { type: 'custom', tokenizer: 'standard', filter: ['ods_elision', 'lowercase', 'asciifolding'] },
  },
  normalizer: {
    [ODS_LOWER_NORMALIZER]: { type: 'custom', filter: ['lowercase', 'asciifolding'] },
  },
};

export type MappingProperty = Record<string, unknown>;

export interface IndexBody {
  settings: Record<string, unknown>;
  mappings: { dynamic: 'strict'; properties: Record<string, MappingProperty> };
}

export interface IndexBodyOptions {
  /** number_of_replicas; default: replicaSettings() (one replica as soon as the cluster has two data nodes). */
  replicas?: number;
  /** refresh_interval; the loader creates with "-1" and restores "1s" after the bulk load. */
  refreshInterval?: string;
}

/**
 * The replica settings of our indices: a given number_of_replicas, or by default
 * `auto_expand_replicas: 0-1`: no replica on a single node (which could not place one and would stay
 * yellow), one as soon as the cluster has a second data node, so that losing a node loses no data and
 * its searches go on (docs/operations.md).
 */
export function replicaSettings(replicas?: number): Record<string, unknown> {
  return replicas === undefined ? { auto_expand_replicas: '0-1' } : { auto_expand_replicas: false, number_of_replicas: replicas };
}

/** The mapping of one dataset field under `fields.<name>`. */
export function fieldMapping(f: FieldDescriptor): MappingProperty {
  const t = f.type;
  switch (t) {
    case 'text':
      return {
        type: 'text',
        analyzer: ODS_TEXT_ANALYZER,
        index_prefixes: { ...INDEX_PREFIXES },
        copy_to: ALL_FIELD,
        fields: {
          keyword: { type: 'keyword', ignore_above: KEYWORD_IGNORE_ABOVE },
          lower: { type: 'keyword', normalizer: ODS_LOWER_NORMALIZER, ignore_above: KEYWORD_IGNORE_ABOVE },
        },
      };
    case 'int':
      return { type: 'long' };
    case 'double':
      return { type: 'double' };
    case 'date':
    case 'datetime':
      return { type: 'date', format: DATE_FORMAT };
    case 'geo_point_2d':
      return { type: 'geo_point' };
    case 'geo_shape':
      return { type: 'geo_shape' };
    case 'file':
      // The file id is indexed so that /files/<id>/ can check that a record the caller may see
      // holds the file (src/files/dataset-files.ts); the rest of the file object is stored only.
      return { type: 'object', dynamic: false, properties: { id: { type: 'keyword' } } };
    default:
      return assertNever(t, 'field type');
  }
}

/** The `mappings.properties` of a record index (also used for the catalog). */
export function recordProperties(d: DatasetDescriptor): Record<string, MappingProperty> {
  const fields: Record<string, MappingProperty> = {};
  const paths: Record<string, MappingProperty> = {};
  const geoTypes: Record<string, MappingProperty> = {};
  const geoDigests: Record<string, MappingProperty> = {};
  const geoLengths: Record<string, MappingProperty> = {};
  for (const f of d.fields) {
    fields[f.name] = fieldMapping(f);
    if (f.type === 'text' && hierarchySeparator(f) !== undefined) paths[f.name] = { type: 'keyword' };
    if (f.type === 'geo_shape') {
      geoTypes[f.name] = { type: 'keyword' };
      geoDigests[f.name] = { type: 'keyword' };
      geoLengths[f.name] = { type: 'double' };
    }
  }
  return {
    recordid: { type: 'keyword' },
    record_timestamp: { type: 'date' },
    [ALL_FIELD]: { type: 'text', analyzer: ODS_TEXT_ANALYZER, index_prefixes: { ...INDEX_PREFIXES } },
    fields: { properties: fields },
    __paths: { properties: paths },
    __geo_type: { properties: geoTypes },
    __geo_digest: { properties: geoDigests },
    __geo_length: { properties: geoLengths },
  };
}

/**
 * OpenSearch counts every mapped path (a text field is 4: itself, .keyword, .lower and its prefix
 * field) against index.mapping.total_fields.limit (1000). Wide datasets get a higher limit; the
 * setting only appears when the default would be exceeded.
 */
function totalFieldsLimit(d: DatasetDescriptor): number | undefined {
  const needed = 16 + d.fields.reduce((n, f) => n + (f.type === 'text' ? 5 : 2), 0);
  return needed > 1000 ? Math.ceil(needed / 500) * 500 : undefined;
}

/** The body of `PUT <prefix>-records-<id>.<version>`. */
export function buildIndexBody(d: DatasetDescriptor, options: IndexBodyOptions = {}): IndexBody {
  const limit = totalFieldsLimit(d);
  return {
    settings: {
      number_of_shards: 1,
      ...replicaSettings(options.replicas),
      refresh_interval: options.refreshInterval ?? '1s',
      ...(limit !== undefined ? { 'mapping.total_fields.limit': limit } : {}),
      analysis: ANALYSIS_SETTINGS,
    },
    mappings: { dynamic: 'strict', properties: recordProperties(d) },
  };
}

/** Properties the catalog index has beyond the record layout. */
export const CATALOG_EXTRA_PROPERTIES: Record<string, MappingProperty> = {
  /** The whole dataset descriptor (metas, fields, features...), read back for the dataset lookup. */
  dataset: { type: 'object', enabled: false },
  /** Load bookkeeping: fingerprint of the source, concrete index, counts (not part of the v1 object). */
  ingest: { type: 'object', enabled: false },
  /** Who may see the dataset, indexed so that catalog searches filter on it (src/datasets/catalog-doc.ts). */
  [CATALOG_VISIBILITY_FIELD]: CATALOG_VISIBILITY_MAPPING,
};

/** The body of `PUT <prefix>-catalog`. */
export function buildCatalogIndexBody(options: IndexBodyOptions = {}): IndexBody {
  const body = buildIndexBody(CATALOG_DESCRIPTOR, options);
  Object.assign(body.mappings.properties, CATALOG_EXTRA_PROPERTIES);
  return body;
}
