/**
 * Visibility in the catalog index. The catalog document keeps the dataset descriptor under `dataset`
 * (stored, not indexed), so the catalog search cannot filter on it: the catalog writer also stores
 * indexed `__visibility` fields, and the catalog search filters on them. Dependency-free (types only)
 * so that src/datasets can import it.
 *
 * The catalog writer's part (src/datasets/mapping.ts and catalog-doc.ts):
 *   mapping:  Object.assign(CATALOG_EXTRA_PROPERTIES, CATALOG_VISIBILITY_MAPPING)
 *   document: doc.__visibility = catalogVisibilityFields(descriptor)
 */
import type { DatasetDescriptor } from '../datasets/descriptor';
import type { Principal } from './principal';

/** The indexed visibility fields of a catalog document (`__visibility`). */
export interface CatalogVisibility {
  public: boolean;
  users: string[];
  groups: string[];
}

export const CATALOG_VISIBILITY_FIELD = '__visibility';

export const CATALOG_VISIBILITY_MAPPING = {
  [CATALOG_VISIBILITY_FIELD]: {
    properties: {
      public: { type: 'boolean' },
      users: { type: 'keyword' },
      groups: { type: 'keyword' },
    },
  },
} as const;

export function catalogVisibilityFields(d: Pick<DatasetDescriptor, 'visibility'>): CatalogVisibility {
  const v = d.visibility;
  if (v === 'public') return { public: true, users: [], groups: [] };
  return { public: false, users: [...v.restricted.users], groups: [...v.restricted.groups] };
}

/**
 * The catalog writer (src/datasets/catalog-doc.ts) stores `__visibility` on every catalog document
 * (ingest layout version 2), so the filter is exact and fails closed: a document without the field
 * (written by a pre-2 gateway) is hidden until its dataset is reloaded. `dropInvisibleCatalogHits`
 * stays as a second check on the stored descriptor.
 */
export const MATCH_CATALOG_DOCS_WITHOUT_VISIBILITY = false;

/**
 * The filter a catalog search must add (as a `bool.filter` clause) so that a caller only finds, and
 * counts, the datasets it may see; undefined for administrators (everything).
 */
export function catalogVisibilityFilter(principal: Principal): Record<string, unknown> | undefined {
  const f = CATALOG_VISIBILITY_FIELD;
  if (principal.kind === 'user' && principal.admin) return undefined;
  const should: Record<string, unknown>[] = [{ term: { [`${f}.public`]: true } }];
  if (principal.kind === 'user') {
    should.push({ term: { [`${f}.users`]: principal.userId } });
    if (principal.groups.length > 0) should.push({ terms: { [`${f}.groups`]: principal.groups } });
  }
  if (MATCH_CATALOG_DOCS_WITHOUT_VISIBILITY) should.push({ bool: { must_not: [{ exists: { field: `${f}.public` } }] } });
  return should.length === 1 ? should[0] : { bool: { should, minimum_should_match: 1 } };
}
