/**
 * Where a dataset field lives in the stored document (src/datasets/stored-record.ts) and its mapping
 * (src/datasets/mapping.ts): `fields.<name>`, with `.keyword` (exact) and `.lower` (lower-cased, accent-folded) sub-fields for text and an `.id`
 * sub-field for files; `__paths.<name>` holds the ancestor paths of a hierarchical text field and
 * `__geo_type.<name>` the GeoJSON type of a shape. Every query and body builder takes its paths from
 * here, so a layout change is one edit.
 */
export const valuePath = (name: string): string => `fields.${name}`;
export const keywordPath = (name: string): string => `fields.${name}.keyword`;
export const lowerPath = (name: string): string => `fields.${name}.lower`;
export const fileIdPath = (name: string): string => `fields.${name}.id`;
export const ancestorPathsPath = (name: string): string => `__paths.${name}`;
export const geoTypePath = (name: string): string => `__geo_type.${name}`;
export const geoDigestPath = (name: string): string => `__geo_digest.${name}`;

/** Top-level keys of every stored record. */
export const RECORD_ID_PATH = 'recordid';
export const RECORD_TIMESTAMP_PATH = 'record_timestamp';
