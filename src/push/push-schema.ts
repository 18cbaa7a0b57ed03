/**
 * Validation and conversion of pushed records against the dataset schema, with the ingest
 * DocumentBuilder (the one converter of the gateway: a pushed record is stored exactly as the same
 * row loaded from a file would be). Two passes, so a client gets every problem at once:
 *
 *   1. check(records): each record is an object; every key is a field of the dataset; each value
 *      converts to its field's type (one probe builder per field); file fields are
 *      {"content", "content-type"} objects. Every problem is reported with its position and field.
 *   2. build(prepared, fileFacts): file fields become v1 file objects, then the whole record is built
 *      (recordid from the `id` fields; a record without any value for them is a problem too).
 *
 * Push field names are exact field names: the descriptor's `source.columns` (how a FILE's columns feed
 * fields) does not apply to pushes, nor to the backup replay.
 */
import { hasAnnotation, type DatasetDescriptor, type FieldDescriptor } from '../datasets/descriptor';
import { buildFileObject } from '../files/file-object';
import type { StoredFile } from '../files/file-store';
import { DocumentBuilder } from '../ingest/document-builder';
import type { RecordDocument, Row } from '../ingest/types';
import { isEmpty } from '../ingest/values';
import { parseFileInput, type FileInput } from './file-input';

export interface PushProblem {
  /** Position of the record in the pushed array (0 for a single object). */
  index: number;
  field?: string;
  error: string;
}

export interface PreparedRecord {
  index: number;
  /** Field values as pushed, file fields left out (they are in `files`). */
  values: Row;
  files: Map<string, FileInput>;
}

export interface BuiltRecord {
  index: number;
  doc: RecordDocument;
  /** The files of the record, to store before the record is written. */
  files: FileInput[];
}

/** A placeholder: builders are cached per descriptor; each push sets its own record_timestamp. */
const ANY_TIME = '1970-01-01T00:00:00Z';

/** The descriptor pushes are built with: field names only (no `source` column mapping). */
export function pushDescriptor(d: DatasetDescriptor): DatasetDescriptor {
  const { source: _source, ...rest } = d;
  return rest;
}

/** `field "x" (column "y"): message` → { field: x, error: message } */
function splitReason(reason: string): { field?: string; error: string } {
  const m = /^field "([^"]+)"(?: \(column "[^"]*"\))?: ([\s\S]*)$/.exec(reason);
  return m ? { field: m[1] as string, error: m[2] as string } : { error: reason };
}

export class PushSchema {
  private readonly builder: DocumentBuilder;
  private readonly probes = new Map<string, DocumentBuilder>();
  private readonly fields = new Map<string, FieldDescriptor>();
  private readonly idFields: string[];

  constructor(readonly descriptor: DatasetDescriptor) {
    const d = pushDescriptor(descriptor);
    this.builder = new DocumentBuilder(d, { recordTimestamp: ANY_TIME });
    this.idFields = d.fields.filter((f) => hasAnnotation(f, 'id')).map((f) => f.name);
    for (const f of d.fields) {
      this.fields.set(f.name, f);
      if (f.type === 'file') continue;
      // One field alone, without `id` (the id rule is checked on the whole record in pass 2).
      const alone: FieldDescriptor = { ...f, annotations: (f.annotations ?? []).filter((a) => a.name !== 'id') };
      this.probes.set(f.name, new DocumentBuilder({ ...d, fields: [alone] }, { recordTimestamp: ANY_TIME }));
    }
  }

  private unknownField(key: string): string {
    const names = [...this.fields.keys()];
    const shown = names.slice(0, 30).join(', ') + (names.length > 30 ? ', ...' : '');
    return `unknown field "${key.slice(0, 100)}"; the fields of dataset ${this.descriptor.datasetid} are: ${shown}`;
  }

  /** Pass 1: every problem of every record (an empty list means every record is well-formed). */
  check(records: readonly unknown[]): { prepared: PreparedRecord[]; problems: PushProblem[] } {
    const prepared: PreparedRecord[] = [];
    const problems: PushProblem[] = [];
    records.forEach((record, index) => {
      if (!record || typeof record !== 'object' || Array.isArray(record)) {
        problems.push({ index, error: 'expected a record: a JSON object of field names and values' });
        return;
      }
      const values: Row = {};
      const files = new Map<string, FileInput>();
      for (const [key, value] of Object.entries(record as Record<string, unknown>)) {
        const field = this.fields.get(key);
        if (!field) {
          problems.push({ index, field: key.slice(0, 100), error: this.unknownField(key) });
          continue;
        }
        if (isEmpty(value)) continue;
        if (field.type === 'file') {
          const r = parseFileInput(value, key);
          if (r.ok) files.set(key, r.file);
          else problems.push({ index, field: key, error: r.error });
          continue;
        }
        const probe = (this.probes.get(key) as DocumentBuilder).build({ [key]: value });
        if (!probe.ok) problems.push({ index, ...splitReason(probe.reason), field: key });
        else values[key] = value;
      }
      prepared.push({ index, values, files });
    });
    return { prepared, problems };
  }

  /**
   * Pass 2: the stored documents. `fileFacts` gives the stored facts of a file (hash, image size): the
   * store's `describe` to validate without writing, `put` to store.
   */
  async build(
    prepared: readonly PreparedRecord[],
    fileFacts: (f: FileInput) => Promise<StoredFile>,
    recordTimestamp: string,
  ): Promise<{ built: BuiltRecord[]; problems: PushProblem[] }> {
    const built: BuiltRecord[] = [];
    const problems: PushProblem[] = [];
    for (const p of prepared) {
      if (Object.keys(p.values).length === 0 && p.files.size === 0) {
        problems.push({ index: p.index, error: 'empty record: no value for any field' });
        continue;
      }
      const row: Row = { ...p.values };
      for (const [field, f] of p.files) {
        const facts = await fileFacts(f);
        row[field] = buildFileObject({ id: facts.id, filename: f.filename, mimetype: f.mimetype, image: facts.image });
      }
      const r = this.builder.build(row);
      if (!r.ok) {
        if (r.reason.startsWith('empty row')) problems.push({ index: p.index, error: 'empty record: no value for any field' });
        else if (r.reason.startsWith('no value for the id field')) problems.push({ index: p.index, field: this.idFields.join(','), error: r.reason });
        else problems.push({ index: p.index, ...splitReason(r.reason) });
        continue;
      }
      built.push({ index: p.index, doc: { ...r.doc, record_timestamp: recordTimestamp }, files: [...p.files.values()] });
    }
    return { built, problems };
  }

  /** A stored document rebuilt from backed-up field values (replay): same conversion, current schema. */
  rebuild(fields: Record<string, unknown>, recordTimestamp: string): { ok: true; doc: RecordDocument } | { ok: false; reason: string } {
    const unknown = Object.keys(fields).filter((k) => !this.fields.has(k));
    const row: Row = {};
    for (const [k, v] of Object.entries(fields)) if (this.fields.has(k)) row[k] = v;
    const r = this.builder.build(row);
    if (!r.ok) return r;
    if (unknown.length > 0 && Object.keys(r.doc.fields).length === 0) return { ok: false, reason: `no field of the current schema (${unknown.join(', ')})` };
    return { ok: true, doc: { ...r.doc, record_timestamp: recordTimestamp } };
  }
}

const cache = new WeakMap<DatasetDescriptor, PushSchema>();

/** The schema of a descriptor, built once per descriptor object (the registry reuses them). */
export function pushSchemaOf(d: DatasetDescriptor): PushSchema {
  let s = cache.get(d);
  if (!s) {
    s = new PushSchema(d);
    cache.set(d, s);
  }
  return s;
}
