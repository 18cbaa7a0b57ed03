/**
 * The gateway against OpenSearch with its security plugin, as production runs it: HTTPS with the
 * cluster's CA verified, basic authentication, the least-privilege users of the production stack
 * (ops/compose/opensearch-security/). The node is started here by ops/opensearch/secure-node.sh (core
 * 2.19.4 and org.opensearch.plugin:opensearch-security 2.19.4.0 from Maven Central, about a minute)
 * and stopped at the end. ODS_TEST_SKIP_SECURE=1 skips it (a developer loop).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Client } from '@opensearch-project/opensearch';
import { parseDescriptor } from '../../src/datasets/descriptor';
import { indexNames } from '../../src/datasets/index-names';
import { loadDataset } from '../../src/ingest';
import type { SourceRow } from '../../src/ingest/types';
import { start } from '../../src/main';
import { createOpenSearchClient } from '../../src/opensearch/client';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const PORT = Number(process.env.ODS_TEST_SECURE_PORT ?? 9250);
const URL = `https://127.0.0.1:${PORT}`;
const CA = join(ROOT, 'ops/compose/secrets/ca/root-ca.pem');
const names = indexNames('ods'); // the roles name the production prefix

const maybe = process.env.ODS_TEST_SKIP_SECURE === '1' ? describe.skip : describe;
jest.setTimeout(120_000);

function passwords(): Record<string, string> {
  const env = readFileSync(join(ROOT, '.env'), 'utf8');
  return Object.fromEntries(env.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

maybe('the gateway on OpenSearch with the security plugin (TLS, basic auth, least privilege)', () => {
  let loader: Client;
  let pw: Record<string, string>;

  beforeAll(async () => {
    await run('bash', [join(ROOT, 'ops/opensearch/secure-node.sh'), 'start', '--port', String(PORT), '--name', 'test', '--timeout', '240'], { cwd: ROOT, timeout: 290_000 });
    pw = passwords();
    loader = createOpenSearchClient({ opensearchUrl: URL, opensearchCaFile: CA, opensearchUsername: 'ods_loader', opensearchPassword: pw.OPENSEARCH_LOADER_PASSWORD });
    const descriptor = parseDescriptor({ datasetid: 'secured', metas: { title: 'Secured' }, fields: [{ name: 'n', label: 'N', type: 'int' }, { name: 'word', label: 'Word', type: 'text' }] });
    const rows = (async function* (): AsyncGenerator<SourceRow> {
      for (let i = 0; i < 30; i += 1) yield { line: i + 1, row: { n: i, word: i % 2 ? 'odd' : 'even' } };
    })();
    await loadDataset({ client: loader, names, datasetId: 'secured', descriptor, source: { rows }, log: () => {} });
  }, 300_000);

  afterAll(async () => {
    await loader?.close();
    await run('bash', [join(ROOT, 'ops/opensearch/secure-node.sh'), 'stop', '--name', 'test'], { cwd: ROOT, timeout: 60_000 });
  });

  const gateway = (env: Record<string, string>) =>
    start({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', OPENSEARCH_URL: URL, OPENSEARCH_USERNAME: 'ods_gateway', OPENSEARCH_PASSWORD: pw.OPENSEARCH_GATEWAY_PASSWORD!, OPENSEARCH_REQUEST_TIMEOUT_MS: '5000', ADMIN_TOKEN: 'secure-test-admin-token-0123', ...env });

  it('serves searches, lookups, downloads (point-in-time) and pushes as ods_gateway, verifying the CA', async () => {
    const { server, stop } = await gateway({ OPENSEARCH_CA_FILE: CA });
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      const search = (await (await fetch(`${base}/api/records/1.0/search/?dataset=secured&q=word:odd&rows=0`)).json()) as { nhits: number };
      expect(search.nhits).toBe(15);
      const csv = await (await fetch(`${base}/api/records/1.0/download/?dataset=secured&format=csv`)).text();
      expect(csv.trim().split('\n')).toHaveLength(31);
      const key = (await (await fetch(`${base}/admin/push/keys`, { method: 'POST', headers: { authorization: 'Bearer secure-test-admin-token-0123', 'content-type': 'application/json' }, body: JSON.stringify({ dataset: 'secured', resource: 'live' }) })).json()) as { key: string };
      const pushed = await fetch(`${base}/api/push/1.0/secured/live/push/?pushkey=${key.key}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n: 100, word: 'pushed' }) });
      expect(pushed.status).toBe(200);
      const after = (await (await fetch(`${base}/api/records/1.0/search/?dataset=secured&q=word:pushed&rows=0`)).json()) as { nhits: number };
      expect(after.nhits).toBe(1);
    } finally {
      await stop();
    }
  });

  it('refuses a cluster whose certificate its CA did not sign: not ready, 503', async () => {
    const { server, stop } = await gateway({}); // no OPENSEARCH_CA_FILE: the system CAs do not know ours
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      expect((await fetch(`${base}/readyz`)).status).toBe(503);
      const res = await fetch(`${base}/api/records/1.0/search/?dataset=secured`);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).not.toBeNull();
    } finally {
      await stop();
    }
  });

  it('gives the gateway user no right to create or delete dataset indices', async () => {
    const gw = createOpenSearchClient({ opensearchUrl: URL, opensearchCaFile: CA, opensearchUsername: 'ods_gateway', opensearchPassword: pw.OPENSEARCH_GATEWAY_PASSWORD! });
    try {
      await expect(gw.indices.create({ index: 'ods-records-intruder.1' })).rejects.toMatchObject({ statusCode: 403 });
      await expect(gw.indices.delete({ index: 'ods-records-secured.*' })).rejects.toMatchObject({ statusCode: 403 });
    } finally {
      await gw.close();
    }
  });
});
