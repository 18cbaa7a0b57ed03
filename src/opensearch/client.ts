/**
 * The only place the OpenSearch client is built (docs/architecture.md).
 *
 * OPENSEARCH_URL may list several nodes: the client spreads requests over the live ones, sets a node
 * that fails aside and pings it back in after NODE_RESURRECT_MS (3, 6, then every 12 s), and
 * retries reads on another node (failover-transport.ts). Users' searches are not retried on an
 * overloaded cluster (429): a retry storm helps no one, and the caller gets a 503 with Retry-After
 * instead (docs/security.md, Resource bounds).
 */
import { readFileSync } from 'node:fs';
import { Client, errors } from '@opensearch-project/opensearch';
import { GatewayError, backendUnavailable } from '../errors';
import { rootCause, transientCause } from './error-causes';
import { FailoverTransport } from './failover-transport';

export interface OpenSearchSettings {
  /** One URL or a comma-separated list (config.ts has checked each). */
  opensearchUrl: string;
  opensearchUsername?: string | undefined;
  opensearchPassword?: string | undefined;
  opensearchTlsInsecure?: boolean;
  opensearchCaFile?: string | undefined;
  opensearchRequestTimeoutMs?: number;
  opensearchSniffIntervalMs?: number;
}

/**
 * Pause before a failed node is pinged again: 3 s, then 6 s, then every 12 s while it stays down. The
 * client's defaults (60 s, doubling up to 32 minutes) leave a node that came back unused for minutes; a
 * ping of one node every few seconds costs nothing.
 */
export const NODE_RESURRECT_MS = 3000;
const NODE_RESURRECT_DOUBLINGS = 2;

/** The node URLs of OPENSEARCH_URL. */
export function opensearchNodes(url: string): string[] {
  return url
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export interface ClientOptions {
  /**
   * Retries of EVERY request, reads or not (the CLIs: their loads are idempotent or checked). Default 0:
   * only reads are retried, on another node (failover-transport.ts).
   */
  maxRetries?: number;
}

export function createOpenSearchClient(s: OpenSearchSettings, options: ClientOptions = {}): Client {
  const nodes = opensearchNodes(s.opensearchUrl);
  const timeout = s.opensearchRequestTimeoutMs ?? 15000;
  const sniff = s.opensearchSniffIntervalMs ?? 0;
  const ssl = s.opensearchTlsInsecure
    ? { rejectUnauthorized: false }
    : s.opensearchCaFile
      ? { ca: readFileSync(s.opensearchCaFile), rejectUnauthorized: true }
      : undefined;
  const client = new Client({
    nodes,
    Transport: FailoverTransport,
    ...(s.opensearchUsername
      ? { auth: { username: s.opensearchUsername, password: s.opensearchPassword ?? '' } }
      : {}),
    ...(ssl ? { ssl } : {}),
    requestTimeout: timeout,
    pingTimeout: Math.min(3000, timeout),
    maxRetries: options.maxRetries ?? 0,
    resurrectStrategy: 'ping',
    ...(sniff > 0 ? { sniffOnStart: true, sniffInterval: sniff, sniffOnConnectionFault: true } : {}),
    compression: undefined,
  });
  const pool = client.connectionPool as unknown as { resurrectTimeout: number; resurrectTimeoutCutoff: number };
  pool.resurrectTimeout = NODE_RESURRECT_MS;
  pool.resurrectTimeoutCutoff = NODE_RESURRECT_DOUBLINGS;
  return client;
}

/** Error types in an OpenSearch error body that mean "your request is wrong", not "the cluster is down". */
const CLIENT_SIDE_TYPES = new Set([
  'illegal_argument_exception',
  'parsing_exception',
  'x_content_parse_exception',
  'query_shard_exception',
  'search_phase_execution_exception',
  'too_many_clauses',
  'too_complex_to_determinize_exception',
  'too_many_buckets_exception',
  'mapper_parsing_exception',
]);

/**
 * When a search failed because OpenSearch could not compile or run a script of it (an analyze
 * expression): the failing script's source, as OpenSearch reports it. Undefined for any other failure.
 */
export function failedScriptOf(e: unknown): { source: string | undefined } | undefined {
  const cause = e instanceof GatewayError ? e.cause : e;
  if (!(cause instanceof errors.ResponseError) || cause.statusCode !== 400) return undefined;
  const err = (cause.body as { error?: { root_cause?: { type?: string; script?: string }[] } } | undefined)?.error;
  const root = err?.root_cause?.find((r) => r.type === 'script_exception');
  return root === undefined ? undefined : { source: typeof root.script === 'string' ? root.script : undefined };
}

/**
 * Turns whatever the client threw into a GatewayError:
 * - unreachable, timed out, 429 (circuit breaker, queue full), 502/503/504 → backend_unavailable (503);
 * - any 5xx naming a transient cause (a node that left, a shard copy being promoted or relocated, no
 *   elected cluster manager: error-causes.ts) → backend_unavailable (503), never a 10500;
 * - a 400 caused by a backend limit (too many buckets, clauses...) → bad_parameter naming the limit;
 * - anything else → internal (500), with the cause kept for the logs.
 */
export function toGatewayError(e: unknown, what = 'search'): GatewayError {
  if (e instanceof GatewayError) return e;
  if (e instanceof errors.ConnectionError || e instanceof errors.NoLivingConnectionsError) {
    return backendUnavailable(`cannot reach OpenSearch during ${what}`, 5, e);
  }
  if (e instanceof errors.TimeoutError) {
    return backendUnavailable(`OpenSearch did not answer in time during ${what}`, 5, e);
  }
  if (e instanceof errors.ResponseError) {
    const status = e.statusCode ?? 500;
    const cause = rootCause(e.body);
    // Bodies never name the backend's exception types (they tell an attacker how the cluster
    // breaks); the log has the cause.
    if (status === 429 || status === 502 || status === 503 || status === 504) {
      return backendUnavailable('OpenSearch is overloaded', 10, e);
    }
    const transient = status >= 500 ? transientCause(e.body) : undefined;
    if (transient) return backendUnavailable(`the cluster is failing over (${transient}) during ${what}`, 2, e);
    if (status === 400 && cause.type && CLIENT_SIDE_TYPES.has(cause.type)) {
      return new GatewayError('bad_parameter', `The request exceeds a limit of the search backend${cause.reason ? `: ${cause.reason}` : ''}`, {
        cause: e,
      });
    }
    return new GatewayError('internal', 'Unexpected answer from the search backend', { cause: e });
  }
  return new GatewayError('internal', 'Unexpected error', { cause: e });
}

export type { Client };
