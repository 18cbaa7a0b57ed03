/**
 * Orphan indices: a records index a load created but never published, because the load was killed
 * (kill -9, a lost host, an out-of-memory) before its alias swap. It holds a copy of the data with
 * refresh off, and nothing would delete it before the next load of the SAME dataset. Every load now
 * removes the orphans of EVERY dataset first, and the gateway does at start (docs/operations.md).
 *
 * Telling an orphan from a load in progress (on any host): each load holds a lease, a document in
 * `<prefix>-loads` ({dataset, from_version, heartbeat_at}) written before it creates its index and
 * refreshed every LEASE_HEARTBEAT_MS until it ends. An index is an orphan when
 *   - it is a version index `<prefix>-records-<dataset>.<version>` that the dataset's alias does not point to,
 *   - it is newer than every index the alias points to (older ones are versions a load kept on
 *     purpose, `--keep-previous`, or left to the next load of that dataset), and
 *   - no live lease of its dataset covers it (from_version <= its version, heartbeat within LEASE_STALE_MS,
 *     and, for a lease taken on this host, its process still running: a load killed here is known dead
 *     at once, one killed on another host after LEASE_STALE_MS).
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Client } from '@opensearch-project/opensearch';
import { deleteIndexQuietly, newIndexVersion } from './index-admin';
import type { IndexNames } from './index-names';

export const LEASE_HEARTBEAT_MS = 10_000;
/** A lease whose heartbeat is older than this (four missed beats) belongs to a load that died. */
export const LEASE_STALE_MS = 45_000;

/** False when the lease was taken by a process of this host that no longer runs. */
function holderMayRun(l: Lease): boolean {
  if (l.host !== hostname()) return true;
  try {
    process.kill(l.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // it runs, as another user
  }
}

interface Lease {
  dataset: string;
  from_version: string;
  heartbeat_at: string;
  started_at: string;
  host: string;
  pid: number;
}

const LEASE_INDEX_BODY = {
  settings: { number_of_shards: 1, auto_expand_replicas: '0-1', hidden: true },
  mappings: {
    dynamic: 'strict',
    properties: {
      dataset: { type: 'keyword' },
      from_version: { type: 'keyword' },
      heartbeat_at: { type: 'date' },
      started_at: { type: 'date' },
      host: { type: 'keyword' },
      pid: { type: 'long' },
    },
  },
} as const;

export const loadLeaseIndexName = (names: IndexNames): string => `${names.prefix}-loads`;

const statusOf = (e: unknown): number | undefined => (e as { statusCode?: number }).statusCode ?? (e as { meta?: { statusCode?: number } }).meta?.statusCode;
const errorTypeOf = (e: unknown): string => (e as { meta?: { body?: { error?: { type?: string } } } }).meta?.body?.error?.type ?? '';

async function ensureLeaseIndex(client: Client, index: string): Promise<void> {
  const exists = await client.indices.exists({ index });
  if (exists.body === true) return;
  try {
    await client.indices.create({ index, body: LEASE_INDEX_BODY as never });
  } catch (e) {
    if (errorTypeOf(e) !== 'resource_already_exists_exception') throw e;
  }
}

export interface LoadLease {
  /** Stops the heartbeat and deletes the lease (the load ended, published or not). */
  release(): Promise<void>;
}

/**
 * Takes the lease of a load of `datasetId` whose indices will have versions from `now` on. Written with
 * refresh=wait_for: a cleanup that starts after this returns sees it.
 */
export async function acquireLoadLease(client: Client, names: IndexNames, datasetId: string, now: Date, clock: () => Date = () => new Date()): Promise<LoadLease> {
  const index = loadLeaseIndexName(names);
  await ensureLeaseIndex(client, index);
  const id = randomUUID();
  const doc = (): Lease => ({
    dataset: datasetId,
    from_version: newIndexVersion(now),
    heartbeat_at: clock().toISOString(),
    started_at: now.toISOString(),
    host: hostname(),
    pid: process.pid,
  });
  await client.index({ index, id, body: doc() as never, refresh: 'wait_for' });
  let beating: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    beating = client.index({ index, id, body: doc() as never }).catch(() => undefined);
  }, LEASE_HEARTBEAT_MS);
  timer.unref();
  return {
    async release() {
      clearInterval(timer);
      await beating;
      await client.delete({ index, id, refresh: true }).catch((e: unknown) => {
        if (statusOf(e) !== 404) throw e;
      });
    },
  };
}

async function liveLeases(client: Client, names: IndexNames, now: Date): Promise<Lease[]> {
  try {
    const res = await client.search({
      index: loadLeaseIndexName(names),
      body: { size: 1000, query: { range: { heartbeat_at: { gte: new Date(now.getTime() - LEASE_STALE_MS).toISOString() } } } } as never,
    });
    return (res.body as { hits: { hits: { _source: Lease }[] } }).hits.hits.map((h) => h._source).filter(holderMayRun);
  } catch (e) {
    if (statusOf(e) === 404) return [];
    throw e;
  }
}

/** The version indices of every dataset of the prefix, and the indices their aliases point to. */
async function versionIndices(client: Client, names: IndexNames): Promise<{ index: string; dataset: string; version: string; published: boolean }[]> {
  const prefix = `${names.prefix}-records-`;
  const rows = (await client.cat.indices({ index: `${prefix}*`, format: 'json', h: 'index', expand_wildcards: 'open,closed' } as never)).body as unknown as { index: string }[];
  let aliased = new Set<string>();
  try {
    const res = await client.indices.getAlias({ index: `${prefix}*`, name: `${prefix}*` }); // our indices only (least privilege)
    aliased = new Set(Object.entries(res.body as Record<string, { aliases?: Record<string, unknown> }>).filter(([, v]) => Object.keys(v.aliases ?? {}).length > 0).map(([k]) => k));
  } catch (e) {
    if (statusOf(e) !== 404) throw e;
  }
  const out: { index: string; dataset: string; version: string; published: boolean }[] = [];
  for (const { index } of rows) {
    const m = /^(.+)\.([0-9a-z]{1,40})$/.exec(index.slice(prefix.length));
    if (!index.startsWith(prefix) || !m) continue;
    out.push({ index, dataset: m[1]!, version: m[2]!, published: aliased.has(index) });
  }
  return out;
}

/** The orphan indices of every dataset of the prefix (see the top of this file). */
export async function findOrphanIndices(client: Client, names: IndexNames, now: Date = new Date()): Promise<string[]> {
  const [indices, leases] = await Promise.all([versionIndices(client, names), liveLeases(client, names, now)]);
  const newestPublished = new Map<string, string>();
  for (const i of indices) {
    if (!i.published) continue;
    const v = newestPublished.get(i.dataset);
    if (v === undefined || i.version > v) newestPublished.set(i.dataset, i.version);
  }
  return indices
    .filter((i) => !i.published)
    .filter((i) => {
      const published = newestPublished.get(i.dataset);
      return published === undefined || i.version > published;
    })
    .filter((i) => !leases.some((l) => l.dataset === i.dataset && l.from_version <= i.version))
    .map((i) => i.index)
    .sort();
}

/** Deletes the orphan indices; returns their names. */
export async function deleteOrphanIndices(client: Client, names: IndexNames, now: Date = new Date()): Promise<string[]> {
  const orphans = await findOrphanIndices(client, names, now);
  for (const index of orphans) await deleteIndexQuietly(client, index);
  return orphans;
}
