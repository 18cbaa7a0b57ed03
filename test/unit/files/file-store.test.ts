import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directoryBlobStore } from '../../../src/files/blob-store';
import { contentHash } from '../../../src/files/content-address';
import { directoryFileStore } from '../../../src/files/file-store';
import { fileStoreContract } from './file-store.contract';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'filestore-'));
});
afterEach(async () => rm(root, { recursive: true, force: true }));

describe('the file store contract, on a local directory', () => {
  fileStoreContract(async () => directoryBlobStore(root));
});

describe('the directory file store', () => {
  it('lays files out at ab/cd/<sha256> with a metadata JSON beside them, and leaves no temporary file', async () => {
    const store = directoryFileStore(root, () => new Date('2026-01-02T03:04:05Z'));
    const content = Buffer.from('hello');
    const id = contentHash(content);
    const stored = await store.put(content, { filename: 'hello.txt', mimetype: 'text/plain' });
    const dir = join(root, id.slice(0, 2), id.slice(2, 4));
    expect(await readFile(join(dir, id), 'utf8')).toBe('hello');
    expect(JSON.parse(await readFile(join(dir, `${id}.json`), 'utf8'))).toEqual(stored);
    expect(store.locationOf(id)).toBe(join(dir, id));
    expect(store.location).toBe(root);
    expect((await readdir(dir)).sort()).toEqual([id, `${id}.json`]);
  });

  it('writes nothing to describe a file', async () => {
    await directoryFileStore(root).describe(Buffer.from('x'), { filename: 'x', mimetype: 'text/plain' });
    expect(await readdir(root)).toEqual([]);
  });
});
