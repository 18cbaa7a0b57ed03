/** Case 6 and the data load: OUR ingest (loadDataset) vs the bare bulk helper fed prebuilt documents. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@opensearch-project/opensearch';
import { createRecordsIndex } from '../src/datasets/index-admin';
import { indexNames } from '../src/datasets/index-names';
import { DocumentBuilder } from '../src/ingest/document-builder';
import { loadDataset } from '../src/ingest/load';
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

/** The bare bulk helper on `n` prebuilt documents (same mapping, flushBytes, concurrency) into a scratch index. */
export async function bareBulk(client: Client, n: number): Promise<{ rows: number; seconds: number }> {
  // The same index creation as a load (mapping, analyzers, refresh off), under a scratch dataset id.
  const { index: scratch } = await createRecordsIndex(client, indexNames(PREFIX), { ...DESCRIPTOR, datasetid: 'flights-bare-bulk' }, new Date(), { replicas: 0 });
  const builder = new DocumentBuilder(DESCRIPTOR, { recordTimestamp: new Date().toISOString() });
  const docs: RecordDocument[] = [];
  for await (const item of flightRows(n)) {
    const b = item.row ? builder.build(item.row) : undefined;
    if (b?.ok) docs.push(b.doc);
  }
  const t0 = process.hrtime.bigint();
  await client.helpers.bulk<RecordDocument>({
    datasource: docs,
    onDocument: (doc) => [{ create: { _index: scratch, _id: doc.recordid } }, doc],
    onDrop: () => undefined,
    flushBytes: 5_000_000,
    concurrency: 2,
    retries: 3,
    wait: 1000,
  });
  await client.indices.refresh({ index: scratch });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  await client.indices.delete({ index: scratch }).catch(() => undefined);
  return { rows: docs.length, seconds };
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
