/**
 * The local 3-node cluster of ops/opensearch/cluster.sh: it starts, forms one cluster, and a replicated
 * index goes green with its replica on another node. Then the gateway over all three nodes
 * (OPENSEARCH_URL as a list): a load gives its dataset a replica by default, and searches keep
 * answering 200 while the node the gateway was given first is killed (kill -9). The reliability suite
 * (npm run test:reliability) measures more. Skipped with ODS_TEST_SKIP_CLUSTER=1 (a developer loop).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseDescriptor } from '../../src/datasets/descriptor';
import { indexNames } from '../../src/datasets/index-names';
import { loadDataset } from '../../src/ingest';
import type { SourceRow } from '../../src/ingest/types';
import { start } from '../../src/main';
import { createOpenSearchClient } from '../../src/opensearch/client';

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

  it('serves every search through the gateway given all three nodes while the first one is killed', async () => {
    const names = indexNames(`itcluster${Date.now().toString(36)}`);
    const client = createOpenSearchClient({ opensearchUrl: urls.join(',') });
    const descriptor = parseDescriptor({ datasetid: 'fleet', metas: { title: 'Fleet' }, fields: [{ name: 'n', label: 'N', type: 'int' }] });
    const rows = (async function* (): AsyncGenerator<SourceRow> {
      for (let i = 0; i < 500; i += 1) yield { line: i + 1, row: { n: i } };
    })();
    const loaded = await loadDataset({ client, names, datasetId: 'fleet', descriptor, source: { rows }, log: () => {} });
    // replicas by default: one per shard, on another node than the primary
    const shards = (await (await fetch(`${urls[1]}/_cat/shards/${loaded.index}?format=json`)).json()) as { node: string; prirep: string; state: string }[];
    expect(shards.map((x) => `${x.prirep} ${x.state}`).sort()).toEqual(['p STARTED', 'r STARTED']);
    expect(new Set(shards.map((x) => x.node)).size).toBe(2);
    await client.close();

    // The response cache off: every search must reach OpenSearch (this tests the failover). The
    // anonymous quota raised: the loop sends up to 2000 searches, past the default 1000 a day once the
    // gateway is fast enough, and a 429 is no failover failure.
    const { server, stop } = await start({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      OPENSEARCH_URL: urls.join(','),
      INDEX_PREFIX: names.prefix,
      OPENSEARCH_REQUEST_TIMEOUT_MS: '10000',
      RESPONSE_CACHE_MAX_BYTES: '0',
      QUOTA_ANONYMOUS_DAILY_LIMIT: '1000000',
    });
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const statuses: number[] = [];
    let searching = true;
    const searcher = (async () => {
      for (let i = 0; searching && i < 2000; i += 1) {
        const res = await fetch(`${base}/api/records/1.0/search/?dataset=fleet&rows=0`);
        const body = (await res.json()) as { nhits?: number };
        statuses.push(res.status === 200 && body.nhits === 500 ? 200 : res.status);
      }
    })();
    try {
      await new Promise((r) => setTimeout(r, 1000));
      const pid = Number(readFileSync(join(ROOT, '.local/opensearch/cluster/node-1/opensearch.pid'), 'utf8'));
      process.kill(pid, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 8000));
    } finally {
      searching = false;
      await searcher;
      await stop();
    }
    expect(statuses.length).toBeGreaterThan(10);
    expect(statuses.filter((x) => x !== 200)).toEqual([]);
  }, 120_000);
});
