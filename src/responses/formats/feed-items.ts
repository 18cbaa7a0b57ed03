/**
 * What the RSS and Atom writers show, built from a record or a dataset (the v1 feed layouts were
 * never published, docs/v1-api.md, Where the sources are silent; this is our documented reading, docs/search.md):
 * - a record's title is the value of the dataset's first sortable text field, else its first text
 *   field, else the record id; its date is record_timestamp; its link the record lookup URL; its
 *   description one "Label: value" line per field;
 * - a dataset's title is metas.title; its date metas.modified; its link the dataset lookup URL; its
 *   description metas.description (HTML in v1, shown as text).
 */
import type { DatasetDescriptor, FieldDescriptor } from '../../datasets/descriptor';
import { hasAnnotation } from '../../datasets/descriptor';
import type { V1Record } from '../record';

export interface FeedInfo {
  /** A stable id (the Atom feed id): the URL of the search. */
  id: string;
  title: string;
  /** The page the feed describes (dataset lookup, or the catalog search URL). */
  link: string;
  description: string;
  author: string;
}

export interface FeedItem {
  id: string;
  title: string;
  link: string;
  /** ISO 8601 instant, or undefined when unknown. */
  updated: string | undefined;
  description: string;
}

export function titleField(d: DatasetDescriptor): FieldDescriptor | undefined {
  const texts = d.fields.filter((f) => f.type === 'text');
  return texts.find((f) => hasAnnotation(f, 'sortable')) ?? texts[0];
}

const toText = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : JSON.stringify(v));

function isoOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

export const recordLink = (baseUrl: string, datasetId: string, recordId: string): string =>
  `${baseUrl}/api/datasets/1.0/${encodeURIComponent(datasetId)}/records/${encodeURIComponent(recordId)}`;

export const datasetLink = (baseUrl: string, datasetId: string): string => `${baseUrl}/api/datasets/1.0/${encodeURIComponent(datasetId)}`;

export function recordFeedItem(d: DatasetDescriptor, record: V1Record, baseUrl: string): FeedItem {
  const tf = titleField(d);
  const title = tf && record.fields[tf.name] !== undefined ? toText(record.fields[tf.name]) : record.recordid;
  const labels = new Map(d.fields.map((f) => [f.name, f.label]));
  const lines = Object.entries(record.fields).map(([name, v]) => `${labels.get(name) ?? name}: ${toText(v)}`);
  const link = recordLink(baseUrl, d.datasetid, record.recordid);
  return { id: link, title, link, updated: isoOf(record.record_timestamp), description: lines.join('\n') };
}

export function datasetFeedItem(d: DatasetDescriptor, baseUrl: string): FeedItem {
  const link = datasetLink(baseUrl, d.datasetid);
  return { id: link, title: d.metas.title, link, updated: isoOf(d.metas.modified), description: d.metas.description ?? '' };
}

export function recordsFeedInfo(d: DatasetDescriptor, baseUrl: string, searchUrl: string): FeedInfo {
  return {
    id: searchUrl,
    title: d.metas.title,
    link: datasetLink(baseUrl, d.datasetid),
    description: d.metas.description ?? d.metas.title,
    author: d.metas.publisher ?? d.datasetid,
  };
}

export function catalogFeedInfo(baseUrl: string, searchUrl: string): FeedInfo {
  return { id: searchUrl, title: 'Datasets', link: `${baseUrl}/api/datasets/1.0/search`, description: 'Dataset catalog', author: baseUrl };
}
