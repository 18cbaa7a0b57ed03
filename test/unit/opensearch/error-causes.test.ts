import { errors } from '@opensearch-project/opensearch';
import { errorCauses, rootCause, transientCause } from '../../../src/opensearch/error-causes';
import { toGatewayError } from '../../../src/opensearch/client';

const meta = (statusCode: number, body: unknown) =>
  ({ body, statusCode, headers: {}, warnings: null, meta: {} }) as unknown as ConstructorParameters<typeof errors.ResponseError>[0];

// Error bodies in the shape OpenSearch 2.19 gives them (error.root_cause, type, reason, caused_by, failed_shards).
const NODE_NOT_CONNECTED = {
  error: {
    root_cause: [{ type: 'node_not_connected_exception', reason: '[node-3][127.0.0.1:9303] Node not connected' }],
    type: 'node_not_connected_exception',
    reason: '[node-3][127.0.0.1:9303] Node not connected',
  },
  status: 500,
};
const SHARD_FAILURES = {
  error: {
    root_cause: [{ type: 'query_shard_exception', reason: 'failed to create query' }],
    type: 'search_phase_execution_exception',
    reason: 'all shards failed',
    phase: 'query',
    failed_shards: [
      { shard: 0, index: 'ods-records-x.1', reason: { type: 'query_shard_exception', reason: 'failed to create query' } },
      { shard: 1, index: 'ods-records-x.1', reason: { type: 'no_shard_available_action_exception', reason: 'No shard available' } },
    ],
  },
  status: 500,
};
const NPE = { error: { root_cause: [{ type: 'null_pointer_exception', reason: null }], type: 'null_pointer_exception', reason: null }, status: 500 };

describe('errorCauses', () => {
  it('lists the top error, its root causes, its caused_by chain and the failed shards, in that order', () => {
    const body = { error: { type: 'a', reason: 'ra', root_cause: [{ type: 'b' }], caused_by: { type: 'c', caused_by: { type: 'd', reason: 'rd' } }, failed_shards: [{ reason: { type: 'e' } }] } };
    expect(errorCauses(body)).toEqual([{ type: 'a', reason: 'ra' }, { type: 'b' }, { type: 'c' }, { type: 'd', reason: 'rd' }, { type: 'e' }]);
  });

  it.each([[undefined], [null], ['text'], [{}], [{ error: 'a string' }]])('is empty for a body without an error object (%p)', (body) => {
    expect(errorCauses(body)).toEqual([]);
  });

  it('stops at 64 causes and 8 levels (a body is bounded, a loop is not)', () => {
    const wide = { error: { type: 't', root_cause: Array.from({ length: 100 }, () => ({ type: 'x' })) } };
    expect(errorCauses(wide)).toHaveLength(64);
    let deep: Record<string, unknown> = { type: 'bottom' };
    for (let i = 0; i < 20; i += 1) deep = { type: `l${i}`, caused_by: deep };
    expect(errorCauses({ error: deep })).toHaveLength(9);
  });
});

describe('rootCause', () => {
  it('prefers the first root cause, then caused_by, then the error itself', () => {
    expect(rootCause(NODE_NOT_CONNECTED)).toEqual({ type: 'node_not_connected_exception', reason: '[node-3][127.0.0.1:9303] Node not connected' });
    expect(rootCause({ error: { type: 'a', reason: 'r', caused_by: { type: 'b', reason: 'rb' } } })).toEqual({ type: 'b', reason: 'rb' });
    expect(rootCause({ error: { type: 'a' } })).toEqual({ type: 'a' });
    expect(rootCause({})).toEqual({});
  });
});

describe('transientCause', () => {
  it.each([
    ['a node the coordinating node still routes to', NODE_NOT_CONNECTED, 'node_not_connected_exception'],
    ['one failed shard among others, with no copy available', SHARD_FAILURES, 'no_shard_available_action_exception'],
    ['no elected cluster manager', { error: { type: 'cluster_block_exception', reason: 'blocked by: [SERVICE_UNAVAILABLE/2/no cluster-manager];' } }, 'cluster_block_exception'],
    ['a primary being promoted', { error: { type: 'unavailable_shards_exception', reason: 'primary shard is not active' } }, 'unavailable_shards_exception'],
    ['a bug', NPE, undefined],
    ['a bad query', { error: { type: 'search_phase_execution_exception', root_cause: [{ type: 'query_shard_exception' }] } }, undefined],
  ])('%s', (_what, body, expected) => {
    expect(transientCause(body)).toBe(expected);
  });
});

describe('toGatewayError on a 5xx from OpenSearch', () => {
  it('answers 503 with Retry-After, never 10500, when the body names a node or shard copy gone for a moment', () => {
    for (const body of [NODE_NOT_CONNECTED, SHARD_FAILURES]) {
      const g = toGatewayError(new errors.ResponseError(meta(500, body)), 'search');
      expect({ status: g.status, errorcode: g.errorcode, headers: g.headers }).toEqual({ status: 503, errorcode: 10503, headers: { 'Retry-After': '2' } });
      expect(g.message).toBe(`The search backend is unavailable, retry later (the cluster is failing over (${transientCause(body)}) during search)`);
    }
  });

  it('keeps a 500 that names no transient cause a 10500 (a bug to look at)', () => {
    const g = toGatewayError(new errors.ResponseError(meta(500, NPE)), 'search');
    expect({ status: g.status, errorcode: g.errorcode }).toEqual({ status: 500, errorcode: 10500 });
  });
});
