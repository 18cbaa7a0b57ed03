/**
 * The S3 file store against a real S3-compatible server: S3Proxy (filesystem backend), started here by
 * the project's own script (ops/s3proxy/start.sh) on 127.0.0.1 and stopped at the end. The file store
 * contract of the unit tests runs on it; then two gateway "replicas" that share the bucket but nothing
 * on disk (each has its own empty FILE_STORE_DIR-less setup) serve each other's files, over the real
 * OpenSearch node.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Client } from '@opensearch-project/opensearch';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/app';
import { parseDescriptor } from '../../src/datasets/descriptor';
import { datasetRegistry } from '../../src/datasets/registry';
import { indexNames } from '../../src/datasets/index-names';
import { createFileStore } from '../../src/files/create-file-store';
import { loadDataset } from '../../src/ingest';
import { createLogger } from '../../src/logger';
import { openSearchBackend } from '../../src/opensearch/backend';
import { createOpenSearchClient } from '../../src/opensearch/client';
import { memoryPushKeyStore, pushKeys } from '../../src/push/push-keys';
import { openSearchPushLog } from '../../src/push/push-log';
import { pushService } from '../../src/push/push-service';
import { s3BlobStore } from '../../src/files/s3-blob-store';
import { png, dimensions } from '../fixtures/files/images';
import { sensorsDescriptor } from '../helpers/push-app';
import { fileStoreContract } from '../unit/files/file-store.contract';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const PORT = Number(process.env.ODS_TEST_S3_PORT ?? 9280);
const ENDPOINT = `http://127.0.0.1:${PORT}`;
const BUCKET = 'ods-test-files';
const URL = process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200';
const names = indexNames(`its3${Date.now().toString(36)}`);
const s3env = {
  fileStoreDir: '/nonexistent-file-store-dir', // never used: the bucket is set
  fileStoreS3Bucket: BUCKET,
  fileStoreS3Prefix: `run-${Date.now().toString(36)}`,
  fileStoreS3Endpoint: ENDPOINT,
  fileStoreS3Region: 'us-east-1',
  fileStoreS3ForcePathStyle: undefined,
  fileStoreS3AccessKeyId: 'local-identity',
  fileStoreS3SecretAccessKey: 'local-credential',
};

jest.setTimeout(180_000);
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

beforeAll(async () => {
  await run('bash', [join(ROOT, 'ops/s3proxy/start.sh'), '--port', String(PORT), '--name', 'test', '--bucket', BUCKET, '--fresh'], { cwd: ROOT, timeout: 170_000 });
}, 175_000);

afterAll(async () => {
  await run('bash', [join(ROOT, 'ops/s3proxy/stop.sh'), '--name', 'test'], { cwd: ROOT, timeout: 30_000 });
});

describe('the file store contract, on S3Proxy', () => {
  let n = 0;
  fileStoreContract(async () =>
    s3BlobStore({ bucket: BUCKET, prefix: `contract-${Date.now().toString(36)}-${(n += 1)}`, endpoint: ENDPOINT, accessKeyId: 'local-identity', secretAccessKey: 'local-credential' }),
  );
});

describe('two gateway replicas sharing a bucket', () => {
  let client: Client;
  let a: Express;
  let b: Express;
  let key: string;

  beforeAll(async () => {
    client = createOpenSearchClient({ opensearchUrl: URL });
    const descriptor = parseDescriptor(sensorsDescriptor);
    await loadDataset({ client, names, datasetId: 'sensors', descriptor, source: { rows: (async function* () {})() }, log: () => {} });
    const keys = pushKeys(memoryPushKeyStore());
    key = (await keys.create({ dataset: 'sensors', resource: 'live' })).key;
    const replica = async (): Promise<Express> => {
      const backend = openSearchBackend(client, names);
      const files = await createFileStore(s3env); // each replica its own client, the same bucket
      return createApp({
        config: { trustProxy: false, maxRequestBodyBytes: 1 << 20 },
        logger: createLogger('silent'),
        backend,
        registry: datasetRegistry(backend, 0),
        push: { service: pushService({ backend, files, log: openSearchPushLog(client, names) }), keys },
        files,
      });
    };
    a = await replica();
    b = await replica();
  });

  afterAll(async () => {
    await client.indices.delete({ index: `${names.prefix}-*`, expand_wildcards: 'all' } as never).catch(() => undefined);
    await client.close();
  });

  it('serves from one replica, original and thumbnail, a file pushed through the other', async () => {
    const image = await png(120, 60);
    await request(a)
      .post(`/api/push/1.0/sensors/live/push/?pushkey=${key}`)
      .send({ station: 'S3', value: 1, photo: { content: image.toString('base64'), 'content-type': 'image/png', filename: 'p.png' } })
      .expect(200);
    const search = await request(b).get('/api/records/1.0/search/?dataset=sensors&q=station:S3').expect(200);
    const photo = search.body.records[0].fields.photo as { id: string };
    const original = await request(b).get(`/api/datasets/1.0/sensors/files/${photo.id}/`).buffer(true).expect(200);
    expect(Buffer.compare(original.body as Buffer, image)).toBe(0);
    const thumb = await request(b).get(`/api/datasets/1.0/sensors/files/${photo.id}/30/`).buffer(true).expect(200);
    expect(await dimensions(thumb.body as Buffer)).toEqual({ width: 30, height: 15, format: 'png' });
    // the thumbnail made by b is in the bucket: a serves it too
    const fromA = await request(a).get(`/api/datasets/1.0/sensors/files/${photo.id}/30/`).buffer(true).expect(200);
    expect(Buffer.compare(fromA.body as Buffer, thumb.body as Buffer)).toBe(0);
  });
});
