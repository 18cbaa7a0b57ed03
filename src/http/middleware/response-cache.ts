/**
 * The response cache (docs/response-cache.md): whole answers of the record endpoints of one dataset
 * (search, analyze, geocluster, boundingbox, geopreview, geopolygon, dataset and record lookups, and
 * the v2.1 dataset lookup, records, record and facets),
 * kept in process memory and served again without OpenSearch.
 *
 * An entry's key is made of
 * - the dataset's generation (src/cache/generations.ts), read before the answer is computed: a push,
 *   a deletion or a reload acknowledged before a request starts is always in its answer;
 * - the content of the descriptor the dataset registry returned, so that the cache never shows a
 *   descriptor longer than the registry itself would (DATASET_CACHE_TTL_MS);
 * - the normalised request: path and every parameter (query string and body merged, names sorted,
 *   values in order), without the credentials, plus the host for RSS and Atom (feeds link to it);
 * - the caller's access scope as resolved for this request (hidden fields, record filters and, when
 *   filters apply, the attributes they may use): callers with the same view share entries, callers
 *   with different views never do, and a permission change is in the next request's scope.
 *
 * Entries expire after RESPONSE_CACHE_TTL_MS, or RESPONSE_CACHE_NOW_TTL_MS when the request or a
 * record filter uses `#now` (the answer moves with the clock). Only complete 200 answers written in
 * one piece are stored (a streamed answer, such as a download, never is). Mounted after the quota:
 * a cached answer is counted like any other. `If-None-Match` matching the stored ETag answers 304.
 */
import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { datasetViews } from '../../app/dataset-view';
import { ByteLru, type LruStats } from '../../cache/byte-lru';
import type { Generations } from '../../cache/generations';
import type { ResponseCacheObserver } from '../../cache/metrics';
import type { DatasetDescriptor } from '../../datasets/descriptor';
import type { DatasetRegistry } from '../../datasets/registry';
import type { Backend } from '../../opensearch/backend';
import { callerOf, paramsOf } from '../context';

export interface ResponseCacheSettings {
  /** RESPONSE_CACHE_MAX_BYTES: the bound of the stored bodies, keys and headers (0: no cache). */
  maxBytes: number;
  /** RESPONSE_CACHE_TTL_MS. */
  ttlMs: number;
  /** RESPONSE_CACHE_NOW_TTL_MS: the ceiling of answers that depend on `#now`. */
  nowTtlMs: number;
}


export interface ResponseCache {
  /**
   * Mounted early (after body parsing, before authentication and the quota): starts reading the
   * dataset's generation, so that its round trip to Redis overlaps the quota's instead of following it.
   */
  prefetch: RequestHandler;
  middleware: RequestHandler;
  stats(): LruStats;
}

interface Entry {
  bytes: number;
  expires: number;
  body: Buffer;
  etag: string | undefined;
  headers: [string, string | number | string[]][];
}

const RECORD_ENDPOINT = /^\/api\/records\/1\.0\/(?:search|analyze|geocluster|boundingbox|geopreview|geopolygon)$/;
const DATASET_PATH = /^\/api\/datasets\/1\.0\/([^/]+)(?:\/records(?:\/([^/]+))?)?$/;
/** The v2.1 dataset routes answered in one piece (exports stream, and are never cached). */
const V21_DATASET_PATH = /^\/api\/explore\/v2\.1\/catalog\/datasets\/([^/]+)(?:\/records(?:\/[^/]+)?|\/facets)?$/;
/** Parameters never part of a key (credentials), and never a reason to miss. */
const CREDENTIALS = new Set(['apikey', 'access_token']);
/** Headers of the answer that are the request's own, not the route's (set again on every hit). */
const NOT_STORED = new Set(['content-length', 'etag', 'x-cache', 'date', 'connection', 'keep-alive', 'transfer-encoding']);
/** `#now` in the v1 query language, `now()` in ODSQL (docs/odsql.md). */
const USES_NOW = /#now|\bnow\s*\(/i;
const GENERATION = Symbol('cacheGeneration');
interface Prefetched {
  datasetId: string;
  generation: Promise<string>;
}

/** The dataset a cacheable request reads, or undefined (not cacheable: downloads, catalog, push...). */
function datasetOf(req: Request): string | undefined {
  if (req.method !== 'GET' && req.method !== 'POST') return undefined;
  const path = req.path;
  if (RECORD_ENDPOINT.test(path)) {
    const ids = paramsOf(req).getAll('dataset');
    if (ids.length === 0 || ids.some((i) => i.trim() !== ids[0]!.trim())) return undefined;
    return ids[0]!.trim();
  }
  const v21 = V21_DATASET_PATH.exec(path);
  const m = v21 ?? DATASET_PATH.exec(path);
  if (!m || (!v21 && (m[1] === 'search' || m[2] === 'download'))) return undefined;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return undefined;
  }
}

/**
 * The content of the descriptor the registry handed out, hashed once per descriptor object (one per
 * catalog read): a reload that changes the schema or metas changes the key as soon as the registry
 * reads it, and a re-read of the same content keeps the entries.
 */
const descriptorHashes = new WeakMap<DatasetDescriptor, string>();
function fingerprintOf(d: DatasetDescriptor): string {
  let h = descriptorHashes.get(d);
  if (h === undefined) {
    h = createHash('sha1').update(JSON.stringify(d)).digest('base64');
    descriptorHashes.set(d, h);
  }
  return h;
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === bare);
}

export function responseCache(
  deps: { registry: DatasetRegistry; backend: Backend; generations: Generations; observer?: ResponseCacheObserver; clock?: () => number },
  settings: ResponseCacheSettings,
): ResponseCache {
  const clock = deps.clock ?? Date.now;
  const observer = deps.observer;
  const lru = new ByteLru<Entry>(settings.maxBytes, (n) => observer?.evicted(n));
  // One answer may take at most an eighth of the cache: a few huge pages never flush the rest.
  const maxEntryBytes = Math.floor(settings.maxBytes / 8);
  const views = datasetViews(deps);

  /** The key, or undefined when this request is not cached (error to be answered by the route...). */
  const keyOf = async (req: Request, datasetId: string): Promise<{ key: string; usesNow: boolean } | undefined> => {
    const early = (req as unknown as { [GENERATION]?: Prefetched })[GENERATION];
    const generation = await (early && early.datasetId === datasetId ? early.generation : deps.generations.current(datasetId));
    // The caller's view as the route will resolve it (src/app/dataset-view.ts): an unknown dataset or a
    // caller without access rejects, and the route answers its own error uncached.
    const access = await views.access(callerOf(req), datasetId);
    const d = access.source;
    const params = paramsOf(req);
    let usesNow = false;
    const parts: string[] = [];
    for (const name of params.names().sort()) {
      if (CREDENTIALS.has(name)) continue;
      const values = params.getAll(name);
      if (!usesNow && values.some((v) => USES_NOW.test(v))) usesNow = true;
      parts.push(`${name}=${JSON.stringify(values)}`);
    }
    if (access.recordFilters.some((f) => USES_NOW.test(f))) usesNow = true;
    const scope = JSON.stringify([[...access.hidden].sort(), access.recordFilters, access.recordFilters.length > 0 ? access.attributes : null]);
    // Feeds link to the host the request named (when PUBLIC_URL is not set); nothing else depends on it.
    const format = params.get('format');
    const origin = format === 'rss' || format === 'atom' ? `${req.protocol}://${req.get('host') ?? ''}` : '';
    const key = `${datasetId}\n${generation}\n${fingerprintOf(d)}\n${origin}${req.path}\n${parts.join('&')}\n${scope}`;
    return { key, usesNow };
  };

  const store = (key: string, usesNow: boolean, res: Response, before: Set<string>, body: Buffer): void => {
    const headers: Entry['headers'] = [];
    for (const [name, value] of Object.entries(res.getHeaders())) {
      if (value === undefined || before.has(name) || NOT_STORED.has(name)) continue;
      headers.push([name, value]);
    }
    const etag = res.getHeader('etag');
    const bytes = body.length + key.length * 2 + 200;
    if (bytes > maxEntryBytes) return;
    lru.set(key, {
      bytes,
      expires: clock() + (usesNow ? settings.nowTtlMs : settings.ttlMs),
      body,
      etag: typeof etag === 'string' ? etag : undefined,
      headers,
    });
  };

  const prefetch: RequestHandler = (req, _res, next) => {
    const datasetId = datasetOf(req);
    if (datasetId !== undefined) {
      const generation = deps.generations.current(datasetId);
      generation.catch(() => undefined); // awaited (and its failure handled) by the middleware, if the request gets there
      (req as unknown as { [GENERATION]?: Prefetched })[GENERATION] = { datasetId, generation };
    }
    next();
  };

  const middleware: RequestHandler = (req, res, next) => {
    const datasetId = datasetOf(req);
    if (datasetId === undefined) return next();
    keyOf(req, datasetId).then(
      (k) => {
        if (!k) {
          observer?.result('bypass');
          return next();
        }
        const hit = lru.get(k.key, clock());
        if (hit) {
          observer?.result('hit');
          res.setHeader('X-Cache', 'hit');
          for (const [name, value] of hit.headers) res.setHeader(name, value);
          if (hit.etag) {
            res.setHeader('ETag', hit.etag);
            if (etagMatches(req.headers['if-none-match'], hit.etag)) {
              res.removeHeader('Content-Type');
              res.statusCode = 304;
              res.end();
              return;
            }
          }
          res.statusCode = 200;
          res.setHeader('Content-Length', hit.body.length);
          res.end(hit.body);
          return;
        }
        observer?.result('miss');
        res.setHeader('X-Cache', 'miss');
        const before = new Set(res.getHeaderNames());
        let streamed = false;
        const write = res.write;
        const end = res.end;
        res.write = function (this: Response, ...args: unknown[]) {
          streamed = true;
          return (write as (...a: unknown[]) => boolean).apply(this, args);
        } as Response['write'];
        res.end = function (this: Response, ...args: unknown[]) {
          const [chunk, encoding] = args;
          if (!streamed && res.statusCode === 200 && (typeof chunk === 'string' || Buffer.isBuffer(chunk))) {
            const body = typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : chunk;
            store(k.key, k.usesNow, res, before, body);
          }
          return (end as (...a: unknown[]) => Response).apply(this, args);
        } as Response['end'];
        next();
      },
      // An unknown dataset, a caller without access, an unreachable Redis...: the route answers as
      // if there were no cache (its error, or its answer uncached).
      () => {
        observer?.result('bypass');
        next();
      },
    );
  };

  return { prefetch, middleware, stats: () => lru.stats() };
}
