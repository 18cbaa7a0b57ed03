import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentHash } from '../../../src/files/content-address';
import { directoryFileStore, type FileStore } from '../../../src/files/file-store';
import { dimensions, jpeg, png } from '../../fixtures/files/images';

let root: string;
let store: FileStore;
const clock = () => new Date('2026-01-02T03:04:05Z');

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'filestore-'));
  store = directoryFileStore(root, clock);
});
afterEach(async () => rm(root, { recursive: true, force: true }));

describe('the directory file store', () => {
  it('stores bytes at ab/cd/<sha256> with a metadata JSON beside them', async () => {
    const content = Buffer.from('hello');
    const id = contentHash(content);
    const stored = await store.put(content, { filename: 'hello.txt', mimetype: 'text/plain' });
    expect(stored).toEqual({ id, size: 5, mimetype: 'text/plain', filename: 'hello.txt', created_at: '2026-01-02T03:04:05.000Z', image: null });
    expect(await readFile(join(root, id.slice(0, 2), id.slice(2, 4), id), 'utf8')).toBe('hello');
    expect(JSON.parse(await readFile(join(root, id.slice(0, 2), id.slice(2, 4), `${id}.json`), 'utf8'))).toEqual(stored);
    expect(store.contentPath(id)).toBe(join(root, id.slice(0, 2), id.slice(2, 4), id));
    // no temporary file is left behind
    expect((await readdir(join(root, id.slice(0, 2), id.slice(2, 4)))).sort()).toEqual([id, `${id}.json`]);
  });

  it('stores the same bytes once, keeping the first name', async () => {
    const a = await store.put(Buffer.from('same'), { filename: 'a.txt', mimetype: 'text/plain' });
    const b = await store.put(Buffer.from('same'), { filename: 'b.txt', mimetype: 'text/plain' });
    expect(b).toEqual(a);
    expect((await store.stat(a.id))?.filename).toBe('a.txt');
  });

  it('describes without writing', async () => {
    const d = await store.describe(await png(10, 20), { filename: 'p.png', mimetype: 'image/png' });
    expect(d.image).toEqual({ format: 'png', width: 10, height: 20 });
    expect(await store.stat(d.id)).toBeUndefined();
    expect(await readdir(root)).toEqual([]);
  });

  it('knows nothing of an unknown or malformed id', async () => {
    expect(await store.stat('f'.repeat(64))).toBeUndefined();
    expect(await store.stat('../../etc/passwd')).toBeUndefined();
    expect(await store.thumbnail('../x', 10)).toBeUndefined();
  });

  it('makes a thumbnail once, no larger than asked on its longer side, and keeps it', async () => {
    const stored = await store.put(await png(400, 200), { filename: 'wide.png', mimetype: 'image/png' });
    const t = await store.thumbnail(stored.id, 100);
    expect(t?.mimetype).toBe('image/png');
    expect(await dimensions(await readFile(t!.path))).toEqual({ width: 100, height: 50, format: 'png' });
    const before = (await stat(t!.path)).mtimeMs;
    const again = await store.thumbnail(stored.id, 100);
    expect(again).toEqual(t);
    expect((await stat(again!.path)).mtimeMs).toBe(before);
    // never enlarged
    const big = await store.thumbnail(stored.id, 2000);
    expect(await dimensions(await readFile(big!.path))).toEqual({ width: 400, height: 200, format: 'png' });
  });

  it('keeps JPEG thumbnails JPEG', async () => {
    const stored = await store.put(await jpeg(50, 100), { filename: 'tall.jpg', mimetype: 'image/jpeg' });
    const t = await store.thumbnail(stored.id, 10);
    expect(t?.mimetype).toBe('image/jpeg');
    expect(await dimensions(await readFile(t!.path))).toEqual({ width: 5, height: 10, format: 'jpeg' });
  });

  it('concurrent first requests of a thumbnail render it once', async () => {
    const stored = await store.put(await png(300, 300), { filename: 'sq.png', mimetype: 'image/png' });
    const all = await Promise.all([1, 2, 3, 4].map(() => store.thumbnail(stored.id, 30)));
    expect(new Set(all.map((t) => t?.path)).size).toBe(1);
  });

  it('has no thumbnail for a file that is not an image', async () => {
    const stored = await store.put(Buffer.from('%PDF-1.4 not really'), { filename: 'doc.pdf', mimetype: 'application/pdf' });
    expect(stored.image).toBeNull();
    expect(await store.thumbnail(stored.id, 100)).toBeUndefined();
  });

  it('names files per dataset (odsfile://<name>) and replaces a name', async () => {
    const first = await store.putNamed('cities', 'documentation.pdf', Buffer.from('v1'), { filename: 'documentation.pdf', mimetype: 'application/pdf' });
    expect(await store.named('cities', 'documentation.pdf')).toEqual(first);
    expect(await store.named('other', 'documentation.pdf')).toBeUndefined();
    const second = await store.putNamed('cities', 'documentation.pdf', Buffer.from('v2'), { filename: 'documentation.pdf', mimetype: 'application/pdf' });
    expect(second.id).not.toBe(first.id);
    expect((await store.named('cities', 'documentation.pdf'))?.id).toBe(second.id);
    await expect(store.putNamed('cities', '../escape', Buffer.from('x'), { filename: 'x', mimetype: 'text/plain' })).rejects.toThrow(/Invalid file name/);
    await expect(store.putNamed('Bad Id', 'a.txt', Buffer.from('x'), { filename: 'x', mimetype: 'text/plain' })).rejects.toThrow(/Invalid dataset id/);
    expect(await store.named('cities', '../../x')).toBeUndefined();
  });
});
