import { errors } from '@opensearch-project/opensearch';
import { GatewayError, badParameter } from '../../../src/errors';
import { openSearchErrorKind } from '../../../src/metrics/opensearch-error-kind';
import { toGatewayError } from '../../../src/opensearch/client';

const meta = (statusCode: number, body: unknown) =>
  ({ body, statusCode, headers: {}, warnings: null, meta: {} }) as unknown as ConstructorParameters<typeof errors.ResponseError>[0];

describe('the kind label of ods_opensearch_errors_total', () => {
  it.each([
    ['connection refused', new errors.ConnectionError('connect ECONNREFUSED'), 'connection'],
    ['no living connections', new errors.NoLivingConnectionsError('none', meta(0, null)), 'connection'],
    ['timeout', new errors.TimeoutError('Request timed out', meta(0, null)), 'timeout'],
    ['429 circuit breaker', new errors.ResponseError(meta(429, { error: { type: 'circuit_breaking_exception' } })), 'overloaded'],
    ['503', new errors.ResponseError(meta(503, { error: { type: 'search_phase_execution_exception' } })), 'overloaded'],
    ['400 too many buckets', new errors.ResponseError(meta(400, { error: { root_cause: [{ type: 'too_many_buckets_exception' }] } })), 'limit'],
    ['500 from OpenSearch', new errors.ResponseError(meta(500, { error: { type: 'null_pointer_exception' } })), 'response'],
    ['500 naming a node gone', new errors.ResponseError(meta(500, { error: { type: 'node_not_connected_exception' } })), 'failover'],
  ])('%s, as toGatewayError passes it on', (_name, clientError, kind) => {
    expect(openSearchErrorKind(toGatewayError(clientError))).toBe(kind);
  });

  it('counts a 500 of our own as other, and does not count errors that are not OpenSearch failures', () => {
    expect(openSearchErrorKind(new TypeError('x is undefined'))).toBe('other');
    expect(openSearchErrorKind(new GatewayError('internal', 'Internal error'))).toBe('other');
    expect(openSearchErrorKind(badParameter('rows', 'too large'))).toBeUndefined();
    expect(openSearchErrorKind(new GatewayError('quota_exceeded', 'over'))).toBeUndefined();
    expect(openSearchErrorKind(new GatewayError('store_unavailable', 'redis'))).toBeUndefined();
    expect(openSearchErrorKind(Object.assign(new Error('too large'), { type: 'entity.too.large' }))).toBeUndefined();
  });
});
