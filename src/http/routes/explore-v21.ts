/**
 * The Explore API v2.1 over the same indices as v1 (docs/odsql.md): catalog datasets (list and
 * lookup), a dataset's records (ODSQL `select`, `where`, `group_by`, `order_by`, `limit`,
 * `offset`, `refine`, `exclude`), a record by id, a dataset's facets and its exports.
 *
 * Thin: parameters are read here, the ODSQL core (src/odsql) builds the query and shapes the
 * rows, and permissions are those of the v1 routes (the dataset-view service, src/app/dataset-view.ts:
 * the caller's view of the dataset, its schema, mandatory record filters; catalog visibility). Quotas, metrics and error
 * handling are the app's, as for v1; errors are written as v2.1 bodies by the error handler.
 */
import { Router, type Request, type Response } from 'express';
import {
  catalogVisibilityFilter,
  dropInvisibleCatalogHits,
  querySchemaOf,
  recordFilterClauses,
  withMandatoryFilters,
  type Access,
} from '../../auth/access';
import { datasetViews } from '../../app/dataset-view';
import { datasetIdParam } from '../../app/dataset-id';
import { principalOf, quotaIdentity } from '../../auth/principal';
import { CATALOG_DESCRIPTOR } from '../../datasets/catalog-descriptor';
import type { DatasetDescriptor, FieldDescriptor } from '../../datasets/descriptor';
import type { DatasetRegistry } from '../../datasets/registry';
import { pitPages } from '../../download/pit-pages';
import { streamDownload, type ChunkWriter } from '../../download/stream-download';
import { badParameter, GatewayError, unknownRecord } from '../../errors';
import type { Backend } from '../../opensearch/backend';
import type { DownloadSlots } from '../../protection/download-slots';
import type { Clause } from '../../search/facets/facet-kind';
import { datasetObject } from '../../responses/dataset-object';
import { protectFormula, quoteCell } from '../../responses/formats/csv';
import type { StoredRecord } from '../../datasets/stored-record';
import { catalogDescriptors } from '../../responses/search-response';
import { compileFilters, parseGroupBy, parseOrderBy, parseSelect, planAggregate, planRecords, hasAggregate, type Bucket } from '../../odsql';
import { callerOf, paramsOf } from '../context';
import type { RequestParams } from '../params/request-params';
import { timezoneParam } from '../params/timezone';
import { RUNNING, type Lifecycle } from '../lifecycle';
import { parquetExportWriter, xlsxExportWriter, XLSX_MAX_ROWS, type BinaryExportWriter } from '../../responses/formats/v21-binary';

export const V21_BASE = '/api/explore/v2.1';
/** Records per page of /records (v2.1's bound), and the deepest page: offset + limit. */
export const V21_MAX_LIMIT = 100;
export const V21_MAX_WINDOW = 10_000;
/** Groups one group_by may produce. */
export const V21_MAX_GROUPS = 20_000;
const DEFAULT_LIMIT = 10;
const GROUP_PAGE = 1000;
const RECORD_ID = /^[A-Za-z0-9_-]{1,128}$/;
export const V21_EXPORT_FORMATS = ['json', 'jsonl', 'csv', 'geojson', 'parquet', 'xlsx'] as const;

export interface ExploreV21Deps {
  registry: DatasetRegistry;
  backend: Backend;
  slots?: DownloadSlots;
  pageSize?: number;
  keepAliveSeconds?: number;
  lifecycle?: Lifecycle;
  domain?: string;
  clock?: () => Date;
}

function intParam(params: RequestParams, name: string, def: number, min: number, max: number): number {
  const raw = params.get(name);
  if (raw === undefined || raw.trim() === '') return def;
  if (!/^-?\d+$/.test(raw.trim())) throw badParameter(name, `expected an integer, got "${raw.slice(0, 40)}"`);
  const n = Number(raw);
  if (n < min || n > max) throw badParameter(name, `expected an integer between ${min} and ${max}, got ${n}`);
  return n;
}

/** `where` (repeatable), `refine` and `exclude` (`field:value`): every filter of a request. */
function filterClauses(params: RequestParams): { text: string; parameter: string; negate?: boolean }[] {
  const out: { text: string; parameter: string; negate?: boolean }[] = params.getAll('where').map((text) => ({ text, parameter: 'where' }));
  for (const [name, negate] of [['refine', false], ['exclude', true]] as const) {
    for (const v of params.getAll(name)) {
      const i = v.indexOf(':');
      if (i <= 0) throw badParameter(name, `expected field:value, got "${v.slice(0, 80)}"`);
      const field = v.slice(0, i).trim();
      const value = v.slice(i + 1).replace(/^"(.*)"$/s, '$1');
      out.push({ text: `\`${field.replace(/`/g, '')}\` = ${JSON.stringify(value)}`, parameter: name, negate });
    }
  }
  return out;
}

/** A v2.1 dataset object, from the caller's view of the descriptor (v1's dataset object underneath). */
function datasetV21(d: DatasetDescriptor, domain: string | undefined): Record<string, unknown> {
  const v1 = datasetObject(d, { extraMetas: false, interopMetas: false, ...(domain !== undefined ? { domain } : {}) });
  return {
    dataset_id: d.datasetid,
    dataset_uid: d.datasetid,
    has_records: v1.has_records,
    data_visible: true,
    features: v1.features,
    visibility: d.visibility === 'public' ? 'domain' : 'restricted',
    attachments: v1.attachments,
    alternative_exports: v1.alternative_exports,
    fields: d.fields.map((f) => ({
      name: f.name,
      label: f.label,
      type: f.type,
      description: f.description ?? null,
      annotations: Object.fromEntries((f.annotations ?? []).map((a) => [a.name, a.args === undefined || a.args.length === 0 ? true : a.args])),
    })),
    metas: { default: v1.metas },
  };
}

interface DatasetTarget {
  id: string;
  access: Access;
  descriptor: DatasetDescriptor;
  query: Record<string, unknown>;
  timezone: string;
}

export function exploreV21Routes(deps: ExploreV21Deps): Router {
  const router = Router();
  const clock = deps.clock ?? (() => new Date());
  const life = deps.lifecycle ?? RUNNING;
  const views = datasetViews(deps);

  /** The dataset as the caller may see it, and the caller's filters as one query. */
  const target = async (req: Request, params: RequestParams): Promise<DatasetTarget> => {
    const timezone = timezoneParam(params);
    const id = datasetIdParam(String(req.params.dataset_id), 'dataset_id');
    const access = await views.access(callerOf(req), id);
    const now = clock();
    const schema = querySchemaOf(access);
    const query = compileFilters(filterClauses(params), { schema, timezone, now }) as Record<string, unknown>;
    return { id, access, descriptor: access.descriptor, query, timezone };
  };

  const withFilters = (t: DatasetTarget, body: Record<string, unknown>) => withMandatoryFilters(body, recordFilterClauses(t.access, clock()));

  // ----- catalog -----

  router.get(`${V21_BASE}/catalog/datasets`, async (req, res) => {
    const params = paramsOf(req);
    const limit = intParam(params, 'limit', DEFAULT_LIMIT, 1, V21_MAX_LIMIT);
    const offset = intParam(params, 'offset', 0, 0, V21_MAX_WINDOW);
    if (offset + limit > V21_MAX_WINDOW) throw badParameter('offset', `offset + limit must be at most ${V21_MAX_WINDOW}`);
    const timezone = timezoneParam(params);
    const query = compileFilters(
      params.getAll('where').map((text) => ({ text, parameter: 'where' })),
      { schema: { fields: CATALOG_DESCRIPTOR.fields }, timezone, now: clock() },
    );
    const body: Record<string, unknown> = { query, from: offset, size: limit, track_total_hits: true, sort: [{ recordid: 'asc' }] };
    const caller = callerOf(req);
    const visibility = catalogVisibilityFilter(caller.principal);
    withMandatoryFilters(body, visibility ? [visibility] : []);
    const response = await deps.backend.searchCatalog(body);
    dropInvisibleCatalogHits(caller.principal, response);
    const datasets = await views.catalogViews(caller, catalogDescriptors(response), clock());
    const total = (response.hits as { total?: { value?: number } } | undefined)?.total?.value ?? datasets.length;
    res.json({ total_count: total, results: datasets.map((d) => datasetV21(d, deps.domain)) });
  });

  router.get(`${V21_BASE}/catalog/datasets/:dataset_id`, async (req, res) => {
    const id = datasetIdParam(String(req.params.dataset_id), 'dataset_id');
    const access = await views.access(callerOf(req), id);
    res.json(datasetV21(await views.callerDescriptor(access, clock()), deps.domain));
  });

  // ----- records -----

  router.get(`${V21_BASE}/catalog/datasets/:dataset_id/records`, async (req, res) => {
    const params = paramsOf(req);
    const t = await target(req, params);
    const selectText = params.get('select') ?? '';
    const groupByText = params.get('group_by') ?? '';
    const orderByText = params.get('order_by') ?? '';
    const select = selectText.trim() === '' ? undefined : parseSelect(selectText);
    const groupBy = groupByText.trim() === '' ? undefined : parseGroupBy(groupByText);
    const orderBy = orderByText.trim() === '' ? undefined : parseOrderBy(orderByText);
    const schema = querySchemaOf(t.access);
    const aggregated = groupBy !== undefined || (select ?? []).some((s) => s.kind === 'item' && hasAggregate(s.expr));

    if (aggregated) {
      const limit = intParam(params, 'limit', DEFAULT_LIMIT, -1, V21_MAX_GROUPS);
      const offset = intParam(params, 'offset', 0, 0, V21_MAX_GROUPS);
      const plan = planAggregate({ select, selectText, groupBy, groupByText, orderBy, orderByText, schema, timezone: t.timezone });
      const buckets = plan.grouped ? await collectGroups(deps.backend, t, plan.sources, plan.aggs, withFilters) : await topLevel(deps.backend, t, plan.aggs, withFilters);
      const rows = plan.rows(buckets);
      const page = rows.slice(offset, limit === -1 ? undefined : offset + limit);
      res.json({ total_count: rows.length, results: page });
      return;
    }
    const limit = intParam(params, 'limit', DEFAULT_LIMIT, 0, V21_MAX_LIMIT);
    const offset = intParam(params, 'offset', 0, 0, V21_MAX_WINDOW);
    if (offset + limit > V21_MAX_WINDOW) {
      throw badParameter('offset', `offset + limit must be at most ${V21_MAX_WINDOW}: use the exports to read more records`);
    }
    const plan = planRecords(t.descriptor, schema, { ...(select ? { select } : {}), selectText, ...(orderBy ? { orderBy } : {}), orderByText, timezone: t.timezone });
    const body = withFilters(t, { query: t.query, from: offset, size: limit, track_total_hits: true, sort: plan.sort });
    const response = await deps.backend.searchRecords(t.id, body);
    const hits = (response.hits as { total?: { value?: number }; hits?: { _source?: StoredRecord }[] } | undefined) ?? {};
    res.json({
      total_count: hits.total?.value ?? 0,
      results: (hits.hits ?? []).map((h) => plan.project(h._source ?? { recordid: '' })),
    });
  });

  router.get(`${V21_BASE}/catalog/datasets/:dataset_id/records/:record_id`, async (req, res) => {
    const params = paramsOf(req);
    const timezone = timezoneParam(params);
    const id = datasetIdParam(String(req.params.dataset_id), 'dataset_id');
    const recordId = String(req.params.record_id);
    const access = await views.access(callerOf(req), id);
    if (!RECORD_ID.test(recordId)) throw unknownRecord(id, recordId.slice(0, 128));
    const doc = await views.permittedRecord(access, recordId, clock());
    if (!doc) throw unknownRecord(id, recordId);
    const selectText = params.get('select') ?? '';
    const select = selectText.trim() === '' ? undefined : parseSelect(selectText);
    const plan = planRecords(access.descriptor, querySchemaOf(access), { ...(select ? { select } : {}), selectText, orderByText: '', timezone });
    res.json(plan.project(doc));
  });

  // ----- facets -----

  /** Terms facets of `fields` under `query`: `{links, facets: [{name, facets: [{name, value, count, state}]}]}`. */
  const facets = async (fields: FieldDescriptor[], search: (body: Record<string, unknown>) => Promise<Record<string, unknown>>, query: Record<string, unknown>) => {
    const aggs = Object.fromEntries(
      fields.map((f, i) => [`f${i}`, { terms: { field: f.type === 'text' ? `fields.${f.name}.keyword` : `fields.${f.name}`, size: 100 } }]),
    );
    const response = await search({ query, size: 0, track_total_hits: false, aggs });
    const aggregations = (response.aggregations ?? {}) as Record<string, { buckets?: { key: unknown; key_as_string?: string; doc_count: number }[] }>;
    return {
      links: [],
      facets: fields.map((f, i) => ({
        name: f.name,
        facets: (aggregations[`f${i}`]?.buckets ?? []).map((b) => {
          const value = f.type === 'date' || f.type === 'datetime' ? (b.key_as_string ?? String(b.key)) : String(b.key);
          return { name: value, count: b.doc_count, state: 'displayed', value };
        }),
      })),
    };
  };

  /** The facet fields asked (`facet`), or those annotated facet; geo and file fields refused. */
  const facetFields = (params: RequestParams, visible: readonly FieldDescriptor[]): FieldDescriptor[] => {
    const asked = params.getAll('facet');
    const names = asked.length > 0 ? asked : visible.filter((f) => (f.annotations ?? []).some((a) => a.name === 'facet')).map((f) => f.name);
    return names.map((n) => {
      const f = visible.find((x) => x.name === n);
      if (f === undefined || f.type === 'geo_point_2d' || f.type === 'geo_shape' || f.type === 'file') {
        throw badParameter('facet', `"${n.slice(0, 64)}" is not a field that can be a facet here`);
      }
      return f;
    });
  };

  router.get(`${V21_BASE}/catalog/datasets/:dataset_id/facets`, async (req, res) => {
    const params = paramsOf(req);
    const t = await target(req, params);
    const schema = querySchemaOf(t.access);
    const fields = facetFields(params, t.descriptor.fields.filter((f) => !schema.hidden?.has(f.name)));
    res.json(await facets(fields, (body) => deps.backend.searchRecords(t.id, withFilters(t, body)), t.query));
  });

  router.get(`${V21_BASE}/catalog/facets`, async (req, res) => {
    const params = paramsOf(req);
    const timezone = timezoneParam(params);
    const fields = facetFields(params, CATALOG_DESCRIPTOR.fields);
    const query = compileFilters(filterClauses(params), { schema: { fields: CATALOG_DESCRIPTOR.fields }, timezone, now: clock() }) as Record<string, unknown>;
    const visibility = catalogVisibilityFilter(callerOf(req).principal);
    res.json(await facets(fields, (body) => deps.backend.searchCatalog(withMandatoryFilters(body, visibility ? [visibility] : [])), query));
  });

  // ----- exports -----

  const exportRecords = async (req: Request, res: Response) => {
    const params = paramsOf(req);
    const format = String(req.params.format);
    if (!(V21_EXPORT_FORMATS as readonly string[]).includes(format)) {
      throw new GatewayError('not_found', `Unknown export format "${format.slice(0, 32)}": expected ${V21_EXPORT_FORMATS.join(', ')}`);
    }
    const t = await target(req, params);
    const selectText = params.get('select') ?? '';
    const orderByText = params.get('order_by') ?? '';
    const select = selectText.trim() === '' ? undefined : parseSelect(selectText);
    const orderBy = orderByText.trim() === '' ? undefined : parseOrderBy(orderByText);
    const limit = intParam(params, 'limit', -1, -1, Number.MAX_SAFE_INTEGER);
    const plan = planRecords(t.descriptor, querySchemaOf(t.access), { ...(select ? { select } : {}), selectText, ...(orderBy ? { orderBy } : {}), orderByText, timezone: t.timezone });
    if ((params.get('group_by') ?? '').trim() !== '' || (select ?? []).some((s) => s.kind === 'item' && hasAggregate(s.expr))) {
      throw badParameter(params.get('group_by') ? 'group_by' : 'select', 'the exports carry records: ask /records for aggregates and groups');
    }
    const query = withFilters(t, { query: t.query }).query as Clause;
    if (format === 'xlsx') {
      // A worksheet's row bound, checked before anything is sent (a cut file would look complete).
      const response = await deps.backend.searchRecords(t.id, { query, size: 0, track_total_hits: XLSX_MAX_ROWS + 1 });
      const total = (response.hits as { total?: { value?: number } } | undefined)?.total?.value ?? 0;
      if (Math.min(total, limit >= 0 ? limit : Infinity) > XLSX_MAX_ROWS) {
        throw badParameter('limit', `an xlsx export holds at most ${XLSX_MAX_ROWS} records (one worksheet) and this one has ${total > XLSX_MAX_ROWS ? 'more' : total}: set limit, filter with where, or export as csv or parquet`);
      }
    }
    const writer = exportWriter(format as (typeof V21_EXPORT_FORMATS)[number], t.descriptor, params.get('delimiter') ?? ';', plan.labels);

    const slot = deps.slots?.acquire(quotaIdentity(principalOf(req)));
    const controller = new AbortController();
    const onClose = () => {
      if (!res.writableFinished) controller.abort();
    };
    res.on('close', onClose);
    const unguard = slot?.guard(res, () => controller.abort());
    try {
      const pages = pitPages(deps.backend, {
        datasetId: t.id,
        query,
        ...(orderBy ? { sort: plan.sort as Clause[] } : {}),
        source: true,
        pageSize: deps.pageSize ?? 1000,
        keepAliveSeconds: deps.keepAliveSeconds ?? 60,
        ...(limit >= 0 ? { limit } : {}),
      });
      const result = await streamDownload({
        pages,
        render: ((hit: { _source?: Record<string, unknown> }) => plan.project((hit._source ?? { recordid: '' }) as unknown as StoredRecord)) as never,
        writer: writer as unknown as ChunkWriter,
        sink: res,
        signal: controller.signal,
        begin: () => {
          res.status(200).setHeader('Content-Type', writer.contentType);
          res.setHeader('Content-Disposition', `attachment; filename="${t.id}.${format}"`);
        },
      });
      if (result.completed) res.end();
      else if (!res.destroyed) res.destroy();
    } finally {
      unguard?.();
      slot?.release();
      res.removeListener('close', onClose);
    }
  };
  router.get(`${V21_BASE}/catalog/datasets/:dataset_id/exports/:format`, (req, res) => life.track(exportRecords(req, res)));

  return router;
}

/** The composite pages of a group_by, collected up to V21_MAX_GROUPS buckets. */
async function collectGroups(
  backend: Backend,
  t: DatasetTarget,
  sources: Record<string, unknown>[],
  aggs: Record<string, unknown>,
  withFilters: (t: DatasetTarget, body: Record<string, unknown>) => Record<string, unknown>,
): Promise<Bucket[]> {
  const buckets: Bucket[] = [];
  let after: Record<string, unknown> | undefined;
  for (;;) {
    const composite: Record<string, unknown> = { size: GROUP_PAGE, sources, ...(after ? { after } : {}) };
    const body = withFilters(t, { query: t.query, size: 0, track_total_hits: false, aggs: { groups: { composite, ...(Object.keys(aggs).length > 0 ? { aggs } : {}) } } });
    const response = await backend.searchRecords(t.id, body);
    const groups = (response.aggregations as { groups?: { buckets?: Bucket[]; after_key?: Record<string, unknown> } } | undefined)?.groups;
    const page = groups?.buckets ?? [];
    buckets.push(...page);
    if (buckets.length > V21_MAX_GROUPS) {
      throw badParameter('group_by', `the group_by makes more than ${V21_MAX_GROUPS} groups: group on fewer values or filter with where`);
    }
    if (page.length < GROUP_PAGE || groups?.after_key === undefined) return buckets;
    after = groups.after_key;
  }
}

/** Without group_by: the metrics over every matching record, as one bucket. */
async function topLevel(
  backend: Backend,
  t: DatasetTarget,
  aggs: Record<string, unknown>,
  withFilters: (t: DatasetTarget, body: Record<string, unknown>) => Record<string, unknown>,
): Promise<Bucket[]> {
  const body = withFilters(t, { query: t.query, size: 0, track_total_hits: true, ...(Object.keys(aggs).length > 0 ? { aggs } : {}) });
  const response = await backend.searchRecords(t.id, body);
  const total = (response.hits as { total?: { value?: number } } | undefined)?.total?.value ?? 0;
  return [{ key: {}, doc_count: total, ...((response.aggregations ?? {}) as Record<string, unknown>) }];
}

interface ExportWriter {
  contentType: string;
  open(): string;
  records(batch: readonly Record<string, unknown>[], offset: number): string;
  close(): string;
}

function exportWriter(format: (typeof V21_EXPORT_FORMATS)[number], d: DatasetDescriptor, delimiter: string, labels: readonly string[]): ExportWriter | BinaryExportWriter {
  switch (format) {
    case 'parquet':
      return parquetExportWriter(d, labels);
    case 'xlsx':
      return xlsxExportWriter(d, labels);
    case 'json':
      return {
        contentType: 'application/json; charset=utf-8',
        open: () => '[',
        records: (batch, offset) => batch.map((r, i) => (offset + i > 0 ? ',' : '') + JSON.stringify(r)).join(''),
        close: () => ']',
      };
    case 'jsonl':
      return {
        contentType: 'application/jsonl; charset=utf-8',
        open: () => '',
        records: (batch) => batch.map((r) => `${JSON.stringify(r)}\n`).join(''),
        close: () => '',
      };
    case 'geojson': {
      const geo = d.fields.find((f) => f.type === 'geo_shape') ?? d.fields.find((f) => f.type === 'geo_point_2d');
      const feature = (r: Record<string, unknown>) => {
        const g = geo === undefined ? null : r[geo.name];
        const geometry =
          g === null || g === undefined
            ? null
            : geo!.type === 'geo_shape'
              ? (g as { geometry: unknown }).geometry
              : { type: 'Point', coordinates: [(g as { lon: number }).lon, (g as { lat: number }).lat] };
        const properties = Object.fromEntries(Object.entries(r).filter(([k]) => k !== geo?.name));
        return { type: 'Feature', geometry, properties };
      };
      return {
        contentType: 'application/geo+json; charset=utf-8',
        open: () => '{"type":"FeatureCollection","features":[',
        records: (batch, offset) => batch.map((r, i) => (offset + i > 0 ? ',' : '') + JSON.stringify(feature(r))).join(''),
        close: () => ']}',
      };
    }
    case 'csv': {
      const sep = delimiter.length === 1 ? delimiter : ';';
      const cell = (v: unknown) => quoteCell(protectFormula(v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)), sep);
      return {
        contentType: 'text/csv; charset=utf-8',
        open: () => `${labels.map((h) => quoteCell(protectFormula(h), sep)).join(sep)}\r\n`,
        records: (batch) => batch.map((r) => `${labels.map((h) => cell(r[h])).join(sep)}\r\n`).join(''),
        close: () => '',
      };
    }
  }
}
