/**
 * A descriptor → the v1 dataset object (v1-api-facts.md §4; client-compat.md §2.1, §5.4):
 * { datasetid, metas, has_records, data_visible, features, attachments, alternative_exports, fields,
 *   billing_plans, [extra_metas], [interop_metas] }
 * `extra_metas.visualization` always exists when extra metas are asked: ods-map-layer needs it.
 */
import type { DatasetDescriptor } from '../datasets/descriptor';
import { featuresOf } from '../datasets/descriptor';

export interface DatasetObjectOptions {
  extraMetas: boolean;
  interopMetas: boolean;
}

export function datasetObject(d: DatasetDescriptor, options: DatasetObjectOptions): Record<string, unknown> {
  const count = typeof d.metas.records_count === 'number' ? d.metas.records_count : 0;
  const out: Record<string, unknown> = {
    datasetid: d.datasetid,
    metas: { ...d.metas, timezone: d.metas.timezone ?? 'UTC' },
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
