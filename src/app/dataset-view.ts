/**
 * The dataset-view service: the one place where a record endpoint learns who is asking for which
 * dataset and what that caller may see of it. Given a caller (principal and where its access rules
 * come from), the dataset named by the request, its parameters and the time, it returns the dataset,
 * the caller's view of its schema (hidden fields removed) and the filtering query with the caller's
 * mandatory record filters. Every record route calls it; none assembles permissions itself.
 *
 * No Express here: src/http/context.ts turns a request into a Caller and a DatasetRef.
 */
import { accessFor, canSee, querySchemaOf, recordFilterClauses, withMandatoryFilters, type Access, type AccessRuleSource } from '../auth/access';
import type { Principal } from '../auth/principal';
import type { DatasetDescriptor } from '../datasets/descriptor';
import type { DatasetRegistry } from '../datasets/registry';
import type { StoredRecord } from '../datasets/stored-record';
import { badParameter, missingParameter } from '../errors';
import type { Backend } from '../opensearch/backend';
import type { QuerySchema } from '../query/resolve-field';
import type { Clause } from '../search/facets/facet-kind';
import { recordsFilterQuery } from '../search/records-filter';
import type { ParamSource } from '../search/search-request';
import { datasetIdParam } from './dataset-id';

/** Who is asking: the principal, and the store its dataset access rules are read from. */
export interface Caller {
  principal: Principal;
  rules: AccessRuleSource;
}

/** How a request names its dataset: the path id on alias routes, else the `dataset` parameter. */
export interface DatasetRef {
  pathId?: string | undefined;
  params: Pick<ParamSource, 'getAll'>;
}

/** The dataset a request names, as checked (`id`) and as the client wrote it (`asked`, `id@domain` kept). */
export interface NamedDataset {
  id: string;
  asked: string;
}

/**
 * The one way to read the dataset of a record request: the path id, else exactly one `dataset`
 * (repeating it with different ids, a cross-dataset search the v1 API no longer documents, is a 400
 * rather than a silently partial answer).
 */
export function namedDataset(ref: DatasetRef): NamedDataset {
  if (ref.pathId !== undefined) return { id: datasetIdParam(ref.pathId, 'dataset'), asked: ref.pathId };
  const ids = [...new Set(ref.params.getAll('dataset').map((s) => s.trim()))];
  if (ids.length === 0 || ids[0] === undefined) throw missingParameter('dataset', 'a dataset id');
  if (ids.length > 1) throw badParameter('dataset', 'only one dataset at a time');
  return { id: datasetIdParam(ids[0], 'dataset'), asked: ids[0] };
}

export interface FilteredDataset extends NamedDataset {
  /** The caller's view of the dataset (hidden fields removed). */
  descriptor: DatasetDescriptor;
  schema: QuerySchema;
  /** q, refine/exclude, geofilters and the caller's record filters, as one query. */
  query: Clause;
}

export interface FilterRequest {
  params: ParamSource;
  timezone: string;
  now: Date;
  /** Where geofilter.bbox applies (src/search/geofilters.ts). */
  bboxOn?: 'point' | 'shape';
}

export interface DatasetViews {
  /** The caller's view of a dataset by id: 400 for an invalid id, 401/404 when the caller may not see it. */
  access(caller: Caller, id: string): Promise<Access>;
  /** Dataset, view and filtering query of a record request (analyze, geocluster, geomap, download). */
  filtered(caller: Caller, ref: DatasetRef, request: FilterRequest): Promise<FilteredDataset>;
  /** One record under the caller's record filters; undefined when unknown or filtered out (the same 404). */
  permittedRecord(access: Access, recordId: string, now: Date): Promise<StoredRecord | undefined>;
  /** The dataset object's view: hidden fields left out, records_count counting only what the caller may see. */
  callerDescriptor(access: Access, now: Date): Promise<DatasetDescriptor>;
  /** callerDescriptor for each dataset of a catalog page (all visible), every rule read once. */
  catalogViews(caller: Caller, descriptors: readonly DatasetDescriptor[], now: Date): Promise<DatasetDescriptor[]>;
}

/** At most this many record counts run at once for one catalog page. */
const CATALOG_COUNT_CONCURRENCY = 8;

export function datasetViews(deps: { registry: DatasetRegistry; backend: Backend }): DatasetViews {
  const { registry, backend } = deps;

  const access = async (caller: Caller, id: string): Promise<Access> => {
    const d = await registry.get(id);
    // Visibility first: a caller who may not see the dataset learns nothing more, at no store cost.
    if (!canSee(caller.principal, d)) return accessFor(caller.principal, d, []);
    return accessFor(caller.principal, d, await caller.rules.accessRules(d.datasetid));
  };

  /** The number of records the caller may see: a caller must not learn how many a filter hides. */
  const permittedRecordsCount = async (a: Access, now: Date): Promise<number | undefined> => {
    const loaded = a.source.metas.records_count;
    if (a.recordFilters.length === 0) return loaded;
    const body = withMandatoryFilters({ size: 0, track_total_hits: true } as Record<string, unknown>, recordFilterClauses(a, now));
    const res = (await backend.searchRecords(a.source.datasetid, body)) as { hits?: { total?: number | { value?: number } } };
    const total = res.hits?.total;
    return typeof total === 'number' ? total : (total?.value ?? 0);
  };

  const callerDescriptor = async (a: Access, now: Date): Promise<DatasetDescriptor> => {
    const d = a.descriptor;
    if (a.recordFilters.length === 0) return d;
    const count = await permittedRecordsCount(a, now);
    return { ...d, metas: { ...d.metas, ...(count === undefined ? {} : { records_count: count }) } };
  };

  return {
    access,

    async filtered(caller, ref, request) {
      const named = namedDataset(ref);
      const a = await access(caller, named.id);
      const descriptor = a.descriptor;
      const query = recordsFilterQuery(request.params, descriptor, {
        timezone: request.timezone,
        now: request.now,
        hidden: a.hidden,
        attributes: a.attributes,
        ...(request.bboxOn ? { bboxOn: request.bboxOn } : {}),
      });
      const mandatory = withMandatoryFilters({ query }, recordFilterClauses(a, request.now));
      return { ...named, descriptor, schema: querySchemaOf(a), query: mandatory.query as Clause };
    },

    async permittedRecord(a, recordId, now) {
      const datasetId = a.source.datasetid;
      if (a.recordFilters.length === 0) return backend.getRecord(datasetId, recordId);
      const body = withMandatoryFilters({ size: 1, query: { ids: { values: [recordId] } } as unknown }, recordFilterClauses(a, now));
      const res = (await backend.searchRecords(datasetId, body)) as { hits?: { hits?: { _source?: StoredRecord }[] } };
      return res.hits?.hits?.[0]?._source;
    },

    callerDescriptor,

    async catalogViews(caller, descriptors, now) {
      if (descriptors.length === 0) return [];
      const rules = await caller.rules.allAccessRules();
      const out: DatasetDescriptor[] = new Array<DatasetDescriptor>(descriptors.length);
      let next = 0;
      const worker = async (): Promise<void> => {
        for (let i = next++; i < descriptors.length; i = next++) {
          out[i] = await callerDescriptor(accessFor(caller.principal, descriptors[i]!, rules), now);
        }
      };
      await Promise.all(Array.from({ length: Math.min(CATALOG_COUNT_CONCURRENCY, descriptors.length) }, worker));
      return out;
    },
  };
}
