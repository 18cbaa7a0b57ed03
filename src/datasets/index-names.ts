/**
 * Index naming. A user string never reaches an index path: dataset ids are validated against
 * DATASET_ID_PATTERN first, and every name is built here from the configured prefix.
 *
 *   <prefix>-records-<datasetid>.<version>   one index per dataset version (version = load time; the
 *                                            dot cannot occur in a dataset id, so `foo.*` never matches
 *                                            the indices of `foo-bar`)
 *   <prefix>-records-<datasetid>             the alias readers use; a reload swaps it atomically
 *   <prefix>-catalog                         one document per dataset (descriptor + searchable metas)
 *
 * The document stored for a record (the `_id` is the recordid):
 *   { recordid, record_timestamp, fields: { <name>: value }, __paths: { <name>: [ancestors] },
 *     __geo_type: { <name>: "polygon" | "point" | ... }, __geo_digest: { <name>: key of the shape },
 *     __geo_length: { <name>: length of the shape in degrees } }  (src/ingest/geo-digest.ts)
 * with values: text → string (multivalued → string[]), int/double → number, date → "YYYY-MM-DD",
 * datetime → ISO 8601 instant, geo_point_2d → {lat, lon}, geo_shape → GeoJSON geometry,
 * file → the v1 file object.
 */
import { DATASET_ID_PATTERN } from './descriptor';
import { GatewayError } from '../errors';
import { INDEX_PREFIX_PATTERN } from '../config';

export const DEFAULT_INDEX_PREFIX = 'ods';

export interface IndexNames {
  readonly prefix: string;
  /** The alias every reader uses. */
  recordsAlias(datasetId: string): string;
  /** A concrete index for one load of a dataset. */
  recordsIndex(datasetId: string, version: string): string;
  /** Pattern matching every version of one dataset (for cleanup of old versions). */
  recordsIndexPattern(datasetId: string): string;
  readonly catalogIndex: string;
  readonly securityIndex: string;
}

export function isValidDatasetId(id: string): boolean {
  return DATASET_ID_PATTERN.test(id);
}

/** Throws a 400 for an id that could never name a dataset (it never reaches OpenSearch). */
export function checkDatasetId(id: string, parameter = 'dataset'): string {
  if (!isValidDatasetId(id)) {
    throw new GatewayError(
      'bad_parameter',
      `Invalid dataset id "${id.slice(0, 100)}" in parameter "${parameter}": expected lower-case letters, digits, "_" and "-" (at most 100 characters)`,
      { extra: { parameter } },
    );
  }
  return id;
}

export function indexNames(prefix: string = DEFAULT_INDEX_PREFIX): IndexNames {
  if (!INDEX_PREFIX_PATTERN.test(prefix)) throw new Error(`Invalid index prefix "${prefix}"`);
  const guard = (id: string): string => {
    if (!isValidDatasetId(id)) throw new Error(`Invalid dataset id "${id}"`);
    return id;
  };
  return {
    prefix,
    recordsAlias: (id) => `${prefix}-records-${guard(id)}`,
    recordsIndex: (id, version) => {
      if (!/^[0-9a-z]{1,40}$/.test(version)) throw new Error(`Invalid index version "${version}"`);
      return `${prefix}-records-${guard(id)}.${version}`;
    },
    recordsIndexPattern: (id) => `${prefix}-records-${guard(id)}.*`,
    catalogIndex: `${prefix}-catalog`,
    securityIndex: `${prefix}-security`,
  };
}
