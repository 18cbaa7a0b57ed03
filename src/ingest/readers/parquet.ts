/**
 * Parquet with hyparquet (+ hyparquet-compressors for ZSTD, gzip, brotli, LZ4), one row group at a time so
 * that memory stays bounded by the largest row group, not the file. `line` = 1-based row index.
 *
 * Values: int64 arrives as BigInt → number (a string beyond 2^53); DATE → "YYYY-MM-DD"; a TIMESTAMP
 * adjusted to UTC → ISO instant; a local TIMESTAMP (isAdjustedToUTC false) → ISO without offset, so that
 * the descriptor's timezone applies.
 */
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import type { Compressors, FileMetaData, SchemaElement } from 'hyparquet';
import type { Row, SourceRow } from '../types';

// Loaded on first use: hyparquet and its compressors are ESM, and most users of this module never read
// Parquet (jest, in particular, cannot load hysnappy's ESM unless told to transform it).
type Hyparquet = typeof import('hyparquet');
let hyparquetModule: Hyparquet | undefined;
function hyparquet(): Hyparquet {
  hyparquetModule ??= require('hyparquet') as Hyparquet;
  return hyparquetModule;
}

let compressorsCache: Compressors | undefined;
/**
 * hyparquet-compressors (ZSTD, GZIP, BROTLI, LZ4, SNAPPY via wasm). Where it cannot be required (jest
 * without an ESM transform for hysnappy), the same codecs from CommonJS pieces: fzstd (its ZSTD),
 * node:zlib (GZIP, BROTLI), hyparquet's built-in SNAPPY; LZ4 is then unavailable.
 */
export function parquetCompressors(): Compressors {
  if (compressorsCache) return compressorsCache;
  try {
    compressorsCache = (require('hyparquet-compressors') as { compressors: Compressors }).compressors;
  } catch {
    const { decompress } = require('fzstd') as { decompress: (input: Uint8Array) => Uint8Array };
    compressorsCache = {
      ZSTD: (input: Uint8Array) => decompress(input),
      GZIP: (input: Uint8Array) => new Uint8Array(gunzipSync(input)),
      BROTLI: (input: Uint8Array) => new Uint8Array(brotliDecompressSync(input)),
    } as Compressors;
  }
  return compressorsCache;
}

type DateKind = 'date' | 'local' | 'utc';

function dateKinds(schema: SchemaElement[]): Map<string, DateKind> {
  const out = new Map<string, DateKind>();
  // only top-level columns: the root is schema[0], its children follow (nested groups are skipped)
  for (const el of schema.slice(1)) {
    const lt = el.logical_type;
    if (el.converted_type === 'DATE' || lt?.type === 'DATE') out.set(el.name, 'date');
    else if (lt?.type === 'TIMESTAMP') out.set(el.name, lt.isAdjustedToUTC ? 'utc' : 'local');
    else if (el.converted_type === 'TIMESTAMP_MILLIS' || el.converted_type === 'TIMESTAMP_MICROS' || el.type === 'INT96') out.set(el.name, 'utc');
  }
  return out;
}

function convertValue(v: unknown, kind: DateKind | undefined): unknown {
  if (typeof v === 'bigint') {
    return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString();
  }
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return null;
    const iso = v.toISOString();
    if (kind === 'date') return iso.slice(0, 10);
    if (kind === 'local') return iso.slice(0, -1);
    return iso;
  }
  return v;
}

export async function parquetMetadataOf(path: string): Promise<FileMetaData> {
  const { parquetMetadataAsync, asyncBufferFromFile } = hyparquet();
  return parquetMetadataAsync(await asyncBufferFromFile(path));
}

export async function* readParquet(path: string): AsyncGenerator<SourceRow> {
  const { parquetMetadataAsync, parquetReadObjects, asyncBufferFromFile } = hyparquet();
  const compressors = parquetCompressors();
  const file = await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file);
  const kinds = dateKinds(metadata.schema);
  let start = 0;
  for (const group of metadata.row_groups) {
    const end = start + Number(group.num_rows);
    let rows: Row[] | undefined = (await parquetReadObjects({ file, metadata, compressors, rowStart: start, rowEnd: end })) as Row[];
    for (let i = 0; i < rows.length; i += 1) {
      const row = rows[i] as Row;
      for (const k of Object.keys(row)) row[k] = convertValue(row[k], kinds.get(k));
      yield { line: start + i + 1, row };
    }
    rows = undefined;
    start = end;
  }
}
