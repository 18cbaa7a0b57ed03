/**
 * Loads a dataset: source rows → documents → a NEW index → alias swap → catalog doc → old versions
 * deleted. Readers never see a half-loaded dataset: until the swap they read the previous index, and a
 * load that fails before the swap deletes its index and leaves the alias where it was.
 *
 *   const r = await loadDataset({ client, names, datasetId: 'movies', source: { path: 'movies.json' }, descriptor });
 *   console.log(formatSummary(r));
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Client } from '@opensearch-project/opensearch';
import { DateTime } from 'luxon';
import { buildCatalogDoc } from './catalog-doc';
import type { Attachment, DatasetDescriptor } from '../datasets/descriptor';
import {
  createRecordsIndex,
  deleteIndexQuietly,
  deleteOldVersions,
  ensureCatalogIndex,
  countIndex,
  finishLoad,
  flushIndices,
  swapAlias,
  upsertCatalogDoc,
} from '../datasets/index-admin';
import type { IndexNames } from '../datasets/index-names';
import { acquireLoadLease, deleteOrphanIndices, type LoadLease } from '../datasets/orphans';
import { DocumentBuilder } from './document-builder';
import { DEFAULT_INFER_SAMPLE, inferDescriptor } from './infer';
import { silentProgress, type ProgressReporter } from './progress';
import { checkSourceFile, parquetMetadataOf, readSource, resolveFormat } from './readers';
import { RejectsWriter } from './rejects';
import type { RecordDocument, Row, SourceFormat, SourceRow, SourceSpec } from './types';

/** Rows from anywhere (tests: a source that fails half-way). */
export interface RowsSource {
  rows: AsyncIterable<SourceRow>;
  format?: SourceFormat;
  /** Shown in messages instead of a path. */
  name?: string;
}

/**
 * Hooks around the alias swap (push and multimedia): src/push/reload-hooks.ts replays the push
 * backup into the new index before the swap, and the tail pushed meanwhile after it, so that a reload
 * loses no pushed record (docs/push-and-multimedia.md).
 */
export interface LoadSwapHooks {
  beforeSwap(ctx: { client: Client; index: string; descriptor: DatasetDescriptor }): Promise<void>;
  afterSwap(ctx: { client: Client; alias: string; index: string; descriptor: DatasetDescriptor }): Promise<void>;
}

/** A row rewritten before it is built, or rejected with a reason (ingest --files-dir, src/files/file-columns.ts). */
export type RowPreparer = (row: Row) => Promise<{ ok: true; row: Row } | { ok: false; reason: string }>;

export interface LoadDatasetOptions {
  /** Not needed for a dry run. */
  client?: Client;
  names: IndexNames;
  datasetId: string;
  source: SourceSpec | RowsSource;
  /** Without one, the descriptor is inferred from the first `inferSampleSize` rows. */
  descriptor?: DatasetDescriptor;
  inferSampleSize?: number;
  /** Writes the descriptor used (inferred or given) as JSON, for the publisher to edit. */
  writeDescriptorPath?: string;
  /** Default: `.local/rejects/<dataset>.<version>.ndjson`, created only when a row is rejected. */
  rejectsPath?: string;
  /** number_of_replicas of the new index and the catalog; default auto_expand_replicas 0-1 (mapping.ts). */
  replicas?: number;
  /** Keep the index the alias pointed to before this load (default: delete every older version). */
  keepPrevious?: boolean;
  /** Read and check every row, write rejects, but touch no index. */
  dryRun?: boolean;
  /**
   * Publish even when rows were rejected (default true). False (the CLI without --accept-rejects): a load
   * with rejects is abandoned before the alias swap (the result says `abandoned: 'rejects'`); readers keep the old data.
   */
  acceptRejects?: boolean;
  /** Stored in the catalog doc's `ingest.fingerprint`. */
  fingerprint?: string;
  /** Abandon the load when OpenSearch rejects more documents than this (default 1000). */
  maxBulkFailures?: number;
  flushBytes?: number;
  concurrency?: number;
  progress?: ProgressReporter;
  /** Warnings and notes (one line each). */
  log?: (line: string) => void;
  now?: () => Date;
  // ---- push & multimedia (docs/push-and-multimedia.md) ----
  /** Makes the row preparer from the descriptor used (ingest --files-dir: file names → stored file objects). */
  prepareRow?: (descriptor: DatasetDescriptor) => RowPreparer;
  /** Attachments added to the descriptor (ingest --attach), replacing any with the same id. */
  attachments?: Attachment[];
  /** Called around the alias swap (push backup replay). */
  swapHooks?: LoadSwapHooks;
  /**
   * Called right after the alias swap and again once the tail of pushes is replayed: the gateway's
   * response cache starts a new generation of the dataset (src/cache/generations.ts).
   */
  onSwapped?: (datasetId: string) => Promise<void>;
}

export interface LoadResult {
  datasetId: string;
  alias: string;
  /** The new index (undefined for a dry run). */
  index?: string;
  version?: string;
  /** Indices the alias pointed to before. */
  previousIndices: string[];
  deletedIndices: string[];
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  /**
   * Rows merged with an earlier row of the same recordid (identical content, or same id fields): not
   * rejects; the first one is kept. Not included in rowsLoaded nor rowsRejected.
   */
  duplicates: number;
  /** Source lines of the first duplicates (at most 10). */
  duplicateLines: number[];
  seconds: number;
  rowsPerSecond: number;
  rejectsPath?: string;
  ignoredColumns: string[];
  descriptor: DatasetDescriptor;
  loadTime: string;
  peakRssBytes: number;
  dryRun: boolean;
  /** Set when the load was not published: rows were rejected and `acceptRejects` was false. */
  abandoned?: 'rejects';
}

export class LoadError extends Error {
  override readonly name = 'LoadError';
}

/** Why a load abandoned for its rejects was not published (the CLI prints it). */
export function rejectsMessage(result: LoadResult): string {
  return (
    `${result.rowsRejected} row${result.rowsRejected > 1 ? 's' : ''} rejected (see ${result.rejectsPath ?? 'the rejects file'}); ` +
    `the dataset was not published: fix them, or accept the rejects to publish the ${result.rowsRead - result.rowsRejected} valid rows`
  );
}

/**
 * recordid → source line of the documents OpenSearch may still reject (only recent ones can be in
 * flight: at most `concurrency + 1` bulk bodies). Two generations of maps, swapped when the newer one is
 * full, keep memory bounded in O(1) per document (deleting the oldest keys of one big Map one by one
 * degrades to O(n²): V8 scans the deleted slots at its front on every keys().next()).
 */
class RecentLines {
  private current = new Map<string, number>();
  private previous = new Map<string, number>();
  constructor(private readonly generation = 250_000) {}
  set(id: string, line: number): void {
    this.current.set(id, line);
    if (this.current.size >= this.generation) {
      this.previous = this.current;
      this.current = new Map();
    }
  }
  get(id: string): number | undefined {
    return this.current.get(id) ?? this.previous.get(id);
  }
}

function isRowsSource(s: SourceSpec | RowsSource): s is RowsSource {
  return (s as RowsSource).rows !== undefined;
}

/** Reads the first `n` items, then yields them again followed by the rest: inference without a second pass. */
async function peek(rows: AsyncIterable<SourceRow>, n: number): Promise<{ head: SourceRow[]; all: AsyncIterable<SourceRow> }> {
  const it = rows[Symbol.asyncIterator]();
  const head: SourceRow[] = [];
  let done = false;
  while (head.length < n) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    head.push(r.value);
  }
  async function* all(): AsyncGenerator<SourceRow> {
    yield* head;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  return { head, all: all() };
}

function dropReason(status: number, error: { type?: string; reason?: string; caused_by?: { type?: string; reason?: string } } | null): string {
  if (!error) return `OpenSearch rejected the document (status ${status}, retries exhausted)`;
  const cause = error.caused_by?.reason ? ` (${error.caused_by.type ?? 'cause'}: ${error.caused_by.reason})` : '';
  return `OpenSearch rejected the document: ${error.type ?? status}: ${error.reason ?? ''}${cause}`;
}

/** Step 1: where the rows come from. */
interface OpenedSource {
  rows: AsyncIterable<SourceRow>;
  format: SourceFormat | undefined;
  name: string;
  /** Known up front for Parquet (progress bar). */
  totalRows: number | undefined;
}

async function openSource(source: SourceSpec | RowsSource): Promise<OpenedSource> {
  if (isRowsSource(source)) return { rows: source.rows, format: source.format, name: source.name ?? 'rows', totalRows: undefined };
  await checkSourceFile(source.path);
  const format = await resolveFormat(source);
  const rows = readSource(source.path, format, source.separator !== undefined ? { separator: source.separator } : {});
  const totalRows = format === 'parquet' ? Number((await parquetMetadataOf(source.path)).num_rows) : undefined;
  return { rows, format, name: source.path, totalRows };
}

/** Step 2: the descriptor, given or inferred from the first rows (which are then read again). */
async function resolveDescriptor(options: LoadDatasetOptions, source: OpenedSource, log: (line: string) => void): Promise<{ descriptor: DatasetDescriptor; rows: AsyncIterable<SourceRow> }> {
  let descriptor: DatasetDescriptor;
  let rows = source.rows;
  if (options.descriptor) {
    descriptor = options.descriptor;
    if (descriptor.datasetid !== options.datasetId) {
      log(`note: the descriptor is for "${descriptor.datasetid}"; loading it as dataset "${options.datasetId}"`);
      descriptor = { ...descriptor, datasetid: options.datasetId };
    }
  } else {
    const { head, all } = await peek(rows, options.inferSampleSize ?? DEFAULT_INFER_SAMPLE);
    rows = all;
    const sample = head.flatMap((r) => (r.row ? [r.row] : []));
    if (sample.length === 0) throw new LoadError(`Cannot infer a descriptor from ${source.name}: no readable row in the first ${head.length} items`);
    descriptor = inferDescriptor(sample, {
      datasetId: options.datasetId,
      ...(source.format ? { format: source.format } : {}),
      ...(!isRowsSource(options.source) ? { sourcePath: options.source.path } : {}),
      ...(!isRowsSource(options.source) && options.source.separator ? { separator: options.source.separator } : {}),
    });
    log(`inferred ${descriptor.fields.length} fields from ${sample.length} rows: ${descriptor.fields.map((f) => `${f.name} (${f.type})`).join(', ')}`);
  }
  if (options.attachments && options.attachments.length > 0) {
    // ingest --attach: the files are in the file store already; the descriptor lists them.
    const ids = new Set(options.attachments.map((a) => a.id));
    descriptor = { ...descriptor, attachments: [...descriptor.attachments.filter((a) => !ids.has(a.id)), ...options.attachments] };
  }
  if (options.writeDescriptorPath) {
    await mkdir(dirname(resolve(options.writeDescriptorPath)), { recursive: true });
    await writeFile(options.writeDescriptorPath, `${JSON.stringify(descriptor, null, 2)}\n`);
    log(`descriptor written to ${options.writeDescriptorPath}`);
  }
  return { descriptor, rows };
}

/** What the documents stream counted; read once the stream is consumed. */
interface RowCounts {
  rowsRead: number;
  accepted: number;
  /** What the source threw, kept so that the bulk helper ends its requests in flight first. */
  sourceError: unknown;
}

/** Rows → documents: each row built (or rejected with its line and reason), counted, and its line remembered. */
function documentStream(
  rows: AsyncIterable<SourceRow>,
  builder: DocumentBuilder,
  prepare: RowPreparer | undefined,
  rejects: RejectsWriter,
  progress: ProgressReporter,
  lineOf: RecentLines | undefined,
): { documents: AsyncGenerator<RecordDocument>; counts: RowCounts } {
  const counts: RowCounts = { rowsRead: 0, accepted: 0, sourceError: undefined };
  async function* documents(): AsyncGenerator<RecordDocument> {
    try {
      for await (const item of rows) {
        counts.rowsRead += 1;
        if (item.row === undefined) {
          await rejects.write({ line: item.line, reason: item.error, row: item.raw ?? null });
        } else {
          // --files-dir: file names become stored v1 file objects before the row is built.
          const prepared = prepare ? await prepare(item.row) : ({ ok: true, row: item.row } as const);
          const r = prepared.ok ? builder.build(prepared.row) : prepared;
          if (!r.ok) {
            await rejects.write({ line: item.line, reason: r.reason, row: item.row });
          } else {
            counts.accepted += 1;
            lineOf?.set(r.doc.recordid, item.line);
            yield r.doc;
          }
        }
        progress.update(counts.rowsRead, rejects.count);
      }
    } catch (e) {
      // Ending the iteration normally lets the bulk helper finish the requests in flight before the
      // index is deleted (a request arriving after the delete would re-create it with a dynamic mapping).
      counts.sourceError = e;
    }
  }
  return { documents: documents(), counts };
}

/** Step 3's result: a new index holding every accepted document (not yet visible to readers). */
interface IndexedLoad {
  index: string;
  version: string;
  /** Documents in the new index. */
  count: number;
  dropped: number;
  duplicates: number;
  duplicateLines: number[];
}

/** Step 3: the documents, bulk-indexed into a new index. Throws (after deleting nothing) on failure. */
async function bulkIntoNewIndex(
  client: Client,
  options: LoadDatasetOptions,
  descriptor: DatasetDescriptor,
  now: Date,
  stream: { documents: AsyncGenerator<RecordDocument>; counts: RowCounts },
  lineOf: RecentLines,
  rejects: RejectsWriter,
  log: (line: string) => void,
  created: (index: string) => void,
): Promise<IndexedLoad> {
  const { index, version } = await createRecordsIndex(client, options.names, descriptor, now);
  created(index);
  const maxFailures = options.maxBulkFailures ?? 1000;
  let tooManyFailures = false;
  let dropped = 0;
  let duplicates = 0;
  const duplicateLines: number[] = [];
  const helper = client.helpers.bulk<RecordDocument>({
    datasource: stream.documents,
    onDocument: (doc) => [{ create: { _index: index, _id: doc.recordid } }, doc],
    onDrop: (d) => {
      dropped += 1;
      const doc = d.document as RecordDocument | null;
      const line = lineOf.get(doc?.recordid ?? '') ?? 0;
      if (d.status === 409) {
        // the index is new: a conflict can only be a second row with the same recordid
        duplicates += 1;
        if (duplicateLines.length < 10) duplicateLines.push(line);
        return;
      }
      rejects.writeNow({ line, reason: dropReason(d.status, d.error), row: doc });
      if (dropped - duplicates > maxFailures && !tooManyFailures) {
        tooManyFailures = true;
        helper.abort();
      }
    },
    flushBytes: options.flushBytes ?? 5_000_000,
    concurrency: options.concurrency ?? 2,
    retries: 3,
    wait: 1000,
  });
  await helper;
  if (stream.counts.sourceError !== undefined) throw stream.counts.sourceError;
  if (tooManyFailures) throw new LoadError(`OpenSearch rejected more than ${maxFailures} documents; the load is abandoned (see the rejects file ${rejects.path})`);
  const count = await finishLoad(client, index, { ...(options.replicas !== undefined ? { replicas: options.replicas } : {}), log });
  if (count !== stream.counts.accepted - dropped) {
    throw new LoadError(`The new index holds ${count} records but ${stream.counts.accepted - dropped} were accepted; the load is abandoned`);
  }
  return { index, version, count, dropped, duplicates, duplicateLines };
}

/** Step 4: readers see the new index; the catalog says so; older versions go. */
async function publish(
  client: Client,
  options: LoadDatasetOptions,
  descriptor: DatasetDescriptor,
  indexed: IndexedLoad,
  ingest: { loadTime: string; rowsRead: number; rowsRejected: number },
  swapped: () => void,
): Promise<{ previousIndices: string[]; deletedIndices: string[] }> {
  const { names, datasetId } = options;
  const { index, version, count } = indexed;
  // Push replay (src/push/reload-hooks.ts): the pushed records go into the new index before readers
  // see it; the catalog's records_count then counts them too.
  let recordsCount = count;
  if (options.swapHooks) {
    await options.swapHooks.beforeSwap({ client, index, descriptor });
    recordsCount = await countIndex(client, index);
  }
  const previousIndices = await swapAlias(client, names, datasetId, index);
  swapped(); // from here on, readers may use the new index: a failure must not delete it
  // The response cache's generation (src/cache/generations.ts): no answer cached before the swap is served after it.
  await options.onSwapped?.(datasetId);
  await upsertCatalogDoc(
    client,
    names,
    buildCatalogDoc({
      descriptor,
      recordsCount,
      loadTime: ingest.loadTime,
      ingest: {
        ...(options.fingerprint ? { fingerprint: options.fingerprint } : {}),
        index,
        version,
        rows_read: ingest.rowsRead,
        rows_loaded: count,
        rows_rejected: ingest.rowsRejected,
        loaded_at: ingest.loadTime,
      },
    }),
  );
  // Push replay, second part: what was pushed between the first replay and the swap.
  await options.swapHooks?.afterSwap({ client, alias: names.recordsAlias(datasetId), index, descriptor });
  if (options.swapHooks) await options.onSwapped?.(datasetId);
  const deletedIndices = await deleteOldVersions(client, names, datasetId, index, options.keepPrevious ? previousIndices : []);
  // The records index was flushed by finishLoad; the catalog document (and replayed pushes) now too.
  await flushIndices(client, [names.catalogIndex, index]);
  return { previousIndices, deletedIndices };
}

/**
 * Loads a dataset in four named steps: open the source → the descriptor → bulk into a new index →
 * publish. Rows rejected while `acceptRejects` is false are a result, not an exception: the new
 * index is deleted before any reader sees it and the result says `abandoned: 'rejects'`. Failures
 * (OpenSearch, the source, too many refused documents) throw, after deleting the new index.
 */
export async function loadDataset(options: LoadDatasetOptions): Promise<LoadResult> {
  const log = options.log ?? (() => {});
  const progress = options.progress ?? silentProgress;
  const started = Date.now();
  const now = (options.now ?? (() => new Date()))();
  const loadTime = DateTime.fromJSDate(now, { zone: 'UTC' }).toISO() as string;
  const names = options.names;
  let peakRss = process.memoryUsage.rss();
  const rssTimer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 250);
  rssTimer.unref();

  const source = await openSource(options.source);
  const { descriptor, rows } = await resolveDescriptor(options, source, log);
  const builder = new DocumentBuilder(descriptor, { recordTimestamp: loadTime });
  const prepare = options.prepareRow?.(descriptor); // ingest --files-dir
  const rejects = options.rejectsPath
    ? new RejectsWriter(options.rejectsPath, { eager: true })
    : new RejectsWriter(resolve('.local', 'rejects', `${options.datasetId}.${loadTime.replace(/[^0-9]/g, '').slice(0, 17)}.ndjson`));
  const lineOf = new RecentLines();
  const stream = documentStream(rows, builder, prepare, rejects, progress, options.dryRun ? undefined : lineOf);

  progress.start(options.datasetId, source.totalRows);
  let indexed: IndexedLoad | undefined;
  let published: { previousIndices: string[]; deletedIndices: string[] } | undefined;
  let abandoned: 'rejects' | undefined;
  let lease: LoadLease | undefined;
  let newIndex: string | undefined;
  let swapped = false;
  const client = options.client;
  try {
    if (options.dryRun) {
      for await (const _doc of stream.documents) {
        // documents are built and checked, not sent
      }
      if (stream.counts.sourceError !== undefined) throw stream.counts.sourceError;
    } else {
      if (!client) throw new LoadError('loadDataset needs an OpenSearch client (or dryRun)');
      // The lease tells other processes this load is alive (src/datasets/orphans.ts); then the indices
      // that loads killed before their swap, of any dataset, are deleted.
      lease = await acquireLoadLease(client, names, options.datasetId, now);
      const orphans = await deleteOrphanIndices(client, names);
      if (orphans.length > 0) log(`deleted ${orphans.length} ${orphans.length > 1 ? 'indices' : 'index'} left by interrupted loads: ${orphans.join(', ')}`);
      await ensureCatalogIndex(client, names, options.replicas !== undefined ? { replicas: options.replicas } : {});
      indexed = await bulkIntoNewIndex(client, options, descriptor, now, stream, lineOf, rejects, log, (index) => (newIndex = index));
      if (options.acceptRejects === false && rejects.count > 0) {
        abandoned = 'rejects';
        await deleteIndexQuietly(client, indexed.index).catch((err: unknown) => log(`could not delete the abandoned index ${indexed?.index}: ${(err as Error).message}`));
      } else {
        published = await publish(client, options, descriptor, indexed, { loadTime, rowsRead: stream.counts.rowsRead, rowsRejected: rejects.count }, () => (swapped = true));
      }
    }
  } catch (e) {
    if (client && newIndex !== undefined && !swapped) {
      await deleteIndexQuietly(client, newIndex).catch((err: unknown) => log(`could not delete the abandoned index ${newIndex}: ${(err as Error).message}`));
    }
    throw e;
  } finally {
    progress.stop();
    clearInterval(rssTimer);
    await rejects.close();
    await lease?.release().catch((err: unknown) => log(`could not release the load lease: ${(err as Error).message}`));
  }

  const duplicates = indexed?.duplicates ?? 0;
  const duplicateLines = indexed?.duplicateLines ?? [];
  const ignored = builder.ignoredColumns();
  if (duplicates > 0) {
    log(
      `note: ${duplicates} row${duplicates > 1 ? 's' : ''} had the same recordid as an earlier row (identical values, or same id fields) and ${duplicates > 1 ? 'were' : 'was'} merged into it; ` +
        `first at line${duplicateLines.length > 1 ? 's' : ''} ${duplicateLines.join(', ')}`,
    );
  }
  if (ignored.length > 0) log(`warning: ignored source column${ignored.length > 1 ? 's' : ''} that feed no field of the descriptor: ${ignored.join(', ')}`);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  const seconds = (Date.now() - started) / 1000;
  const { rowsRead, accepted } = stream.counts;
  return {
    datasetId: options.datasetId,
    alias: names.recordsAlias(options.datasetId),
    ...(published && indexed ? { index: indexed.index, version: indexed.version } : {}),
    previousIndices: published?.previousIndices ?? [],
    deletedIndices: published?.deletedIndices ?? [],
    rowsRead,
    rowsLoaded: published ? accepted - (indexed?.dropped ?? 0) : 0,
    rowsRejected: rejects.count,
    duplicates,
    duplicateLines,
    seconds,
    rowsPerSecond: rowsRead / Math.max(seconds, 0.001),
    ...(rejects.created ? { rejectsPath: rejects.path } : {}),
    ignoredColumns: ignored,
    descriptor,
    loadTime,
    peakRssBytes: peakRss,
    dryRun: options.dryRun === true,
    ...(abandoned ? { abandoned } : {}),
  };
}

export function formatSummary(r: LoadResult): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  const what = r.dryRun ? `${n(r.rowsRead - r.rowsRejected)} valid (dry run)` : `${n(r.rowsLoaded)} loaded`;
  const target = r.dryRun ? '' : ` → ${r.index ?? '?'} (alias ${r.alias})`;
  const rejected = r.rowsRejected > 0 ? `${n(r.rowsRejected)} rejected (${r.rejectsPath ?? 'no rejects file'})` : '0 rejected';
  const merged = r.duplicates > 0 ? `, ${n(r.duplicates)} duplicates merged` : '';
  return `${r.datasetId}: ${n(r.rowsRead)} rows read, ${what}${merged}, ${rejected} in ${r.seconds.toFixed(1)} s (${n(Math.round(r.rowsPerSecond))} rows/s, peak RSS ${Math.round(r.peakRssBytes / 1048576)} MB)${target}`;
}
