/**
 * Where a dataset field lives in the stored document (src/datasets/index-names.ts) and its mapping
 * (generated from the descriptor): `fields.<name>` with `.keyword` (exact) and `.lower`
 * (lowercase + asciifolding) sub-fields for text; `__paths.<name>` holds the ancestor paths of a
 * hierarchical text field. Every DSL builder takes its paths from here, so a mapping change is one edit.
 */
export const valuePath = (name: string): string => `fields.${name}`;
export const keywordPath = (name: string): string => `fields.${name}.keyword`;
export const lowerPath = (name: string): string => `fields.${name}.lower`;
export const ancestorPathsPath = (name: string): string => `__paths.${name}`;

/** Top-level keys of every stored record. */
export const RECORD_ID_PATH = 'recordid';
export const RECORD_TIMESTAMP_PATH = 'record_timestamp';
