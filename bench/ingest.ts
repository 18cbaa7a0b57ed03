/** Case 6 and the data loads: OUR ingest (loadDataset) vs the bare bulk helper fed prebuilt documents. */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import type { Client } from '@opensearch-project/opensearch';
import { createRecordsIndex } from '../src/datasets/index-admin';
import { indexNames } from '../src/datasets/index-names';
import { DocumentBuilder } from '../src/ingest/document-builder';
import { INGEST_LAYOUT_VERSION } from '../src/ingest/fingerprint';
import { loadDataset } from '../src/ingest/load';
import { canonicalJson } from '../src/ingest/record-id';
import { loadSample } from '../src/ingest/samples';
import type { RecordDocument } from '../src/ingest/types';
import { DATASET_ID, DESCRIPTOR, flightRows } from './flights';

export const PREFIX = 'odsbench';
export const ALIAS = indexNames(PREFIX).recordsAlias(DATASET_ID);
const STATE = join(__dirname, '..', '..', 'bench-load.json'); // .local/bench-load.json

export interface LoadInfo { rows: number; count: number; seconds: number; reused: boolean }

async function aliasCount(client: Client): Promise<number> {
  try {
    return Number((await client.count({ index: ALIAS })).body.count);
  } catch {
    return -1;
  }
}

/** Loads BENCH_ROWS rows through loadDataset unless the alias already holds what the last load left. */
export async function ensureLoaded(client: Client, rows: number, log: (s: string) => void): Promise<LoadInfo> {
  if (existsSync(STATE)) {
    const s = JSON.parse(readFileSync(STATE, 'utf8')) as LoadInfo;
    if (s.rows === rows && (await aliasCount(client)) === s.count) return { ...s, reused: true };
  }
  log(`loading ${rows} rows through loadDataset (index prefix ${PREFIX})…`);
  const r = await loadDataset({
    client,
    names: indexNames(PREFIX),
    datasetId: DATASET_ID,
    source: { rows: flightRows(rows), format: 'parquet', name: 'flights-3m.parquet' },
    descriptor: DESCRIPTOR,
    replicas: 0,
    rejectsPath: join(__dirname, '..', '..', 'bench-rejects.ndjson'),
  });
  const info: LoadInfo = { rows, count: r.rowsLoaded, seconds: r.seconds, reused: false };
  mkdirSync(join(STATE, '..'), { recursive: true });
  writeFileSync(STATE, JSON.stringify(info));
  log(`loaded ${r.rowsLoaded} records (${r.rowsRead} read, ${r.duplicates} merged duplicates, ${r.rowsRejected} rejected) in ${r.seconds.toFixed(1)} s`);
  return info;
}

/**
 * The documents of the first `n` rows, built by our DocumentBuilder once and kept as NDJSON in .local
 * (reused by later runs: the name carries a hash of the descriptor and the document layout), so that the
 * bare side reads prebuilt documents with bounded memory (3M documents held as objects would take ~1.5 GB
 * of heap, and its garbage collections would slow the baseline down).
 */
export async function prebuiltDocuments(n: number, log: (s: string) => void): Promise<string> {
  const tag = createHash('sha1').update(canonicalJson({ DESCRIPTOR, INGEST_LAYOUT_VERSION, n })).digest('hex').slice(0, 10);
  const path = join(__dirname, '..', '..', `bench-docs-${tag}.ndjson`);
  if (existsSync(`${path}.done`)) return path;
  log(`building ${n} documents for the bare bulk baseline (untimed, once: ${path})…`);
  const builder = new DocumentBuilder(DESCRIPTOR, { recordTimestamp: new Date().toISOString() });
  const out = createWriteStream(path);
  for await (const item of flightRows(n)) {
    const b = item.row ? builder.build(item.row) : undefined;
    if (b?.ok && !out.write(`${JSON.stringify(b.doc)}\n`)) await once(out, 'drain');
  }
  out.end();
  await finished(out);
  writeFileSync(`${path}.done`, '');
  return path;
}

/**
 * The bare bulk helper (same flushBytes and concurrency as a load) fed the prebuilt documents of
 * `path` (one JSON.parse each, read as they are sent) into an index created as a load creates it.
 * Timed from the first document read to the end of the refresh.
 */
export async function bareBulk(client: Client, path: string): Promise<{ rows: number; seconds: number }> {
  const { index: scratch } = await createRecordsIndex(client, indexNames(PREFIX), { ...DESCRIPTOR, datasetid: 'flights-bare-bulk' }, new Date());
  let rows = 0;
  async function* documents(): AsyncGenerator<RecordDocument> {
    for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
      if (line === '') continue;
      rows += 1;
      yield JSON.parse(line) as RecordDocument;
    }
  }
  const t0 = process.hrtime.bigint();
  try {
    await client.helpers.bulk<RecordDocument>({
      datasource: documents(),
      onDocument: (doc) => [{ create: { _index: scratch, _id: doc.recordid } }, doc],
      onDrop: () => undefined,
      flushBytes: 5_000_000,
      concurrency: 2,
      retries: 3,
      wait: 1000,
    });
    await client.indices.refresh({ index: scratch });
    return { rows, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
  } finally {
    await client.indices.delete({ index: scratch }).catch(() => undefined);
  }
}

/**
 * Waits until OpenSearch merges nothing (after a load, background merges would slow down whichever
 * side is measured first), at most `maxSeconds`.
 */
export async function settle(client: Client, log: (s: string) => void, maxSeconds = 600): Promise<void> {
  await client.indices.refresh();
  const began = Date.now();
  for (let said = false; Date.now() - began < maxSeconds * 1000; said = true) {
    const stats = (await client.nodes.stats({ metric: ['indices'], index_metric: ['merge'] })).body as { nodes: Record<string, { indices: { merges: { current: number } } }> };
    const current = Object.values(stats.nodes).reduce((a, n) => a + n.indices.merges.current, 0);
    if (current === 0) return;
    if (!said) log(`waiting for ${current} OpenSearch merge(s) to finish…`);
    await new Promise((r) => setTimeout(r, 2000));
  }
  log(`merges still running after ${maxSeconds} s; measuring anyway`);
}

/** geonames-cities (135,233 cities) under the bench prefix, through the sample loader (skipped when loaded). */
export async function ensureGeonames(client: Client, log: (s: string) => void): Promise<number> {
  const r = await loadSample('geonames-cities', { client, names: indexNames(PREFIX), skipUnchanged: true, replicas: 0 });
  if (r.skipped) return r.records;
  log(`loaded geonames-cities: ${r.result.rowsLoaded} records in ${r.result.seconds.toFixed(0)} s`);
  return r.result.rowsLoaded;
}

/** Our ingest timed on the same first `n` rows, into a separate dataset id (deleted after). */
export async function oursOnSample(client: Client, n: number): Promise<{ rows: number; seconds: number }> {
  const names = indexNames(PREFIX);
  const id = 'flights-ingest-sample';
  const r = await loadDataset({
    client,
    names,
    datasetId: id,
    source: { rows: flightRows(n), format: 'parquet' },
    descriptor: { ...DESCRIPTOR, datasetid: id },
    replicas: 0,
    rejectsPath: join(__dirname, '..', '..', 'bench-rejects-sample.ndjson'),
  });
  await client.indices.delete({ index: `${names.recordsAlias(id)}*` }).catch(() => undefined);
  await client.delete({ index: names.catalogIndex, id }).catch(() => undefined);
  return { rows: r.rowsRead, seconds: r.seconds };
}
