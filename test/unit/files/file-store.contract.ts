/**
 * The file store contract (src/files/file-store.ts), run on a local directory (unit) and on an
 * S3-compatible bucket served by S3Proxy (integration): the same cases, so both backends mean the same.
 */
import type { Readable } from 'node:stream';
import type { BlobStore } from '../../../src/files/blob-store';
import { contentHash } from '../../../src/files/content-address';
import { fileStore, type FileStore } from '../../../src/files/file-store';
import { dimensions, jpeg, png } from '../../fixtures/files/images';

export async function bytesOf(stream: Readable | undefined): Promise<Buffer> {
  if (!stream) throw new Error('no stream');
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

/** A BlobStore that records the keys written, over another one. */
function counting(blobs: BlobStore): BlobStore & { puts: string[] } {
  const puts: string[] = [];
  return { ...blobs, locationOf: blobs.locationOf, puts, put: (k, d, t) => (puts.push(k), blobs.put(k, d, t)) };
}

export function fileStoreContract(make: () => Promise<BlobStore>): void {
  let blobs: BlobStore & { puts: string[] };
  let store: FileStore;
  const clock = () => new Date('2026-01-02T03:04:05Z');
  beforeEach(async () => {
    blobs = counting(await make());
    store = fileStore(blobs, clock);
  });

  it('stores bytes under their sha256 with their facts, and serves them back', async () => {
    const content = Buffer.from(`hello ${Math.random()}`);
    const id = contentHash(content);
    const stored = await store.put(content, { filename: 'hello.txt', mimetype: 'text/plain' });
    expect(stored).toEqual({ id, size: content.length, mimetype: 'text/plain', filename: 'hello.txt', created_at: '2026-01-02T03:04:05.000Z', image: null });
    expect(await store.stat(id)).toEqual(stored);
    expect(await bytesOf(await store.open(id))).toEqual(content);
    expect(blobs.puts).toEqual([`${id.slice(0, 2)}/${id.slice(2, 4)}/${id}`, `${id.slice(0, 2)}/${id.slice(2, 4)}/${id}.json`]);
    expect(store.locationOf(id).endsWith(`${id.slice(0, 2)}/${id.slice(2, 4)}/${id}`)).toBe(true);
  });

  it('stores the same bytes once, keeping the first name', async () => {
    const same = Buffer.from(`same ${Math.random()}`);
    const a = await store.put(same, { filename: 'a.txt', mimetype: 'text/plain' });
    const b = await store.put(same, { filename: 'b.txt', mimetype: 'text/plain' });
    expect(b).toEqual(a);
    expect((await store.stat(a.id))?.filename).toBe('a.txt');
    expect(blobs.puts).toHaveLength(2);
  });

  it('describes without writing', async () => {
    const d = await store.describe(await png(10, 20), { filename: 'p.png', mimetype: 'image/png' });
    expect(d.image).toEqual({ format: 'png', width: 10, height: 20 });
    expect(blobs.puts).toEqual([]);
  });

  it('knows nothing of an unknown or malformed id', async () => {
    expect(await store.stat('f'.repeat(64))).toBeUndefined();
    expect(await store.open('f'.repeat(64))).toBeUndefined();
    expect(await store.stat('../../etc/passwd')).toBeUndefined();
    expect(await store.open('../../etc/passwd')).toBeUndefined();
    expect(await store.thumbnail('../x', 10)).toBeUndefined();
  });

  it('makes a thumbnail once, no larger than asked on its longer side, and keeps it', async () => {
    const stored = await store.put(await png(400, 200 + Math.floor(Math.random() * 10)), { filename: 'wide.png', mimetype: 'image/png' });
    const t = await store.thumbnail(stored.id, 100);
    expect(t?.mimetype).toBe('image/png');
    const bytes = await bytesOf(await t!.open());
    expect(bytes.length).toBe(t!.bytes);
    expect((await dimensions(bytes)).width).toBe(100);
    const writes = blobs.puts.length;
    const again = await store.thumbnail(stored.id, 100);
    expect({ mimetype: again?.mimetype, bytes: again?.bytes }).toEqual({ mimetype: t!.mimetype, bytes: t!.bytes });
    expect(blobs.puts.length).toBe(writes); // served from the store, not rendered again
    // never enlarged
    const big = await store.thumbnail(stored.id, 2000);
    expect((await dimensions(await bytesOf(await big!.open()))).width).toBe(400);
  });

  it('keeps JPEG thumbnails JPEG', async () => {
    const stored = await store.put(await jpeg(50, 100), { filename: 'tall.jpg', mimetype: 'image/jpeg' });
    const t = await store.thumbnail(stored.id, 10);
    expect(t?.mimetype).toBe('image/jpeg');
    expect(await dimensions(await bytesOf(await t!.open()))).toEqual({ width: 5, height: 10, format: 'jpeg' });
  });

  it('concurrent first requests of a thumbnail render it once', async () => {
    const stored = await store.put(await png(300, 301), { filename: 'sq.png', mimetype: 'image/png' });
    const before = blobs.puts.length;
    await Promise.all([1, 2, 3, 4].map(() => store.thumbnail(stored.id, 30)));
    expect(blobs.puts.length - before).toBe(1);
  });

  it('has no thumbnail for a file that is not an image', async () => {
    const stored = await store.put(Buffer.from('%PDF-1.4 not really'), { filename: 'doc.pdf', mimetype: 'application/pdf' });
    expect(stored.image).toBeNull();
    expect(await store.thumbnail(stored.id, 100)).toBeUndefined();
  });

  it('names files per dataset (odsfile://<name>) and replaces a name', async () => {
    const ds = `cities${Math.floor(Math.random() * 1e6)}`;
    const first = await store.putNamed(ds, 'documentation.pdf', Buffer.from('v1'), { filename: 'documentation.pdf', mimetype: 'application/pdf' });
    expect(await store.named(ds, 'documentation.pdf')).toEqual(first);
    expect(await store.named(`${ds}x`, 'documentation.pdf')).toBeUndefined();
    const second = await store.putNamed(ds, 'documentation.pdf', Buffer.from('v2'), { filename: 'documentation.pdf', mimetype: 'application/pdf' });
    expect(second.id).not.toBe(first.id);
    expect((await store.named(ds, 'documentation.pdf'))?.id).toBe(second.id);
    expect(await bytesOf(await store.open(second.id))).toEqual(Buffer.from('v2'));
    await expect(store.putNamed(ds, '../escape', Buffer.from('x'), { filename: 'x', mimetype: 'text/plain' })).rejects.toThrow(/Invalid file name/);
    await expect(store.putNamed('Bad Id', 'a.txt', Buffer.from('x'), { filename: 'x', mimetype: 'text/plain' })).rejects.toThrow(/Invalid dataset id/);
    expect(await store.named(ds, '../../x')).toBeUndefined();
  });
}
