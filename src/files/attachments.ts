/**
 * Dataset attachments and alternative exports stored in the file store. The descriptor lists them as
 * v1 does, `{id, title, mimetype, url: "odsfile://<name>"}`; the store maps `<name>` to the bytes for
 * that dataset (file-store.ts, `named/`). The ingest CLI's `--attach path[:title]` uses `attachFile`.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Attachment } from '../datasets/descriptor';
import type { FileStore } from './file-store';
import { mimetypeOfName } from './mime-types';

export const ODSFILE_SCHEME = 'odsfile://';

/** `odsfile://documentation.pdf` → `documentation.pdf`; undefined for any other URL. */
export function odsfileName(url: string): string | undefined {
  return url.startsWith(ODSFILE_SCHEME) ? url.slice(ODSFILE_SCHEME.length) : undefined;
}

/** A file name usable as `odsfile://<name>`: path dropped, other characters than [A-Za-z0-9_.-] → `_`. */
export function storeNameOf(path: string): string {
  const n = basename(path)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_.-]+/g, '_')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 150);
  return n === '' ? 'file' : n;
}

/** The attachment id ODS derives from the file name: `documentation.pdf` → `documentation_pdf`. */
export function attachmentIdOf(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 100);
}

/**
 * `--attach path[:title]`: the title follows the FIRST colon (titles may contain colons, as in
 * `report.pdf:Report: 2024`; paths with a colon are not supported); without one, the file name.
 */
export function parseAttachSpec(spec: string): { path: string; title: string } {
  const i = spec.indexOf(':');
  if (i <= 0) return { path: spec, title: basename(spec) };
  const title = spec.slice(i + 1).trim();
  return { path: spec.slice(0, i), title: title === '' ? basename(spec.slice(0, i)) : title };
}

/** Stores a local file as an attachment of the dataset and returns its descriptor entry. */
export async function attachFile(store: FileStore, datasetId: string, spec: string): Promise<Attachment> {
  const { path, title } = parseAttachSpec(spec);
  const content = await readFile(path);
  const name = storeNameOf(path);
  const mimetype = mimetypeOfName(name);
  await store.putNamed(datasetId, name, content, { filename: basename(path), mimetype });
  return { id: attachmentIdOf(name), title, mimetype, url: `${ODSFILE_SCHEME}${name}` };
}

/** Adds attachments to a list, replacing any with the same id (a re-attach updates in place). */
export function mergeAttachments(existing: readonly Attachment[], added: readonly Attachment[]): Attachment[] {
  const ids = new Set(added.map((a) => a.id));
  return [...existing.filter((a) => !ids.has(a.id)), ...added];
}
