/**
 * The facets of a request: every field named by `facet`, `refine.*` or `exclude.*`, resolved
 * against the schema by resolveField (an unknown or hidden field is a 400 naming the parameter, the
 * same for both), with its kind,
 * normalised refine/exclude paths, disjunctive flag and facetsort.
 *
 * Decisions (docs/search.md):
 * - `facet=F` works on any visible text, number or date field, annotated `facet` or not: v1 answered
 *   such ad hoc facets, and a tested client recipe relies on it (ods-facet-results on a field that
 *   is not a declared facet); refine/exclude work on the same fields; geo and file fields are never
 *   facets (400). The catalog keeps its fixed v1 facet list (`adHoc: false`);
 * - a field refined or excluded but not named in `facet` gets its facet group too when it is
 *   annotated `facet` (`grouped`): recorded v1 responses show the group of `refine.date=1984/12`
 *   with no `facet` parameter; the `facet` echo lists only what was asked;
 * - facetsort: the parameter, else the field's `facetsort` annotation, else `-count` for text and
 *   numbers and `-alphanum` (most recent first) for dates;
 * - disjunctive applies to flat facets only; on a hierarchical one it is a 400 (ods-widgets: "disjunctive
 *   facets cannot be hierarchical"), except on dates, where it only ORs the refines (the v1 doc's
 *   own example: `refine.modified=2020&refine.modified=2021&disjunctive.modified=true`).
 */
import type { FieldDescriptor } from '../../datasets/descriptor';
import { annotation, hasAnnotation, hierarchySeparator, isDateType } from '../../datasets/descriptor';
import { badParameter } from '../../errors';
import { type QuerySchema, resolveField } from '../../query/resolve-field';
import { FACET_SORTS, type FacetSort, type SearchRequest } from '../search-request';
import type { FacetKind, FacetKindName, FacetSpec } from './facet-kind';
import { dateFacet } from './date-facet';
import { pathFacet } from './path-facet';
import { termsFacet } from './terms-facet';

export const FACET_KINDS: Record<FacetKindName, FacetKind> = { terms: termsFacet, date: dateFacet, path: pathFacet };

export function kindOf(field: FieldDescriptor, parameter: string): FacetKindName {
  if (isDateType(field.type)) return 'date';
  if (field.type === 'text') return hierarchySeparator(field) !== undefined ? 'path' : 'terms';
  if (field.type === 'int' || field.type === 'double') return 'terms';
  throw badParameter(parameter, `field "${field.name}" is of type ${field.type}, which cannot be refined or faceted`);
}

function defaultSort(field: FieldDescriptor, kind: FacetKindName): FacetSort {
  const arg = annotation(field, 'facetsort')?.args?.[0];
  const fromAnnotation = FACET_SORTS.find((s) => s === arg);
  if (fromAnnotation) return fromAnnotation;
  return kind === 'date' ? '-alphanum' : '-count';
}

export interface FacetSpecOptions {
  /** `facet=` on fields not annotated `facet` (record endpoints: true; the catalog: false). */
  adHoc?: boolean;
}

export function facetSpecs(req: SearchRequest, schema: QuerySchema, options: FacetSpecOptions = {}): FacetSpec[] {
  const adHoc = options.adHoc ?? true;
  const names = [...new Set([...req.facets, ...req.refine.keys(), ...req.exclude.keys()])];
  return names.map((name) => {
    const requested = req.facets.includes(name);
    const parameter = requested ? 'facet' : req.refine.has(name) ? `refine.${name}` : `exclude.${name}`;
    const resolved = resolveField(schema, name, { parameter });
    // recordid and record_timestamp are queryable (q, sort) but are not facets.
    if (resolved.pseudo) throw badParameter(parameter, `"${name}" cannot be faceted, refined or excluded`);
    const field = resolved.descriptor;
    if (requested && !adHoc && !hasAnnotation(field, 'facet')) {
      throw badParameter('facet', `field "${name}" is not a facet (only fields annotated "facet" can be faceted)`);
    }
    const kindName = kindOf(field, parameter);
    const kind = FACET_KINDS[kindName];
    const disjunctive = req.disjunctive.has(name);
    if (disjunctive && kindName === 'path') {
      throw badParameter(`disjunctive.${name}`, `the hierarchical facet "${name}" cannot be disjunctive`);
    }
    const norm = (prefix: string) => (v: string) => kind.normalize(field, v, `${prefix}.${name}`);
    return {
      name,
      field,
      kind: kindName,
      refines: [...new Set((req.refine.get(name) ?? []).map(norm('refine')))],
      excludes: [...new Set((req.exclude.get(name) ?? []).map(norm('exclude')))],
      disjunctive,
      requested: requested || hasAnnotation(field, 'facet'),
      sort: req.facetsort.get(name) ?? defaultSort(field, kindName),
    };
  });
}
