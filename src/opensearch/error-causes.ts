/**
 * Reading an OpenSearch error body: every exception type it names (the top error, its root causes,
 * its `caused_by` chain and each failed shard's reason), and whether one of them says that a node or
 * a shard copy was momentarily unavailable — the cluster is failing over, not our request being wrong.
 * Pure: bodies in, answers out (the mapping to gateway errors is toGatewayError in client.ts).
 */

export interface ErrorCause {
  type?: string;
  reason?: string;
}

/**
 * Exception types raised while a node leaves or joins, a shard copy is promoted or relocates, or the
 * cluster has no elected manager for a moment. OpenSearch reports several of them as HTTP 500
 * (`node_not_connected_exception` on a coordinating node that still routes to a node just killed),
 * which would otherwise read as a bug of ours (10500) instead of "retry in a few seconds" (503).
 */
export const TRANSIENT_TYPES: ReadonlySet<string> = new Set([
  'node_not_connected_exception',
  'node_disconnected_exception',
  'node_closed_exception',
  'connect_transport_exception',
  'send_request_transport_exception',
  'receive_timeout_transport_exception',
  'transport_serialization_exception',
  'no_node_available_exception',
  'no_shard_available_action_exception',
  'unavailable_shards_exception',
  'primary_missing_action_exception',
  'shard_not_found_exception',
  'shard_not_in_primary_mode_exception',
  'illegal_index_shard_state_exception',
  'index_shard_closed_exception',
  'retention_lease_not_found_exception',
  'cluster_block_exception',
  'cluster_manager_not_discovered_exception',
  'master_not_discovered_exception',
  'not_cluster_manager_exception',
  'not_master_exception',
  'process_cluster_event_timeout_exception',
  'failed_node_exception',
  'opensearch_timeout_exception',
  // a point-in-time whose shard copy was on a node that left (a download started again works)
  'search_context_missing_exception',
]);

interface RawCause {
  type?: unknown;
  reason?: unknown;
  root_cause?: unknown;
  caused_by?: unknown;
  failed_shards?: unknown;
}

/** Every cause an error body names, depth-first from the top error; at most 64 (bodies are bounded). */
export function errorCauses(body: unknown): ErrorCause[] {
  const out: ErrorCause[] = [];
  const visit = (node: unknown, depth: number): void => {
    if (!node || typeof node !== 'object' || depth > 8 || out.length >= 64) return;
    const c = node as RawCause;
    if (typeof c.type === 'string') out.push({ type: c.type, ...(typeof c.reason === 'string' ? { reason: c.reason } : {}) });
    if (Array.isArray(c.root_cause)) for (const r of c.root_cause) visit(r, depth + 1);
    visit(c.caused_by, depth + 1);
    if (Array.isArray(c.failed_shards)) for (const f of c.failed_shards) visit((f as { reason?: unknown } | null)?.reason, depth + 1);
  };
  visit((body as { error?: unknown } | null | undefined)?.error, 0);
  return out;
}

/** The first cause the gateway reports for an error body (the root cause when there is one). */
export function rootCause(body: unknown): ErrorCause {
  const err = (body as { error?: unknown } | null | undefined)?.error;
  if (!err || typeof err !== 'object') return {};
  const e = err as { type?: string; reason?: string; root_cause?: ErrorCause[]; caused_by?: ErrorCause };
  const first = e.root_cause?.[0] ?? e.caused_by;
  return { ...((first?.type ?? e.type) !== undefined ? { type: first?.type ?? e.type } : {}), ...((first?.reason ?? e.reason) !== undefined ? { reason: first?.reason ?? e.reason } : {}) };
}

/** The transient cause named by an error body, if any (see TRANSIENT_TYPES). */
export function transientCause(body: unknown): string | undefined {
  return errorCauses(body).find((c) => c.type !== undefined && TRANSIENT_TYPES.has(c.type))?.type;
}
