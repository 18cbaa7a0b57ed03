/**
 * Opens a source file as an async iterable of `{line, row}` (or `{line, error}` for an item that is not
 * a row), whatever its format.
 */
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { SOURCE_FORMATS, type SourceFormat, type SourceRow, type SourceSpec } from '../types';
import { readCsv } from './csv';
import { readGeoJson, readJsonArray, readNdjson } from './json';
import { readParquet } from './parquet';

export { detectSeparator, readCsv, CSV_SEPARATORS } from './csv';
export { readGeoJson, readJsonArray, readNdjson } from './json';
export { readParquet, parquetMetadataOf } from './parquet';
export { JsonArraySplitter } from './json-splitter';

export function isSourceFormat(s: string): s is SourceFormat {
  return (SOURCE_FORMATS as readonly string[]).includes(s);
}

/** Peeks at the first bytes of a `.json` file: `[` → json, a FeatureCollection → geojson, `{` → ndjson. */
async function sniffJson(path: string): Promise<SourceFormat> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '').trimStart();
    if (head.startsWith('[')) return 'json';
    if (/"type"\s*:\s*"FeatureCollection"/.test(head) || /^\{\s*"features"\s*:/.test(head)) return 'geojson';
    return 'ndjson';
  } finally {
    await fh.close();
  }
}

/** The format from the extension (csv, tsv, txt, json, ndjson, jsonl, geojson, parquet). */
export async function detectFormat(path: string): Promise<SourceFormat> {
  const ext = extname(path).toLowerCase();
  switch (ext) {
    case '.csv':
    case '.tsv':
    case '.txt':
      return 'csv';
    case '.ndjson':
    case '.jsonl':
      return 'ndjson';
    case '.geojson':
      return 'geojson';
    case '.parquet':
    case '.pq':
      return 'parquet';
    case '.json':
      return sniffJson(path);
    default:
      throw new Error(`Cannot tell the format of ${path} from its extension; give it with --format (${SOURCE_FORMATS.join(', ')})`);
  }
}

/** Checks the file exists and is readable, with a clear message otherwise. */
export async function checkSourceFile(path: string): Promise<{ size: number; mtimeMs: number }> {
  let s;
  try {
    s = await stat(path);
  } catch {
    throw new Error(`Source file not found: ${path}`);
  }
  if (!s.isFile()) throw new Error(`Source is not a file: ${path}`);
  return { size: s.size, mtimeMs: s.mtimeMs };
}

export async function resolveFormat(spec: SourceSpec): Promise<SourceFormat> {
  return spec.format ?? (await detectFormat(spec.path));
}

/** The rows of a source file. The separator only applies to CSV. */
export function readSource(path: string, format: SourceFormat, options: { separator?: string } = {}): AsyncIterable<SourceRow> {
  switch (format) {
    case 'csv':
      return readCsv(path, options.separator !== undefined ? { separator: options.separator } : {});
    case 'json':
      return readJsonArray(path);
    case 'ndjson':
      return readNdjson(path);
    case 'geojson':
      return readGeoJson(path);
    case 'parquet':
      return readParquet(path);
  }
}
