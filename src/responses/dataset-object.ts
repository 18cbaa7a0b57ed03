/**
 * A descriptor → the v1 dataset object (docs/v1-api.md, Dataset lookup and the dataset object):
 * { datasetid, metas, has_records, data_visible, features, attachments, alternative_exports, fields,
 *   billing_plans, [extra_metas], [interop_metas] }
 * `extra_metas.visualization` always exists when extra metas are asked: ods-map-layer needs it.
 * `metas` carries what recorded v1 dataset objects carry (opendatateam/udata-ods tests/data/*.json):
 * - `domain` (the descriptor's, else DOMAIN_ID): ods-widgets build dataset ids from it;
 * - `visibility`: `public`, or `domain` for a restricted dataset;
 * - `modified`, `data_processed`, `metadata_processed` (the latter two the load time) written as v1
 *   wrote them, `2015-04-09T10:28:45+00:00`: UTC, seconds, a `+00:00` offset (a date without a time
 *   is left as it is).
 */
import type { DatasetDescriptor } from '../datasets/descriptor';
import { featuresOf } from '../datasets/descriptor';

export interface DatasetObjectOptions {
  extraMetas: boolean;
  interopMetas: boolean;
  /** DOMAIN_ID, when the descriptor gives no metas.domain. */
  domain?: string;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const WITH_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** A metas datetime as v1 wrote it: `2015-04-09T10:28:45+00:00`. Anything else is left as it is. */
export function metaDatetime(v: unknown): unknown {
  if (typeof v !== 'string' || !WITH_TIME.test(v)) return v;
  const ms = Date.parse(v);
  if (!Number.isFinite(ms)) return v;
  const d = new Date(ms);
  const date = `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return `${date}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+00:00`;
}

function v1Metas(d: DatasetDescriptor, domain: string | undefined): Record<string, unknown> {
  const metas: Record<string, unknown> = { ...d.metas, timezone: d.metas.timezone ?? 'UTC' };
  if (metas.domain === undefined && domain !== undefined) metas.domain = domain;
  metas.visibility = d.visibility === 'public' ? 'public' : 'domain';
  if (metas.metadata_processed === undefined && metas.data_processed !== undefined) metas.metadata_processed = metas.data_processed;
  for (const k of ['modified', 'data_processed', 'metadata_processed']) if (metas[k] !== undefined) metas[k] = metaDatetime(metas[k]);
  return metas;
}

export function datasetObject(d: DatasetDescriptor, options: DatasetObjectOptions): Record<string, unknown> {
  const count = typeof d.metas.records_count === 'number' ? d.metas.records_count : 0;
  const out: Record<string, unknown> = {
    datasetid: d.datasetid,
    metas: v1Metas(d, options.domain),
    has_records: count > 0,
    data_visible: true,
    features: featuresOf(d),
    attachments: d.attachments.map((a) => ({ id: a.id, title: a.title, mimetype: a.mimetype, url: a.url })),
    alternative_exports: d.alternative_exports.map((a) => ({
      id: a.id,
      title: a.title,
      description: a.description ?? '',
      mimetype: a.mimetype,
      url: a.url,
    })),
    fields: d.fields.map((f) => ({
      name: f.name,
      label: f.label,
      type: f.type,
      ...(f.description ? { description: f.description } : {}),
      ...(f.annotations && f.annotations.length > 0
        ? { annotations: f.annotations.map((a) => (a.args ? { name: a.name, args: a.args } : { name: a.name })) }
        : {}),
    })),
    billing_plans: [],
  };
  if (options.extraMetas) {
    const extra = { ...(d.extra_metas ?? {}) };
    if (!extra.visualization || typeof extra.visualization !== 'object') extra.visualization = {};
    out.extra_metas = extra;
  }
  if (options.interopMetas) out.interop_metas = { ...(d.interop_metas ?? {}) };
  return out;
}
