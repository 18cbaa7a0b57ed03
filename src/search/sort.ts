/**
 * `sort` → OpenSearch sort (docs/v1-api.md, Record search; decisions in docs/search.md):
 * - int, double, date, datetime (and record_timestamp): a bare name sorts DESCENDING, `-name`
 *   ascending (the v1 doc rule, confirmed by a capture);
 * - text annotated `sortable`: `name` ASCENDING, `-name` descending, as ods-table has always sent
 *   it; on `.lower` (case- and accent-insensitive) then `.keyword` (a stable order among equals);
 *   `recordid` sorts like a text on its keyword;
 * - `dist` / `-dist`: distance to the `geofilter.distance` center, numeric rule (so `-dist` is
 *   nearest first); a 400 without geofilter.distance;
 * - any other field (unknown, hidden, unsortable text, geo, file) is a 400 naming `sort`;
 * - `recordid` always closes the list, so paging is stable; with no sort: relevance when there is a
 *   q, then recordid.
 */
import { hasAnnotation } from '../datasets/descriptor';
import { badParameter } from '../errors';
import { type QuerySchema, resolveField } from '../query/resolve-field';
import type { Clause } from './facets/facet-kind';
import { RECORD_ID_PATH } from '../datasets/field-paths';

export interface SortContext {
  schema: QuerySchema;
  /** True when a q is given (relevance then orders the hits when no sort is asked). */
  hasQuery: boolean;
  /** The geofilter.distance center and the point field it applies to, when there is one. */
  distance?: { lat: number; lon: number; path: string };
  /** Sort keys accepted and ignored (catalog: widget keys such as explore.popularity_score). */
  ignore?: (name: string) => boolean;
}

const TIEBREAK: Clause = { [RECORD_ID_PATH]: 'asc' };

function sortKey(key: string, ctx: SortContext): Clause[] {
  const descFlag = key.startsWith('-');
  const name = descFlag ? key.slice(1) : key;
  if (name === 'dist') {
    if (!ctx.distance) throw badParameter('sort', 'sorting on "dist" needs a geofilter.distance');
    const { lat, lon, path } = ctx.distance;
    return [{ _geo_distance: { [path]: { lat, lon }, order: descFlag ? 'asc' : 'desc', unit: 'm', distance_type: 'arc' } }];
  }
  const f = resolveField(ctx.schema, name, { parameter: 'sort' });
  switch (f.type) {
    case 'int':
    case 'double':
    case 'date':
    case 'datetime':
      return [{ [f.paths.value]: descFlag ? 'asc' : 'desc' }];
    case 'text': {
      const order = descFlag ? 'desc' : 'asc';
      if (f.pseudo && f.paths.keyword) return [{ [f.paths.keyword]: order }];
      if (hasAnnotation(f.descriptor, 'sortable') && f.paths.lower && f.paths.keyword) {
        return [{ [f.paths.lower]: order }, { [f.paths.keyword]: order }];
      }
      throw badParameter('sort', `the text field "${name}" is not sortable (only text fields annotated "sortable" are)`);
    }
    default:
      throw badParameter('sort', `a ${f.type} field ("${name}") cannot be sorted`);
  }
}

export function buildSort(keys: string[], ctx: SortContext): Clause[] {
  const used = keys.filter((k) => !ctx.ignore?.(k.replace(/^-/, '')));
  if (used.length === 0) return ctx.hasQuery ? [{ _score: 'desc' }, TIEBREAK] : [TIEBREAK];
  const out = used.flatMap((k) => sortKey(k, ctx));
  const last = out[out.length - 1];
  if (!last || !(RECORD_ID_PATH in last)) out.push(TIEBREAK);
  return out;
}
