import { createServer } from 'node:net';
import request from 'supertest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inMemoryAuth } from '../../src/auth/services';
import { contentHash } from '../../src/files/content-address';
import { buildFileObject } from '../../src/files/file-object';
import { fileStore } from '../../src/files/file-store';
import { s3BlobStore } from '../../src/files/s3-blob-store';
import type { DatasetDescriptorInput } from '../../src/datasets/descriptor';
import type { StoredRecord } from '../../src/responses/record';
import { pushApp, type PushApp } from '../helpers/push-app';
import { dimensions, png } from '../fixtures/files/images';

const DOC = join(__dirname, '..', 'fixtures', 'files', 'documentation.txt');

const photos = (id: string, visibility: DatasetDescriptorInput['visibility'] = 'public'): DatasetDescriptorInput => ({
  datasetid: id,
  metas: { title: id },
  fields: [
    { name: 'name', label: 'Name', type: 'text' },
    { name: 'photo', label: 'Photo', type: 'file', annotations: [{ name: 'has_thumbnails' }] },
  ],
  attachments: [
    { id: 'documentation_txt', title: 'Documentation', mimetype: 'text/plain', url: 'odsfile://documentation.txt' },
    { id: 'missing_pdf', title: 'Missing', mimetype: 'application/pdf', url: 'odsfile://missing.pdf' },
    { id: 'site', title: 'Web site', mimetype: 'text/html', url: 'https://example.org/about' },
  ],
  alternative_exports: [{ id: 'shapefile', title: 'Shapefile', mimetype: 'application/zip', url: 'odsfile://export.zip' }],
  visibility,
});

/** searchRecords of the fake: the file reference query (term on fields.<f>.id) over the dataset's records. */
function termsOf(body: unknown, out: [string, unknown][] = []): [string, unknown][] {
  if (Array.isArray(body)) body.forEach((b) => termsOf(b, out));
  else if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body)) {
      if (k === 'term') out.push(...(Object.entries(v as object) as [string, unknown][]));
      else termsOf(v, out);
    }
  }
  return out;
}

let ctx: PushApp;
let image: Buffer;
let imageId: string;
let pdfId: string;
/** A file whose header reads as a PNG but whose pixels cannot be decoded (a truncated upload). */
let brokenId: string;
let alice: string;
let bob: string;

beforeEach(async () => {
  const auth = inMemoryAuth();
  await auth.identity.putUser({ username: 'alice' });
  await auth.identity.putUser({ username: 'bob' });
  alice = (await auth.identity.createApiKey({ username: 'alice' })).key;
  bob = (await auth.identity.createApiKey({ username: 'bob' })).key;
  await auth.identity.putAccessRule({ dataset: 'zoo', subject: 'user:bob', hidden_fields: ['photo'] });
  ctx = await pushApp({ auth, datasets: [photos('zoo'), photos('other'), photos('private', { restricted: { users: ['alice'], groups: [] } })] });
  image = await png(400, 300);
  const stored = await ctx.files.put(image, { filename: 'lion.png', mimetype: 'image/png' });
  imageId = stored.id;
  const pdf = await ctx.files.put(Buffer.from('%PDF-1.4 fake'), { filename: 'r.pdf', mimetype: 'application/pdf' });
  pdfId = pdf.id;
  const broken = await ctx.files.put(image.subarray(0, 100), { filename: 'cut.png', mimetype: 'image/png' });
  brokenId = broken.id;
  const secret = await ctx.files.put(Buffer.from('secret of other'), { filename: 's.txt', mimetype: 'text/plain' });
  const rec = (id: string, fields: Record<string, unknown>): StoredRecord => ({ recordid: id, record_timestamp: '2026-01-01T00:00:00Z', fields });
  const zooRecords = [
    rec('r1', { name: 'Lion', photo: buildFileObject({ id: imageId, filename: 'Été 北京.png', mimetype: 'image/png', image: stored.image }) }),
    rec('r2', { name: 'Report', photo: buildFileObject({ id: pdfId, filename: 'r.pdf', mimetype: 'application/pdf', image: null }) }),
    rec('r3', { name: 'Cut', photo: buildFileObject({ id: brokenId, filename: 'cut.png', mimetype: 'image/png', image: broken.image }) }),
  ];
  ctx.backend.addDataset(photos('zoo'), zooRecords);
  ctx.backend.addDataset(photos('private', { restricted: { users: ['alice'], groups: [] } }), zooRecords);
  ctx.backend.addDataset(photos('other'), [rec('o1', { name: 'Secret', photo: buildFileObject({ id: secret.id, filename: 's.txt', mimetype: 'text/plain', image: null }) })]);
  ctx.backend.onSearch = (datasetId, body) => {
    const terms = termsOf(body);
    const hits = ctx.backend
      .recordsOf(datasetId)
      .filter((r) => terms.some(([path, value]) => (r.fields?.[path.split('.')[1] as string] as { id?: string } | undefined)?.id === value))
      .map((r) => ({ _id: r.recordid, _source: r }));
    return { hits: { total: { value: hits.length }, hits: hits.slice(0, 1) } };
  };
  for (const d of ['zoo', 'private']) await ctx.files.putNamed(d, 'documentation.txt', await readFile(DOC), { filename: 'documentation.txt', mimetype: 'text/plain' });
  await ctx.files.putNamed('zoo', 'export.zip', Buffer.from('PK zip'), { filename: 'zoo-export.zip', mimetype: 'application/zip' });
});
afterEach(async () => ctx.cleanup());

describe('attachments and alternative exports', () => {
  it('serves an attachment with its type, length, name, ETag and cache headers', async () => {
    const bytes = await readFile(DOC);
    const res = await request(ctx.app).get('/api/datasets/1.0/zoo/attachments/documentation_txt/').buffer(true).expect(200);
    expect(res.headers['content-type']).toBe('text/plain');
    expect(res.headers['content-length']).toBe(String(bytes.length));
    expect(res.headers['content-disposition']).toBe('attachment; filename="documentation.txt"');
    expect(res.headers.etag).toBe(`"${contentHash(bytes)}"`);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.from(res.text)).toEqual(bytes);
  });

  it('answers 304 to If-None-Match with the same ETag', async () => {
    const first = await request(ctx.app).get('/api/datasets/1.0/zoo/attachments/documentation_txt').expect(200);
    const again = await request(ctx.app).get('/api/datasets/1.0/zoo/attachments/documentation_txt').set('If-None-Match', first.headers.etag as string).expect(304);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.text).toBe('');
    await request(ctx.app).get('/api/datasets/1.0/zoo/attachments/documentation_txt').set('If-None-Match', '"other"').expect(200);
  });

  it('serves alternative exports, redirects link attachments, and answers 404 with a v1 body otherwise', async () => {
    const exp = await request(ctx.app).get('/api/datasets/1.0/zoo/alternative_exports/shapefile/').expect(200);
    expect(exp.headers['content-disposition']).toBe('attachment; filename="zoo-export.zip"');
    expect(exp.headers['content-type']).toBe('application/zip');
    const link = await request(ctx.app).get('/api/datasets/1.0/zoo/attachments/site/').expect(302);
    expect(link.headers.location).toBe('https://example.org/about');
    const unknown = await request(ctx.app).get('/api/datasets/1.0/zoo/attachments/nope/').expect(404);
    expect(unknown.body).toEqual({ errorcode: 10406, error: 'Unknown attachment: nope in dataset zoo' });
    await request(ctx.app).get('/api/datasets/1.0/zoo/attachments/missing_pdf/').expect(404);
    // the attachment of zoo is not one of other's (its named file is per dataset)
    await request(ctx.app).get('/api/datasets/1.0/other/attachments/documentation_txt/').expect(404);
    const ds = await request(ctx.app).get('/api/datasets/1.0/unknown/attachments/documentation_txt/').expect(404);
    expect(ds.body).toEqual({ errorcode: 10404, error: 'Unknown dataset: unknown' });
  });
});

describe('record files and thumbnails', () => {
  it('serves the original inline with its RFC 5987 name', async () => {
    const res = await request(ctx.app).get(`/api/datasets/1.0/zoo/files/${imageId}/`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['content-disposition']).toBe(`inline; filename="Ete __.png"; filename*=UTF-8''%C3%89t%C3%A9%20%E5%8C%97%E4%BA%AC.png`);
    expect(res.headers['cache-control']).toBe('public, max-age=86400');
    expect(res.headers['content-security-policy']).toMatch(/^sandbox/);
    expect(Buffer.compare(res.body as Buffer, image)).toBe(0);
  });

  it.each(['/api/datasets/1.0/zoo/files/ID/120/', '/api/datasets/1.0/zoo/images/ID/120', '/explore/dataset/zoo/files/ID/120/', '/explore/dataset/zoo/images/ID/120/'])(
    'serves a thumbnail at %s',
    async (path) => {
      const res = await request(ctx.app).get(path.replace('ID', imageId)).buffer(true).parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      }).expect(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.headers.etag).toBe(`"${imageId}-120"`);
      expect(await dimensions(res.body as Buffer)).toEqual({ width: 120, height: 90, format: 'png' });
      await request(ctx.app).get(path.replace('ID', imageId)).set('If-None-Match', res.headers.etag as string).expect(304);
    },
  );

  it('downloads the original from the portal form', async () => {
    const res = await request(ctx.app).get(`/explore/dataset/zoo/files/${imageId}/download/`).expect(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="Ete __.png"/);
  });

  it.each(['0', '2049', 'abc', '12.5'])('answers 400 for the thumbnail size %s', async (size) => {
    const res = await request(ctx.app).get(`/api/datasets/1.0/zoo/files/${imageId}/${size}/`).expect(400);
    expect(res.body).toEqual({ errorcode: 10400, parameter: 'size', error: 'Invalid value for parameter "size": expected a thumbnail size in pixels between 1 and 2048' });
  });

  it('has no thumbnail for a file that is not an image (404), but serves its original', async () => {
    const res = await request(ctx.app).get(`/api/datasets/1.0/zoo/files/${pdfId}/300/`).expect(404);
    expect(res.body.error).toMatch(/is not an image .*and has no thumbnail/);
    const pdf = await request(ctx.app).get(`/api/datasets/1.0/zoo/files/${pdfId}/`).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-security-policy']).toBeUndefined();
  });

  it('has no thumbnail for a file whose image data cannot be decoded (404, never 500), but serves its original', async () => {
    const res = await request(ctx.app).get(`/api/datasets/1.0/zoo/files/${brokenId}/300/`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errorcode: 10406, error: expect.stringMatching(new RegExp(`^File ${brokenId} of dataset zoo is not an image .*and has no thumbnail`)) });
    const original = await request(ctx.app).get(`/api/datasets/1.0/zoo/files/${brokenId}/`).buffer(true).expect(200);
    expect(original.headers['content-type']).toBe('image/png');
  });

  it("answers 404 for a file of another dataset, an unknown hash and a malformed id", async () => {
    const secretId = contentHash(Buffer.from('secret of other'));
    await request(ctx.app).get(`/api/datasets/1.0/other/files/${secretId}/`).expect(200);
    const res = await request(ctx.app).get(`/api/datasets/1.0/zoo/files/${secretId}/`).expect(404);
    expect(res.body).toEqual({ errorcode: 10406, error: `Unknown file: ${secretId} in dataset zoo` });
    await request(ctx.app).get(`/api/datasets/1.0/zoo/files/${'0'.repeat(64)}/`).expect(404);
    await request(ctx.app).get('/api/datasets/1.0/zoo/files/..%2F..%2Fetc%2Fpasswd/').expect(404);
  });

  it('serves an attachment by its file id too (a file of the dataset)', async () => {
    const id = contentHash(await readFile(DOC));
    await request(ctx.app).get(`/api/datasets/1.0/zoo/files/${id}/`).expect(200);
  });
});

describe('permissions, exactly as on the record APIs', () => {
  it('refuses attachments and files of a restricted dataset to an anonymous caller (401) and to a user without rights (404)', async () => {
    for (const path of ['/api/datasets/1.0/private/attachments/documentation_txt/', `/api/datasets/1.0/private/files/${imageId}/`, `/api/datasets/1.0/private/files/${imageId}/100/`]) {
      const anon = await request(ctx.app).get(path).expect(401);
      expect(anon.body.errorcode).toBe(10401);
      const other = await request(ctx.app).get(path).set('Authorization', `Apikey ${bob}`).expect(404);
      expect(other.body).toEqual({ errorcode: 10404, error: 'Unknown dataset: private' });
      const ok = await request(ctx.app).get(path).set('Authorization', `Apikey ${alice}`).expect(200);
      expect(ok.headers['cache-control']).toMatch(/^private, /);
    }
  });

  it('refuses the files of a file field hidden from the caller', async () => {
    await request(ctx.app).get(`/api/datasets/1.0/zoo/files/${imageId}/`).set('Authorization', `Apikey ${bob}`).expect(404);
    await request(ctx.app).get(`/api/datasets/1.0/zoo/files/${imageId}/`).set('Authorization', `Apikey ${alice}`).expect(200);
  });
});

describe('multimedia with the file store in a bucket that cannot be reached', () => {
  it('answers 503 with Retry-After (errorcode 10504), not a 500 or a 404', async () => {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    const port = (s.address() as { port: number }).port;
    await new Promise<void>((r) => s.close(() => r()));
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    const files = fileStore(s3BlobStore({ bucket: 'b', endpoint: `http://127.0.0.1:${port}`, accessKeyId: 'k', secretAccessKey: 's', requestTimeoutMs: 2000 }));
    const down = await pushApp({ datasets: [photos('zoo')], files });
    try {
      const res = await request(down.app).get('/api/datasets/1.0/zoo/attachments/documentation_txt/').expect(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body).toEqual({ errorcode: 10504, error: 'The file store is unavailable, retry later (a GET: ECONNREFUSED)' });
    } finally {
      await down.cleanup();
    }
  });
});
