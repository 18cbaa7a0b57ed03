/**
 * The document describes exactly the routes of the app: a route added without its documentation,
 * or documentation left behind by a removed route, fails here. The app is built with every optional
 * part on (push, files, quotas with the admin API, metrics) so that every route is registered.
 */
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { datasetRegistry } from '../../src/datasets/registry';
import { createMetrics } from '../../src/metrics/metrics';
import { directoryFileStore } from '../../src/files/file-store';
import { memoryPushLog } from '../helpers/memory-push-log';
import { memoryPushKeyStore, pushKeys } from '../../src/push/push-keys';
import { pushService } from '../../src/push/push-service';
import { openApiDocument } from '../../src/openapi/document';
import { fakeBackend } from '../helpers/fake-backend';
import { documentedOperations, keyOf, matchPath, routesOf } from '../helpers/openapi';
import { memoryQuotaStore, quotaService } from '../helpers/quota-support';

function fullApp() {
  const backend = fakeBackend();
  const files = directoryFileStore('/nonexistent-file-store');
  return createApp({
    config: { trustProxy: false, maxRequestBodyBytes: 1 << 20 },
    logger: createLogger('silent'),
    backend,
    registry: datasetRegistry(backend, 0),
    push: { service: pushService({ backend, files, log: memoryPushLog() }), keys: pushKeys(memoryPushKeyStore()) },
    files,
    quota: quotaService(memoryQuotaStore()),
    metrics: createMetrics({ defaultMetrics: false }),
    tokens: { admin: 'admin-token-0123456789abcdef', metrics: 'metrics-token-0123456789' },
  });
}

const routed = new Set(routesOf(fullApp()).map(keyOf));
const documented = new Set(documentedOperations().map(keyOf));

it('walks a router of real size (the walk itself works)', () => {
  expect(routed.size).toBeGreaterThan(80);
  expect(routed).toContain('GET /api/records/1.0/search');
  expect(routed).toContain('POST /api/datasets/1.0/{datasetid}/records/{recordid}');
});

it('documents every route of the app', () => {
  const missing = [...routed].filter((k) => !documented.has(k)).sort();
  expect(missing).toEqual([]);
});

it('routes every documented operation', () => {
  const absent = [...documented].filter((k) => !routed.has(k)).sort();
  expect(absent).toEqual([]);
});

it('gives every operation a unique operationId', () => {
  const doc = openApiDocument();
  const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
  expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
});

it('matches concrete paths to their templates, literal segments first', () => {
  const doc = openApiDocument();
  expect(matchPath(doc, '/api/datasets/1.0/search/')).toBe('/api/datasets/1.0/search');
  expect(matchPath(doc, '/api/datasets/1.0/movies')).toBe('/api/datasets/1.0/{datasetid}');
  expect(matchPath(doc, '/api/datasets/1.0/movies/records/analyze')).toBe('/api/datasets/1.0/{datasetid}/records/analyze');
  expect(matchPath(doc, '/api/datasets/1.0/movies/records/abc123')).toBe('/api/datasets/1.0/{datasetid}/records/{recordid}');
});
