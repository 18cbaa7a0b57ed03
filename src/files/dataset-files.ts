/**
 * Which stored file a caller may read through a dataset. A file id (a content hash) is readable in
 * dataset D only when D holds it: an attachment or alternative export of D (`odsfile://<name>`), or a
 * record of D that the caller may see references it in a file field the caller may see. So nobody
 * reads another dataset's file by guessing or reusing its hash, and record filters and hidden fields
 * (src/auth/access.ts) apply to files exactly as to the records that hold them.
 *
 * Records are found with a term query on `fields.<f>.id` (the file field mapping indexes the id,
 * src/datasets/mapping.ts) plus the caller's mandatory record filters.
 */
import type { Access } from '../auth/access';
import { recordFilterClauses, withMandatoryFilters } from '../auth/access';
import type { Attachment } from '../datasets/descriptor';
import type { Backend } from '../opensearch/backend';
import { odsfileName } from './attachments';
import { isFileId } from './content-address';
import { asFileObject } from './file-object';
import type { FileStore, StoredFile } from './file-store';
import { fileIdPath, valuePath } from '../datasets/field-paths';

export interface DatasetFile {
  stored: StoredFile;
  /** The name and type the dataset gives it (a record's file object, or the named file). */
  filename: string;
  mimetype: string;
}

/** The stored file behind an attachment or alternative export, or undefined. */
export async function namedDatasetFile(store: FileStore, datasetId: string, a: Attachment): Promise<DatasetFile | undefined> {
  const name = odsfileName(a.url);
  if (name === undefined) return undefined;
  const named = await store.named(datasetId, name);
  if (!named) return undefined;
  const stored = await store.stat(named.id);
  return stored ? { stored, filename: named.filename, mimetype: named.mimetype } : undefined;
}

/** The body that finds one visible record referencing the file in a visible file field. */
export function fileReferenceQuery(fileFields: readonly string[], fileId: string): Record<string, unknown> {
  return {
    size: 1,
    _source: fileFields.map(valuePath),
    query: { bool: { should: fileFields.map((f) => ({ term: { [fileIdPath(f)]: fileId } })), minimum_should_match: 1 } },
  };
}

export async function findDatasetFile(backend: Backend, store: FileStore, access: Access, fileId: string, now: Date): Promise<DatasetFile | undefined> {
  if (!isFileId(fileId)) return undefined;
  const d = access.descriptor;
  for (const a of [...d.attachments, ...d.alternative_exports]) {
    const f = await namedDatasetFile(store, d.datasetid, a);
    if (f?.stored.id === fileId) return f;
  }
  const fileFields = d.fields.filter((f) => f.type === 'file').map((f) => f.name);
  if (fileFields.length === 0) return undefined;
  const body = withMandatoryFilters(fileReferenceQuery(fileFields, fileId), recordFilterClauses(access, now));
  const res = (await backend.searchRecords(d.datasetid, body)) as { hits?: { hits?: { _source?: { fields?: Record<string, unknown> } }[] } };
  const fields = res.hits?.hits?.[0]?._source?.fields ?? {};
  for (const name of fileFields) {
    const values = Array.isArray(fields[name]) ? (fields[name] as unknown[]) : [fields[name]];
    for (const v of values) {
      const o = asFileObject(v);
      if (o?.id !== fileId) continue;
      const stored = await store.stat(fileId);
      return stored ? { stored, filename: o.filename, mimetype: o.mimetype } : undefined;
    }
  }
  return undefined;
}
