/**
 * An overloaded OpenSearch (429 circuit breaker, 503) is not the caller's quota: the gateway answers
 * 503 with Retry-After and its own body, never 429 with the quota body (docs/security.md, Resource bounds).
 * Proven through the app, the real OpenSearch client and openSearchBackend, against a stand-in
 * OpenSearch that answers every request with the given status.
 */
import { createServer, type Server } from 'node:http';
import request from 'supertest';
import { createOpenSearchClient } from '../../src/opensearch/client';
import { openSearchBackend } from '../../src/opensearch/backend';
import { indexNames } from '../../src/datasets/index-names';
import { createMetrics } from '../../src/metrics/metrics';
import { DATASET_PATH, memoryQuotaStore, quotaService, testApp } from '../helpers/quota-support';

async function fakeOpenSearch(status: number, type: string): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((_req, res) => {
    hits += 1;
    const body = { error: { root_cause: [{ type, reason: 'overloaded' }], type, reason: 'overloaded' }, status };
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe.each([
  [429, 'circuit_breaking_exception'],
  [429, 'rejected_execution_exception'],
  [503, 'search_phase_execution_exception'],
])('OpenSearch answers %i (%s)', (status, type) => {
  it('answers 503 + Retry-After with the backend body, never the quota 429, and counts it as overloaded', async () => {
    const os = await fakeOpenSearch(status, type);
    const client = createOpenSearchClient({ opensearchUrl: os.url, opensearchRequestTimeoutMs: 2000 });
    const metrics = createMetrics({ defaultMetrics: false });
    const quota = quotaService(memoryQuotaStore(), { anonymousDailyLimit: 10 }, { observer: metrics.quotaObserver });
    const app = testApp({ backend: openSearchBackend(client, indexNames('t')), quota, metrics });
    try {
      const res = await request(app).get(DATASET_PATH);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(res.body.errorcode).toBe(10503);
      expect(res.body).not.toHaveProperty('call_limit');
      expect(res.body).not.toHaveProperty('reset_time');
      expect(res.body.error).toMatch(/overloaded/);
      // The body does not name the backend's exception (the log does).
      expect(res.text).not.toContain(type);
      expect(res.text).not.toMatch(/exception/i);
      // The caller's quota is untouched by the backend's state (the call itself counts, like any call).
      expect(res.headers['x-ratelimit-limit']).toBe('10');
      expect(res.headers['x-ratelimit-remaining']).toBe('9');
      expect(os.hits()).toBe(1); // not retried against an overloaded cluster
      const text = await metrics.registry.metrics();
      expect(text).toContain('ods_opensearch_errors_total{kind="overloaded"} 1');
      expect(text).toContain('ods_quota_decisions_total{decision="rejected"} 0');
      expect(text).toMatch(/ods_http_requests_total\{endpoint="\/api\/datasets\/1\.0\/:datasetid",method="GET",status="503"\} 1/);
    } finally {
      await client.close();
      await os.close();
    }
  });
});
