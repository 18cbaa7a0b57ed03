/**
 * `ingest --files-dir <dir>`: file fields loaded from a folder. A source column feeding a `file` field
 * holds a file name relative to <dir> (`photos/a.jpg`); the row is rewritten so that the column holds
 * the v1 file object of that file, stored in the file store, before the DocumentBuilder sees it.
 * Names escaping <dir> (`../x`, absolute paths) and missing files reject the row with a reason.
 */
import { readFile } from 'node:fs/promises';
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';
import type { DatasetDescriptor } from '../datasets/descriptor';
import { ColumnResolver } from '../ingest/source-columns';
import type { Row } from '../ingest/types';
import { buildFileObject } from './file-object';
import type { FileStore } from './file-store';
import { mimetypeOfName } from './mime-types';

export type PreparedRow = { ok: true; row: Row } | { ok: false; reason: string };

export interface FileColumnOptions {
  /** Compute the file objects without writing to the store (ingest --dry-run). */
  dryRun?: boolean;
}

/** The path of `name` inside `dir`, or undefined when it would leave it. */
export function insideDir(dir: string, name: string): string | undefined {
  if (name.includes('\0') || isAbsolute(name)) return undefined;
  const root = resolve(dir);
  const full = resolve(root, name);
  const rel = relative(root, full);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return undefined;
  return full;
}

/** Returns the row preparer `loadDataset` calls before building each document. */
export function fileColumnPreparer(
  descriptor: DatasetDescriptor,
  dir: string,
  store: FileStore,
  options: FileColumnOptions = {},
): (row: Row) => Promise<PreparedRow> {
  const fileFields = descriptor.fields.filter((f) => f.type === 'file').map((f) => f.name);
  const columns = new ColumnResolver(descriptor);
  return async (row) => {
    if (fileFields.length === 0) return { ok: true, row };
    const raw = columns.extract(row);
    let out: Row | undefined;
    for (const field of fileFields) {
      const r = raw.get(field);
      if (!r || typeof r.value !== 'string' || r.value.trim() === '') continue; // empty, or already an object
      if (!(r.column in row)) return { ok: false, reason: `field "${field}": a file name must come from a plain column, not "${r.column}"` };
      const name = r.value.trim();
      const path = insideDir(dir, name);
      if (!path) return { ok: false, reason: `field "${field}" (column "${r.column}"): file name ${JSON.stringify(name)} leaves the --files-dir folder` };
      let content: Buffer;
      try {
        content = await readFile(path);
      } catch (e) {
        return { ok: false, reason: `field "${field}" (column "${r.column}"): cannot read ${JSON.stringify(name)} in the --files-dir folder (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
      }
      const info = { filename: basename(path), mimetype: mimetypeOfName(path) };
      const stored = options.dryRun ? await store.describe(content, info) : await store.put(content, info);
      out ??= { ...row };
      out[r.column] = buildFileObject({ ...info, id: stored.id, image: stored.image });
    }
    return { ok: true, row: out ?? row };
  };
}
