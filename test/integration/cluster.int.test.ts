/**
 * The local 3-node cluster of ops/opensearch/cluster.sh (issue 2): it starts, forms one cluster, and a
 * replicated index goes green with its replica on another node. The gateway must never assume a single
 * node; later fault tests build on this cluster. Skipped with ODS_TEST_SKIP_CLUSTER=1 (a developer loop).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');
const SCRIPT = join(ROOT, 'ops/opensearch/cluster.sh');
const BASE = Number(process.env.ODS_TEST_CLUSTER_BASE_PORT ?? 9301);
const urls = [0, 1, 2].map((i) => `http://127.0.0.1:${BASE + i}`);

async function json(url: string, init?: RequestInit): Promise<Record<string, unknown>> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json' } });
  return (await res.json()) as Record<string, unknown>;
}

const maybe = process.env.ODS_TEST_SKIP_CLUSTER === '1' ? describe.skip : describe;

maybe('local 3-node OpenSearch cluster', () => {
  beforeAll(async () => {
    await run('bash', [SCRIPT, 'start', '--base-port', String(BASE), '--fresh', '--heap', '384m'], { cwd: ROOT, timeout: 240_000 });
  }, 260_000);

  afterAll(async () => {
    await run('bash', [SCRIPT, 'stop'], { cwd: ROOT, timeout: 120_000 });
  }, 130_000);

  it('has three nodes in one cluster, seen the same from every node', async () => {
    for (const url of urls) {
      const health = await json(`${url}/_cluster/health`);
      expect(health.number_of_nodes).toBe(3);
      expect(health.cluster_name).toBe('ods-local-cluster');
    }
  });

  it('turns green with a replicated index whose copies live on two different nodes', async () => {
    const index = `cluster-check-${Date.now()}`;
    await json(`${urls[0]}/${index}`, {
      method: 'PUT',
      body: JSON.stringify({ settings: { number_of_shards: 1, number_of_replicas: 1 } }),
    });
    await json(`${urls[1]}/${index}/_doc/1?refresh=true`, { method: 'PUT', body: JSON.stringify({ a: 1 }) });
    const health = await json(`${urls[2]}/_cluster/health/${index}?wait_for_status=green&timeout=60s`);
    expect(health.status).toBe('green');
    expect(health.active_shards).toBe(2);
    const shards = (await (await fetch(`${urls[0]}/_cat/shards/${index}?format=json`)).json()) as { node: string; prirep: string }[];
    expect(shards).toHaveLength(2);
    expect(new Set(shards.map((s) => s.node)).size).toBe(2);
    const count = await json(`${urls[2]}/${index}/_count`);
    expect(count.count).toBe(1);
  });
});
