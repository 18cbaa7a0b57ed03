/**
 * Who may find which dataset in a catalog search. The catalog document stores the descriptor under
 * `dataset` (stored, not indexed), so the search filters on the indexed `__visibility` fields that
 * src/datasets/catalog-doc.ts defines and every load writes. The filter is exact and fails closed: a
 * document without the field is hidden. `dropInvisibleCatalogHits` (src/auth/access.ts) checks the stored
 * descriptor a second time.
 */
import { CATALOG_VISIBILITY_FIELD } from '../datasets/catalog-doc';
import type { Principal } from './principal';

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
  return should.length === 1 ? should[0] : { bool: { should, minimum_should_match: 1 } };
}
