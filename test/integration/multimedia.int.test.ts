/**
 * Multimedia on a real OpenSearch node and a real file store (a temporary directory): a pushed PNG
 * served back byte for byte and as a thumbnail; files loaded from a folder and an attachment added by
 * the ingest library; and files refused to callers without rights, exactly as records are
 * (visibility, and record filters of access rules, src/auth). Own datasets under a throwaway prefix.
 */
import request from 'supertest';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@opensearch-project/opensearch';
import type { Express } from 'express';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { inMemoryAuth } from '../../src/auth/services';
import { createOpenSearchClient } from '../../src/opensearch/client';
import { openSearchBackend } from '../../src/opensearch/backend';
import { indexNames } from '../../src/datasets/index-names';
import { datasetRegistry } from '../../src/datasets/registry';
import { parseDescriptor, type DatasetDescriptorInput } from '../../src/datasets/descriptor';
import { loadDataset } from '../../src/ingest';
import type { Row, SourceRow } from '../../src/ingest/types';
import { recordIdOf } from '../../src/ingest/record-id';
import { directoryFileStore, type FileStore } from '../../src/files/file-store';
import { attachFile } from '../../src/files/attachments';
import { fileColumnPreparer } from '../../src/files/file-columns';
import { contentHash } from '../../src/files/content-address';
import { openSearchPushLog } from '../../src/push/push-log';
import { memoryPushKeyStore, pushKeys } from '../../src/push/push-keys';
import { pushService } from '../../src/push/push-service';
import { dimensions, jpeg, png } from '../fixtures/files/images';

jest.setTimeout(180_000);
const URL = process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200';
const names = indexNames(`itmedia${Date.now().toString(36)}`);
const DOC = join(__dirname, '..', 'fixtures', 'files', 'documentation.txt');

const gallery = (id: string, visibility: DatasetDescriptorInput['visibility'] = 'public') =>
  parseDescriptor({
    datasetid: id,
    metas: { title: id },
    fields: [
      { name: 'name', label: 'Name', type: 'text', annotations: [{ name: 'id' }] },
      { name: 'kind', label: 'Kind', type: 'text', annotations: [{ name: 'facet' }] },
      { name: 'photo', label: 'Photo', type: 'file', annotations: [{ name: 'has_thumbnails' }] },
    ],
    visibility,
  });

const rowsOf = (rows: Row[]): AsyncIterable<SourceRow> => (async function* () { let line = 0; for (const row of rows) yield { line: ++line, row }; })();

let client: Client;
let app: Express;
let dir: string;
let files: FileStore;
let galleryKey: string;
let vaultKey: string;
const apikeys: Record<string, string> = {};
let folderImage: Buffer;

const asBuffer = (req: request.Test) =>
  req.buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  });

beforeAll(async () => {
  client = createOpenSearchClient({ opensearchUrl: URL });
  dir = await mkdtemp(join(tmpdir(), 'itmedia-'));
  files = directoryFileStore(join(dir, 'files'));
  // gallery: a public dataset loaded from rows whose photo column names files in a folder, with an attachment
  await mkdir(join(dir, 'photos'));
  folderImage = await jpeg(64, 32);
  await writeFile(join(dir, 'photos', 'fox.jpg'), folderImage);
  const attachment = await attachFile(files, 'gallery', `${DOC}:Documentation`);
  await loadDataset({
    client,
    names,
    datasetId: 'gallery',
    descriptor: gallery('gallery'),
    source: { rows: rowsOf([{ name: 'Fox', kind: 'public', photo: 'fox.jpg' }, { name: 'Nothing', kind: 'public' }]) },
    prepareRow: (d) => fileColumnPreparer(d, join(dir, 'photos'), files),
    attachments: [attachment],
    log: () => {},
  });
  // vault: restricted to alice and bob; bob only sees records of kind "public"
  await loadDataset({
    client,
    names,
    datasetId: 'vault',
    descriptor: gallery('vault', { restricted: { users: ['alice', 'bob'], groups: [] } }),
    source: { rows: rowsOf([{ name: 'Seed', kind: 'public' }]) },
    attachments: [await attachFile(files, 'vault', DOC)],
    log: () => {},
  });

  const auth = inMemoryAuth();
  for (const u of ['alice', 'bob', 'carol']) {
    await auth.identity.putUser({ username: u });
    apikeys[u] = (await auth.identity.createApiKey({ username: u })).key;
  }
  await auth.identity.putAccessRule({ dataset: 'vault', subject: 'user:bob', record_filter: 'kind:public' });

  const backend = openSearchBackend(client, names);
  const keys = pushKeys(memoryPushKeyStore());
  galleryKey = (await keys.create({ dataset: 'gallery', resource: 'live' })).key;
  vaultKey = (await keys.create({ dataset: 'vault', resource: 'live' })).key;
  app = createApp({
    config: { trustProxy: false, maxRequestBodyBytes: 1 << 20 },
    logger: createLogger('silent'),
    backend,
    registry: datasetRegistry(backend, 0),
    auth,
    push: { service: pushService({ backend, files, log: openSearchPushLog(client, names) }), keys },
    files,
  });
});

afterAll(async () => {
  await client.indices.delete({ index: `${names.prefix}-*`, expand_wildcards: 'all' } as never).catch(() => undefined);
  await client.close();
  await rm(dir, { recursive: true, force: true });
});

describe('multimedia on a real node', () => {
  it('When a PNG is pushed, then the record holds its file object and the file is served byte for byte and as a thumbnail', async () => {
    const image = await png(640, 480);
    await request(app)
      .post(`/api/push/1.0/gallery/live/push/?pushkey=${galleryKey}`)
      .send({ name: 'Lion', kind: 'public', photo: { content: image.toString('base64'), 'content-type': 'image/png', filename: 'lion.png' } })
      .expect(200, { status: 'OK' });
    const rec = await request(app).get(`/api/datasets/1.0/gallery/records/${recordIdOf({ name: 'Lion' }, ['name'])}/`).expect(200);
    const id = contentHash(image);
    expect(rec.body.fields.photo).toEqual({ id, filename: 'lion.png', mimetype: 'image/png', format: 'PNG', width: 640, height: 480, thumbnail: true });

    const original = await asBuffer(request(app).get(`/api/datasets/1.0/gallery/files/${id}/`)).expect(200);
    expect(original.headers['content-type']).toBe('image/png');
    expect(original.headers['content-length']).toBe(String(image.length));
    expect(original.headers.etag).toBe(`"${id}"`);
    expect(Buffer.compare(original.body as Buffer, image)).toBe(0);

    const thumb = await asBuffer(request(app).get(`/api/datasets/1.0/gallery/files/${id}/300/`)).expect(200);
    expect(await dimensions(thumb.body as Buffer)).toEqual({ width: 300, height: 225, format: 'png' });
    const legacy = await asBuffer(request(app).get(`/explore/dataset/gallery/images/${id}/100/`)).expect(200);
    expect(await dimensions(legacy.body as Buffer)).toEqual({ width: 100, height: 75, format: 'png' });
    await request(app).get(`/api/datasets/1.0/gallery/files/${id}/300/`).set('If-None-Match', thumb.headers.etag as string).expect(304);
  });

  it('When files come from a folder and an attachment from the ingest, then both are served', async () => {
    const fox = await request(app).get(`/api/datasets/1.0/gallery/records/${recordIdOf({ name: 'Fox' }, ['name'])}/`).expect(200);
    expect(fox.body.fields.photo).toEqual({ id: contentHash(folderImage), filename: 'fox.jpg', mimetype: 'image/jpeg', format: 'JPEG', width: 64, height: 32, thumbnail: true });
    const served = await asBuffer(request(app).get(`/api/datasets/1.0/gallery/files/${contentHash(folderImage)}/`)).expect(200);
    expect(Buffer.compare(served.body as Buffer, folderImage)).toBe(0);

    const ds = await request(app).get('/api/datasets/1.0/gallery/').expect(200);
    expect(ds.body.attachments).toEqual([{ id: 'documentation_txt', title: 'Documentation', mimetype: 'text/plain', url: 'odsfile://documentation.txt' }]);
    const doc = await asBuffer(request(app).get('/api/datasets/1.0/gallery/attachments/documentation_txt/')).expect(200);
    expect(Buffer.compare(doc.body as Buffer, await readFile(DOC))).toBe(0);
    expect(doc.headers['content-disposition']).toBe('attachment; filename="documentation.txt"');
  });

  it("When a file id of another dataset is asked, then it is unknown (404)", async () => {
    const res = await request(app).get(`/api/datasets/1.0/vault/files/${contentHash(folderImage)}/`).set('Authorization', `Apikey ${apikeys.alice}`).expect(404);
    expect(res.body.errorcode).toBe(10406);
  });

  it('When a caller has no rights on the dataset, then its attachments and files are refused as its records are', async () => {
    const secret = await png(50, 50, { r: 0, g: 0, b: 0 });
    const open = await png(40, 40, { r: 255, g: 255, b: 255 });
    await request(app)
      .post(`/api/push/1.0/vault/live/push/?pushkey=${vaultKey}`)
      .send([
        { name: 'Secret', kind: 'secret', photo: { content: secret.toString('base64'), 'content-type': 'image/png' } },
        { name: 'Open', kind: 'public', photo: { content: open.toString('base64'), 'content-type': 'image/png' } },
      ])
      .expect(200);
    const secretPath = `/api/datasets/1.0/vault/files/${contentHash(secret)}/`;
    const openPath = `/api/datasets/1.0/vault/files/${contentHash(open)}/`;
    const attachmentPath = '/api/datasets/1.0/vault/attachments/documentation_txt/';
    const secretRecord = `/api/datasets/1.0/vault/records/${recordIdOf({ name: 'Secret' }, ['name'])}/`;
    const as = (user?: string) => (req: request.Test) => (user ? req.set('Authorization', `Apikey ${apikeys[user]}`) : req);

    // anonymous: 401, like the records
    for (const p of [secretPath, `${secretPath}20/`, attachmentPath, secretRecord]) await request(app).get(p).expect(401);
    // carol, without rights: the dataset does not exist for her
    for (const p of [secretPath, `${openPath}20/`, attachmentPath, secretRecord]) {
      const res = await as('carol')(request(app).get(p)).expect(404);
      expect(res.body).toEqual({ errorcode: 10404, error: 'Unknown dataset: vault' });
    }
    // bob sees only records of kind "public": the file of the secret record is unknown to him, as is the record
    await as('bob')(request(app).get(secretRecord)).expect(404);
    await as('bob')(request(app).get(secretPath)).expect(404);
    await as('bob')(request(app).get(`${secretPath}20/`)).expect(404);
    await as('bob')(request(app).get(openPath)).expect(200);
    await as('bob')(request(app).get(attachmentPath)).expect(200);
    // alice sees everything
    const ok = await as('alice')(request(app).get(secretPath)).expect(200);
    expect(ok.headers['cache-control']).toMatch(/^private/);
    await as('alice')(request(app).get(secretRecord)).expect(200);
  });
});
