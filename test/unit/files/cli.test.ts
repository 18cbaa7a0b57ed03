/**
 * The `files` command and the ingest options for files (--attach, --files-dir), without OpenSearch:
 * the ingest runs as a dry run, which checks every row and writes nothing to the store.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runFilesCli } from '../../../src/cli/files';
import { runIngestCli } from '../../../src/cli/ingest';
import { contentHash } from '../../../src/files/content-address';
import { png } from '../../fixtures/files/images';

const DOC = join(__dirname, '..', '..', 'fixtures', 'files', 'documentation.txt');
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'files-cli-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

async function files(args: string[]) {
  let out = '';
  let err = '';
  const code = await runFilesCli(args, { env: { FILE_STORE_DIR: join(dir, 'store') }, out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}

function sink(): Writable & { text: string } {
  const w = new Writable({
    write(chunk, _enc, cb) {
      w.text += String(chunk);
      cb();
    },
  }) as Writable & { text: string };
  w.text = '';
  return w;
}

describe('files CLI', () => {
  it('puts a file and prints its v1 file object; info reads it back', async () => {
    await writeFile(join(dir, 'dot.png'), await png(3, 2));
    const put = await files(['put', join(dir, 'dot.png')]);
    expect(put.code).toBe(0);
    const id = contentHash(await png(3, 2));
    expect(JSON.parse(put.out)).toEqual({ id, filename: 'dot.png', mimetype: 'image/png', format: 'PNG', width: 3, height: 2, thumbnail: true });
    const info = await files(['info', id]);
    expect(JSON.parse(info.out)).toMatchObject({ id, size: expect.any(Number), image: { format: 'png', width: 3, height: 2 } });
    expect((await files(['info', 'nope'])).code).toBe(2);
  });

  it('adds a named file of a dataset for attachments and alternative exports', async () => {
    const r = await files(['add', 'cities', DOC]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ id: 'documentation_txt', url: 'odsfile://documentation.txt', mimetype: 'text/plain' });
    expect((await files(['add', 'Bad Id', DOC])).code).toBe(2);
    expect((await files(['add', 'cities', join(dir, 'missing.pdf')])).code).toBe(2);
  });
});

describe('ingest --attach and --files-dir (dry run)', () => {
  it('checks file columns against the folder and lists the attachment, writing nothing', async () => {
    await mkdir(join(dir, 'photos'));
    await writeFile(join(dir, 'photos', 'a.png'), await png(4, 4));
    await writeFile(join(dir, 'animals.csv'), 'name,photo\nA,a.png\nB,missing.png\nC,../escape.png\n');
    await writeFile(
      join(dir, 'animals.json'),
      JSON.stringify({ datasetid: 'animals', metas: { title: 'Animals' }, fields: [{ name: 'name', label: 'Name', type: 'text' }, { name: 'photo', label: 'Photo', type: 'file' }] }),
    );
    const stdout = sink();
    const stderr = sink();
    const code = await runIngestCli(
      [join(dir, 'animals.csv'), '--dataset', 'animals', '--descriptor', join(dir, 'animals.json'), '--dry-run', '--no-progress',
        '--files-dir', join(dir, 'photos'), '--attach', `${DOC}:Guide`, '--rejects', join(dir, 'rejects.ndjson'), '--write-descriptor', join(dir, 'out.json')],
      { stdout, stderr, env: { FILE_STORE_DIR: join(dir, 'store'), PUSH_BACKUP_DIR: join(dir, 'backup') } },
    );
    expect(stdout.text).toMatch(/3 rows read, 1 valid \(dry run\), 2 rejected/);
    expect(code).toBe(1);
    const rejects = (await readFile(join(dir, 'rejects.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l).reason);
    expect(rejects).toEqual([
      'field "photo" (column "photo"): cannot read "missing.png" in the --files-dir folder (ENOENT)',
      'field "photo" (column "photo"): file name "../escape.png" leaves the --files-dir folder',
    ]);
    const written = JSON.parse(await readFile(join(dir, 'out.json'), 'utf8'));
    expect(written.attachments).toEqual([{ id: 'documentation_txt', title: 'Guide', mimetype: 'text/plain', url: 'odsfile://documentation.txt' }]);
    expect(await readdir(dir)).not.toContain('store');
  });

  it('refuses a missing attachment or folder as a usage error', async () => {
    await writeFile(join(dir, 'x.csv'), 'a\n1\n');
    for (const extra of [['--attach', join(dir, 'nope.pdf')], ['--files-dir', join(dir, 'nope')]]) {
      const stderr = sink();
      const code = await runIngestCli([join(dir, 'x.csv'), '--dataset', 'x', '--dry-run', '--no-progress', ...extra], { stdout: sink(), stderr, env: { FILE_STORE_DIR: join(dir, 'store') } });
      expect(code).toBe(2);
      expect(stderr.text).toMatch(/--attach .*no file at|--files-dir .*not a directory/);
    }
  });
});
