/**
 * Every hit of a filtered set, page by page, as an async iterable: a point-in-time (a stable view
 * of the index while the download runs) paged with `search_after` (docs/opensearch-design.md, Download).
 *
 * - Sort: the caller's keys (ending with the unique `recordid` tiebreak), else `_doc` on a one-shard
 *   index (unique and stable inside the PIT, and the cheapest sort) or `recordid` when the PIT spans
 *   several shards (OpenSearch 2.19 has no `_shard_doc`).
 * - One page is read ahead while the caller writes the current one: at most two pages in memory,
 *   and a slow consumer stops the reads (it does not ask for the next page).
 * - The PIT is ALWAYS deleted: at the end, on an error, and when the consumer stops early
 *   (`break`, `return()` or an exception in a `for await` body), which is how a client disconnect
 *   reaches here. A failure to delete is reported to `onCloseError`, never thrown over the cause.
 */
import type { Backend } from '../opensearch/backend';
import type { Clause } from '../search/facets/facet-kind';

export type PitBackend = Pick<Backend, 'openPit' | 'searchWithPit' | 'closePit'>;

export interface Hit {
  _id?: string;
  _source?: Record<string, unknown>;
  sort?: unknown[];
}

export interface PitPagesOptions {
  datasetId: string;
  query: Clause;
  /** The requested order, or undefined for the cheapest unique order. */
  sort?: Clause[];
  /**
   * `_source` includes, or true for the whole stored document: OpenSearch then sends the stored bytes
   * as they are, while filtering them costs it ~20 % of a download's throughput (bench/, case 4).
   */
  source: string[] | true;
  pageSize: number;
  keepAliveSeconds: number;
  /** Most hits to return (`rows`); undefined: all. */
  limit?: number;
  onCloseError?: (e: unknown) => void;
}

export const sortFor = (requested: Clause[] | undefined, shards: number): Clause[] =>
  requested ?? (shards === 1 ? [{ _doc: 'asc' }] : [{ recordid: 'asc' }]);

export async function* pitPages(backend: PitBackend, options: PitPagesOptions): AsyncGenerator<Hit[], void, undefined> {
  const limit = options.limit ?? Infinity;
  if (limit <= 0) return;
  const { pitId: firstId, shards } = await backend.openPit(options.datasetId, options.keepAliveSeconds);
  let pitId = firstId;
  let pending: Promise<Record<string, unknown>> | undefined;
  const sort = sortFor(options.sort, shards);
  const read = (size: number, after: unknown[] | undefined) =>
    backend.searchWithPit({
      size,
      track_total_hits: false,
      pit: { id: pitId, keep_alive: `${options.keepAliveSeconds}s` },
      query: options.query,
      sort,
      _source: options.source,
      ...(after ? { search_after: after } : {}),
    });
  try {
    let delivered = 0;
    let size = Math.min(options.pageSize, limit);
    let current: Promise<Record<string, unknown>> = read(size, undefined);
    pending = current;
    for (;;) {
      const res = await current;
      pending = undefined;
      if (typeof res.pit_id === 'string') pitId = res.pit_id;
      const hits = ((res.hits as { hits?: Hit[] } | undefined)?.hits ?? []).slice(0, limit - delivered);
      delivered += hits.length;
      const more = hits.length === size && delivered < limit;
      if (more) {
        size = Math.min(options.pageSize, limit - delivered);
        // Read ahead while the caller writes this page.
        current = read(size, hits[hits.length - 1]?.sort);
        current.catch(() => undefined); // awaited on the next turn, or settled by finally when the caller stops
        pending = current;
      }
      if (hits.length > 0) yield hits;
      if (!more) return;
    }
  } finally {
    if (pending) await pending.catch(() => undefined);
    try {
      await backend.closePit(pitId);
    } catch (e) {
      options.onCloseError?.(e);
    }
  }
}
