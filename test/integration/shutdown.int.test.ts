/**
 * SIGTERM during a slow download (main.ts, src/http/lifecycle.ts, src/http/routes/download.ts), on the
 * real OpenSearch node behind a recording proxy: the client stops reading, so the gateway waits on a
 * full socket with no OpenSearch request pending. Past SHUTDOWN_TIMEOUT_MS the download is cut as an
 * error the client can see (the chunked stream ends without its last chunk, never as a normal end),
 * and its point-in-time is deleted BEFORE the gateway closes its OpenSearch client (the proxy sees the
 * DELETE before stop() returns; none is left).
 */
import http from 'node:http';
import type { Client } from '@opensearch-project/opensearch';
import { indexNames } from '../../src/datasets/index-names';
import { parseDescriptor } from '../../src/datasets/descriptor';
import { loadDataset } from '../../src/ingest';
import type { SourceRow } from '../../src/ingest/types';
import { start } from '../../src/main';
import { createOpenSearchClient } from '../../src/opensearch/client';
import { openSearchProxy, type OpenSearchProxy } from '../helpers/opensearch-proxy';

jest.setTimeout(120_000);
const URL = process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200';
const names = indexNames(`itstop${Date.now().toString(36)}`);
let client: Client;
let proxy: OpenSearchProxy;

const descriptor = parseDescriptor({
  datasetid: 'slow',
  metas: { title: 'Slow' },
  fields: [
    { name: 'n', label: 'N', type: 'int' },
    { name: 'text', label: 'Text', type: 'text' },
  ],
});

async function ourPits(): Promise<number> {
  const res = await client.getAllPits();
  const pits = (res.body as { pits?: { pit_id: string }[] }).pits ?? [];
  return pits.filter((p) => Buffer.from(p.pit_id, 'base64').toString('latin1').includes(`${names.prefix}-records-`)).length;
}

beforeAll(async () => {
  client = createOpenSearchClient({ opensearchUrl: URL });
  const rows = (async function* (): AsyncGenerator<SourceRow> {
    // ~10 MB of CSV: more than the socket buffers between a client that stops reading and the gateway
    const filler = 'x'.repeat(2000);
    for (let i = 0; i < 5000; i += 1) yield { line: i + 1, row: { n: i, text: `row ${i} ${filler}` } };
  })();
  await loadDataset({ client, names, datasetId: 'slow', descriptor, source: { rows }, log: () => {} });
  proxy = await openSearchProxy(URL, { delayMs: 0, when: () => false });
});

afterAll(async () => {
  await proxy.close();
  await client.indices.delete({ index: `${names.prefix}-*`, expand_wildcards: 'all' } as never).catch(() => undefined);
  await client.close();
});

describe('SIGTERM during a slow download', () => {
  it('cuts it as an aborted stream after the timeout, and deletes its point-in-time before closing the OpenSearch client', async () => {
    const { server, stop } = await start({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      OPENSEARCH_URL: proxy.url,
      INDEX_PREFIX: names.prefix,
      SHUTDOWN_TIMEOUT_MS: '1000',
      DOWNLOAD_PAGE_SIZE: '100',
    });
    const port = (server.address() as { port: number }).port;
    let response: http.IncomingMessage | undefined;
    const ended = new Promise<{ status: number; bytes: number; how: string; complete: boolean; connection: string | undefined }>((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/api/records/1.0/download/?dataset=slow&format=csv' }, (res) => {
        response = res;
        let bytes = 0;
        let how = 'open';
        res.once('data', () => res.pause()); // a client that stops reading after the first chunk
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () => (how = 'end'));
        res.on('aborted', () => (how = 'aborted'));
        res.on('error', () => (how = how === 'open' ? 'error' : how));
        res.on('close', () => resolve({ status: res.statusCode ?? 0, bytes, how, complete: res.complete, connection: res.headers.connection }));
      });
      req.on('error', () => resolve({ status: 0, bytes: 0, how: 'request error', complete: false, connection: undefined }));
    });
    // Let the socket fill up, then stop (SIGTERM); the client reads the rest only afterwards.
    while (!response) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 1000));
    expect(await ourPits()).toBe(1);
    await stop();
    const stoppedAt = Date.now();
    response.resume();
    const outcome = await ended;
    expect(outcome).toMatchObject({ status: 200, how: 'aborted', complete: false });
    expect(outcome.bytes).toBeGreaterThan(0);
    const deletes = proxy.seen.filter((s) => s.method === 'DELETE' && s.path.startsWith('/_search/point_in_time'));
    expect(deletes).toHaveLength(1);
    expect(deletes[0]!.at).toBeLessThanOrEqual(stoppedAt);
    expect(await ourPits()).toBe(0);
  });
});
