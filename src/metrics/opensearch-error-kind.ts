/**
 * The `kind` label of `ods_opensearch_errors_total` (ops/prometheus/METRICS.md), read from the error
 * that reaches the error handler: toGatewayError (src/opensearch/client.ts) keeps the client's error
 * as the GatewayError's cause.
 */
import { errors } from '@opensearch-project/opensearch';
import { GatewayError } from '../errors';

export const OPENSEARCH_ERROR_KINDS = ['connection', 'timeout', 'overloaded', 'failover', 'limit', 'response', 'other'] as const;
export type OpenSearchErrorKind = (typeof OPENSEARCH_ERROR_KINDS)[number];

const OVERLOADED = new Set([429, 502, 503, 504]);

/**
 * The kind of a failed call to OpenSearch, or undefined for an error that is not one (a bad
 * parameter, an unknown dataset, a quota refusal, a body that does not parse...). A 500 whose cause
 * is not an OpenSearch client error counts as `other`.
 */
export function openSearchErrorKind(err: unknown): OpenSearchErrorKind | undefined {
  const gateway = err instanceof GatewayError ? err : undefined;
  const cause = gateway ? gateway.cause : err;
  if (cause instanceof errors.ConnectionError || cause instanceof errors.NoLivingConnectionsError) return 'connection';
  if (cause instanceof errors.TimeoutError) return 'timeout';
  if (cause instanceof errors.ResponseError) {
    if (OVERLOADED.has(cause.statusCode)) return 'overloaded';
    if (gateway?.kind === 'bad_parameter') return 'limit';
    if (gateway?.kind === 'backend_unavailable') return 'failover'; // a 5xx naming a node or shard copy gone for a moment
    return 'response';
  }
  if (cause instanceof errors.OpenSearchClientError) return 'response';
  if (gateway) return gateway.kind === 'backend_unavailable' || gateway.kind === 'internal' ? 'other' : undefined;
  // Not a GatewayError: a body-parser failure (it has a `type`) or a path that does not decode (a
  // URIError marked 400 by the router) is the caller's; anything else is a 500.
  if (err instanceof URIError && (err as { status?: unknown }).status === 400) return undefined;
  return typeof (err as { type?: unknown } | null)?.type === 'string' ? undefined : 'other';
}
