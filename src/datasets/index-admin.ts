/**
 * Index administration for dataset loads: versioned record indices behind an alias, the atomic alias
 * swap, cleanup of old versions, the catalog index and its documents. Everything that creates or deletes
 * an index goes through here; names come from IndexNames only (never from a user string).
 *
 * A load: createRecordsIndex(v) (no replica, no refresh) → bulk → finishLoad(v) (refresh_interval back
 * to 1s, refresh, flush, replicas, wait for them, count) → swapAlias(v) (one `_aliases` call: readers see the old index, then the new one, never nothing)
 * → upsertCatalogDoc → deleteOldVersions. On failure: deleteIndexQuietly(v); the alias never moved.
 */
import type { Client } from '@opensearch-project/opensearch';
import { buildCatalogIndexBody, buildIndexBody, replicaSettings, type IndexBodyOptions } from './mapping';
import type { DatasetDescriptor } from './descriptor';
import type { IndexNames } from './index-names';
import type { CatalogDoc } from './catalog-doc';

function statusOf(e: unknown): number | undefined {
  return (e as { meta?: { statusCode?: number }; statusCode?: number }).statusCode ?? (e as { meta?: { statusCode?: number } }).meta?.statusCode;
}

function errorTypeOf(e: unknown): string | undefined {
  const body = (e as { meta?: { body?: unknown }; body?: unknown }).body ?? (e as { meta?: { body?: unknown } }).meta?.body;
  return (body as { error?: { type?: string } } | undefined)?.error?.type;
}

/** A sortable version string of the load time, e.g. `20261127t101500123` (UTC, millisecond precision). */
export function newIndexVersion(now: Date = new Date()): string {
  const iso = now.toISOString(); // 2026-11-27T10:15:00.123Z
  return `${iso.slice(0, 10).replace(/-/g, '')}t${iso.slice(11, 23).replace(/[:.]/g, '')}`;
}

/** The version part of a concrete records index name, or undefined if the name is not one of ours. */
export function versionOfIndex(names: IndexNames, datasetId: string, index: string): string | undefined {
  const prefix = `${names.recordsAlias(datasetId)}.`;
  if (!index.startsWith(prefix)) return undefined;
  const v = index.slice(prefix.length);
  return /^[0-9a-z]{1,40}$/.test(v) ? v : undefined;
}

/**
 * Creates `<prefix>-records-<id>.<version>` with the generated mapping, refresh_interval -1 and no
 * replica (a bulk load indexes each document once; finishLoad adds the replicas, which then copy the
 * flushed segments). If that version exists already (two loads in the same millisecond), the next
 * millisecond is used.
 */
export async function createRecordsIndex(
  client: Client,
  names: IndexNames,
  descriptor: DatasetDescriptor,
  now: Date,
): Promise<{ index: string; version: string }> {
  const body = buildIndexBody(descriptor, { replicas: 0, refreshInterval: '-1' });
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const version = newIndexVersion(new Date(now.getTime() + attempt));
    const index = names.recordsIndex(descriptor.datasetid, version);
    try {
      await client.indices.create({ index, body: body as never });
      return { index, version };
    } catch (e) {
      if (errorTypeOf(e) === 'resource_already_exists_exception') continue;
      throw e;
    }
  }
  throw new Error(`Could not create a new index for dataset ${descriptor.datasetid}: every version name is taken`);
}

export interface FinishLoadOptions {
  /** number_of_replicas; default: auto_expand_replicas 0-1 (mapping.ts, replicaSettings). */
  replicas?: number;
  /** How long to wait for the replicas to be allocated and copied (default 120 s). */
  replicaWaitSeconds?: number;
  log?: (line: string) => void;
}

/**
 * After the bulk load: refresh every second again and refresh now; flush, so that the documents are in
 * Lucene segments on disk and not only in the translog (a node restarting after an unflushed load
 * replays every operation before its shard is usable, ~76 s for 135 k operations, and a replica would
 * replay them too); then add the replicas and wait until they are copied (green), so that the dataset is
 * replicated before readers see it. A cluster that cannot place them (fewer data nodes than copies) is
 * reported, not fatal: they are allocated when nodes join. Returns the document count.
 */
export async function finishLoad(client: Client, index: string, options: FinishLoadOptions = {}): Promise<number> {
  await client.indices.putSettings({ index, body: { index: { refresh_interval: '1s' } } as never });
  await client.indices.refresh({ index });
  await client.indices.flush({ index });
  await client.indices.putSettings({ index, body: { index: replicaSettings(options.replicas) } as never });
  const wait = options.replicaWaitSeconds ?? 120;
  const health = await client.cluster.health({ index, wait_for_status: 'green', timeout: `${wait}s` });
  if ((health.body as { timed_out?: boolean }).timed_out) {
    options.log?.(`warning: ${index} is not fully replicated after ${wait} s (the cluster cannot place every copy yet); it is published anyway`);
  }
  return countIndex(client, index);
}

/** Flushes indices (their translog to segments on disk); a missing index is not an error. */
export async function flushIndices(client: Client, indices: readonly string[]): Promise<void> {
  if (indices.length === 0) return;
  await client.indices.flush({ index: [...indices], ignore_unavailable: true } as never);
}

export async function countIndex(client: Client, index: string): Promise<number> {
  const res = await client.count({ index });
  return (res.body as { count: number }).count;
}

/** The concrete indices an alias points to ([] when the alias does not exist). */
export async function aliasTargets(client: Client, alias: string): Promise<string[]> {
  try {
    // Asked of the dataset's own indices only: without an index the question spans every index of the
    // cluster, which a least-privilege user (ops/compose/opensearch-security/roles.yml) may not read.
    const res = await client.indices.getAlias({ index: `${alias}.*`, name: alias });
    return Object.keys(res.body as Record<string, unknown>).sort();
  } catch (e) {
    if (statusOf(e) === 404) return [];
    throw e;
  }
}

/**
 * Points the dataset alias at `newIndex` in ONE `_aliases` call (remove from the old indices, add to the
 * new), so that a reader sees either the old or the new index, never none. Returns the old targets.
 */
export async function swapAlias(client: Client, names: IndexNames, datasetId: string, newIndex: string): Promise<string[]> {
  const alias = names.recordsAlias(datasetId);
  const previous = await aliasTargets(client, alias);
  if (previous.length === 0) {
    const exists = await client.indices.exists({ index: alias });
    if (exists.body === true) {
      throw new Error(`An index named ${alias} exists where the alias of dataset ${datasetId} should be; delete it first`);
    }
  }
  const actions: unknown[] = previous.filter((i) => i !== newIndex).map((index) => ({ remove: { index, alias } }));
  actions.push({ add: { index: newIndex, alias } });
  await client.indices.updateAliases({ body: { actions } as never });
  return previous.filter((i) => i !== newIndex);
}

/** Every version index of a dataset, oldest first. */
export async function listVersionIndices(client: Client, names: IndexNames, datasetId: string): Promise<{ index: string; version: string }[]> {
  const res = await client.cat.indices({ index: names.recordsIndexPattern(datasetId), format: 'json', h: 'index' } as never);
  const rows = res.body as unknown as { index: string }[];
  return rows
    .map((r) => ({ index: r.index, version: versionOfIndex(names, datasetId, r.index) }))
    .filter((r): r is { index: string; version: string } => r.version !== undefined)
    .sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
}

/**
 * Deletes the versions of a dataset older than `current`, except the indices in `keep` and any index
 * the alias points to. Newer versions (another load under way) are left alone. Returns what was deleted.
 */
export async function deleteOldVersions(
  client: Client,
  names: IndexNames,
  datasetId: string,
  current: string,
  keep: readonly string[] = [],
): Promise<string[]> {
  const currentVersion = versionOfIndex(names, datasetId, current);
  if (currentVersion === undefined) throw new Error(`${current} is not a version index of ${datasetId}`);
  const protectedIndices = new Set([current, ...keep, ...(await aliasTargets(client, names.recordsAlias(datasetId)))]);
  const old = (await listVersionIndices(client, names, datasetId)).filter((v) => v.version < currentVersion && !protectedIndices.has(v.index));
  for (const { index } of old) await deleteIndexQuietly(client, index);
  return old.map((o) => o.index);
}

/** Deletes an index; a missing index is not an error. */
export async function deleteIndexQuietly(client: Client, index: string): Promise<void> {
  try {
    await client.indices.delete({ index });
  } catch (e) {
    if (statusOf(e) !== 404) throw e;
  }
}

/**
 * Creates the catalog index with its mapping on first use; on an existing one, adds any property the
 * mapping gained since (mappings only grow; a conflicting change fails loudly).
 */
export async function ensureCatalogIndex(client: Client, names: IndexNames, options: Pick<IndexBodyOptions, 'replicas'> = {}): Promise<void> {
  const body = buildCatalogIndexBody(options.replicas !== undefined ? { replicas: options.replicas } : {});
  const exists = await client.indices.exists({ index: names.catalogIndex });
  if (exists.body !== true) {
    try {
      await client.indices.create({ index: names.catalogIndex, body: body as never });
      return;
    } catch (e) {
      if (errorTypeOf(e) !== 'resource_already_exists_exception') throw e;
    }
  }
  await client.indices.putMapping({ index: names.catalogIndex, body: { properties: body.mappings.properties } as never });
  // A catalog created before replicas were the default (number_of_replicas 0) gets them now.
  await client.indices.putSettings({ index: names.catalogIndex, body: { index: replicaSettings(options.replicas) } as never });
}

export async function upsertCatalogDoc(client: Client, names: IndexNames, entry: { id: string; doc: CatalogDoc }): Promise<void> {
  await client.index({ index: names.catalogIndex, id: entry.id, body: entry.doc as never, refresh: true });
}

export async function getCatalogDoc(client: Client, names: IndexNames, datasetId: string): Promise<CatalogDoc | undefined> {
  try {
    const res = await client.get({ index: names.catalogIndex, id: datasetId });
    return (res.body as { _source?: CatalogDoc })._source;
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw e;
  }
}

/** Removes a dataset entirely: its catalog document, its alias and every version (tests, admin). */
export async function deleteDataset(client: Client, names: IndexNames, datasetId: string): Promise<void> {
  for (const { index } of await listVersionIndices(client, names, datasetId)) await deleteIndexQuietly(client, index);
  try {
    await client.delete({ index: names.catalogIndex, id: datasetId, refresh: true });
  } catch (e) {
    if (statusOf(e) !== 404) throw e;
  }
}
