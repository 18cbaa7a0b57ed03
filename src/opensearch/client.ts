/**
 * The only place the OpenSearch client is built (design.md: "OpenSearch, behind one narrow interface").
 * Users' searches are never retried by the client: a retry storm on an overloaded cluster helps no one,
 * and the caller gets a 503 with Retry-After instead (security-quotas.md §4.3).
 */
import { Client, errors } from '@opensearch-project/opensearch';
import { GatewayError, backendUnavailable } from '../errors';

export interface OpenSearchSettings {
  opensearchUrl: string;
  opensearchUsername?: string | undefined;
  opensearchPassword?: string | undefined;
  opensearchTlsInsecure?: boolean;
  opensearchRequestTimeoutMs?: number;
}

export function createOpenSearchClient(s: OpenSearchSettings, options: { maxRetries?: number } = {}): Client {
  return new Client({
    node: s.opensearchUrl,
    ...(s.opensearchUsername
      ? { auth: { username: s.opensearchUsername, password: s.opensearchPassword ?? '' } }
      : {}),
    ssl: s.opensearchTlsInsecure ? { rejectUnauthorized: false } : undefined,
    requestTimeout: s.opensearchRequestTimeoutMs ?? 15000,
    maxRetries: options.maxRetries ?? 0,
    compression: undefined,
  });
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

function rootCause(body: unknown): { type?: string; reason?: string } {
  const err = (body as { error?: unknown } | undefined)?.error;
  if (!err || typeof err !== 'object') return {};
  const e = err as { type?: string; reason?: string; root_cause?: { type?: string; reason?: string }[]; caused_by?: { type?: string; reason?: string } };
  const first = e.root_cause?.[0] ?? e.caused_by;
  return { type: first?.type ?? e.type, reason: first?.reason ?? e.reason };
}

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
