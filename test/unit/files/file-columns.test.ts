import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDescriptor } from '../../../src/datasets/descriptor';
import { fileColumnPreparer, insideDir } from '../../../src/files/file-columns';
import { directoryFileStore } from '../../../src/files/file-store';
import { contentHash } from '../../../src/files/content-address';
import { png } from '../../fixtures/files/images';

const descriptor = parseDescriptor({
  datasetid: 'animals',
  metas: { title: 'Animals' },
  fields: [
    { name: 'name', label: 'Name', type: 'text' },
    { name: 'photo', label: 'Photo', type: 'file' },
  ],
});

let dir: string;
let storeDir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'filesdir-'));
  storeDir = await mkdtemp(join(tmpdir(), 'filestore-'));
  await mkdir(join(dir, 'pics'));
  await writeFile(join(dir, 'pics', 'cat.png'), await png(8, 6));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(storeDir, { recursive: true, force: true });
});

describe('--files-dir', () => {
  it.each([
    ['pics/cat.png', true],
    ['./pics/../pics/cat.png', true],
    ['../outside.png', false],
    ['/etc/passwd', false],
    ['pics/../../x', false],
    ['', false],
    ['a\0b', false],
  ])('insideDir(%j) → %s', (name, ok) => {
    expect(insideDir('/data/files', name) !== undefined).toBe(ok);
  });

  it('replaces a file name by the stored v1 file object (columns matched by label too)', async () => {
    const store = directoryFileStore(storeDir);
    const prepare = fileColumnPreparer(descriptor, dir, store);
    const content = await png(8, 6);
    const r = await prepare({ Name: 'Tom', Photo: 'pics/cat.png' });
    expect(r).toEqual({
      ok: true,
      row: { Name: 'Tom', Photo: { id: contentHash(content), filename: 'cat.png', mimetype: 'image/png', format: 'PNG', width: 8, height: 6, thumbnail: true } },
    });
    expect(await store.stat(contentHash(content))).toBeDefined();
  });

  it('rejects a row whose file is missing or outside the folder, and leaves empty cells alone', async () => {
    const prepare = fileColumnPreparer(descriptor, dir, directoryFileStore(storeDir));
    expect(await prepare({ name: 'x', photo: 'pics/dog.png' })).toEqual({ ok: false, reason: 'field "photo" (column "photo"): cannot read "pics/dog.png" in the --files-dir folder (ENOENT)' });
    expect(await prepare({ name: 'x', photo: '../secret' })).toEqual({ ok: false, reason: 'field "photo" (column "photo"): file name "../secret" leaves the --files-dir folder' });
    expect(await prepare({ name: 'x', photo: '' })).toEqual({ ok: true, row: { name: 'x', photo: '' } });
  });

  it('writes nothing in a dry run', async () => {
    const emptyStore = await mkdtemp(join(tmpdir(), 'filestore-dry-'));
    const store = directoryFileStore(emptyStore);
    const r = await fileColumnPreparer(descriptor, dir, store, { dryRun: true })({ name: 'Tom', photo: 'pics/cat.png' });
    expect(r.ok).toBe(true);
    expect(await store.stat(contentHash(await png(8, 6)))).toBeUndefined();
    await rm(emptyStore, { recursive: true, force: true });
  });
});
