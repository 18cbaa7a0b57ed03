/**
 * The client's transport, with failover across the nodes of OPENSEARCH_URL (docs/operations.md).
 *
 * The stock transport already keeps a pool: it marks a node that fails (connection refused or reset,
 * timeout, 502/503/504) dead, sends the next requests round-robin to the live ones, and pings a dead
 * node back in after a pause. What it does not know is which requests may be sent twice. Here:
 *
 * - a request that only reads (GET/HEAD, `_search`, `_count`, `_mget`, `_msearch`, a point-in-time
 *   opened or deleted) is retried on another node, once per other node of the pool, when it failed at
 *   the connection level or with 502/503/504 (a node still joining the cluster answers 503); never on
 *   429 (an overloaded cluster gets no retry storm), and never with a single node;
 * - any other request is sent once unless its caller asks for retries (`maxRetries` on the call): a
 *   push asks, because its writes carry external versions and a second copy changes nothing;
 * - all attempts of one request share ONE request timeout, so a caller waits at most
 *   OPENSEARCH_REQUEST_TIMEOUT_MS whatever the number of nodes (the stock transport gives each
 *   attempt its own timeout).
 */
import { Transport, errors } from '@opensearch-project/opensearch';

type TransportRequestParams = Parameters<Transport['request']>[0];
type TransportRequestOptions = NonNullable<Parameters<Transport['request']>[1]>;
type Callback = (err: Error | null, result: unknown) => void;
interface Abortable {
  abort(): unknown;
}

const READ_PATH = /\/_(search|count|msearch|mget|field_caps)(\/|$)/;

/** True when sending the request a second time cannot change anything it did the first time. */
export function isReadRequest(method: string, path: string): boolean {
  const m = method.toUpperCase();
  if (m === 'GET' || m === 'HEAD') return true;
  if (m === 'POST' && READ_PATH.test(path)) return true; // includes opening a point-in-time (it expires alone)
  if (m === 'DELETE' && /\/_search\/point_in_time(\/|$)/.test(path)) return true;
  return false;
}

/**
 * Request options of a write that may be sent twice (a push: external versions make a second copy a
 * version conflict, which changes nothing): it gets the failover retries of a read.
 */
export const RETRYABLE_WRITE = { context: { retryable: true } } as const;

function isRetryableWrite(opts: { context?: unknown }): boolean {
  return (opts.context as { retryable?: unknown } | null | undefined)?.retryable === true;
}

function toMs(v: number | string | undefined, fallback: number): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return fallback;
}

export class FailoverTransport extends Transport {
  /** Extra attempts of a read: one per other node of the pool (which sniffing may grow). */
  get failoverRetries(): number {
    return Math.max(0, this.connectionPool.size - 1);
  }
}

const baseRequest = Transport.prototype.request as unknown as (
  this: Transport,
  params: TransportRequestParams,
  options: TransportRequestOptions,
  callback?: Callback,
) => Abortable;

// Both forms of the base class (promise or callback) are kept: the client's API calls use both.
function failoverRequest(this: FailoverTransport, params: TransportRequestParams, options?: TransportRequestOptions | Callback, callback?: Callback): unknown {
  let opts: TransportRequestOptions = {};
  if (typeof options === 'function') callback = options;
  else if (options) opts = options;
  const retryable = isReadRequest(params.method, params.path) || isRetryableWrite(opts);
  const retries = opts.maxRetries ?? (retryable ? Math.max(this.maxRetries, this.failoverRetries) : this.maxRetries);
  if (retries === 0) return baseRequest.call(this, params, { ...opts, maxRetries: 0 }, callback);

  // One deadline for every attempt: when it passes, the attempt in flight is aborted and the caller
  // gets a TimeoutError, as with a single node.
  const budget = toMs(opts.requestTimeout, this.requestTimeout);
  let settle!: Callback;
  let promise: Promise<unknown> | undefined;
  if (callback) settle = callback;
  else {
    promise = new Promise((resolve, reject) => {
      settle = (err, result) => (err ? reject(err) : resolve(result));
    });
  }
  let timedOut = false;
  let handle: Abortable | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    handle?.abort();
  }, budget);
  handle = baseRequest.call(this, params, { ...opts, maxRetries: retries }, (err, result) => {
    clearTimeout(timer);
    if (err && timedOut && err instanceof errors.RequestAbortedError) {
      settle(new errors.TimeoutError(`Request timed out after ${budget} ms (all attempts)`, result as never), result);
    } else settle(err, result);
  });
  const abort = () => {
    clearTimeout(timer);
    handle?.abort();
  };
  if (!promise) return { abort };
  return Object.assign(promise, { abort });
}
FailoverTransport.prototype.request = failoverRequest as unknown as Transport['request'];
