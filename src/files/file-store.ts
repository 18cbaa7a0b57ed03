/**
 * The file store: a directory (FILE_STORE_DIR; a volume shared by every gateway replica in
 * docker-compose), content-addressed. Used by pushed file fields, `--files-dir` loads, attachments and
 * alternative exports.
 *
 *   <root>/ab/cd/<sha256>                     the bytes, written once
 *   <root>/ab/cd/<sha256>.json                {id, size, mimetype, filename, created_at, image} (the first name it came with)
 *   <root>/thumbs/ab/cd/<sha256>-<size>.<ext> thumbnails, made on first request and kept
 *   <root>/named/<datasetid>/<name>.json      {name, id, filename, mimetype}: `odsfile://<name>` of a dataset
 *                                             (attachments, alternative exports)
 *
 * Every write is durable before the call returns (durable-write.ts). Paths are only ever built from
 * validated ids and names, never from a raw user string.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DATASET_ID_PATTERN } from '../datasets/descriptor';
import { contentHash, isFileId, relativePathOf } from './content-address';
import { writeFileDurably } from './durable-write';
import { imageInfoOf, type ImageInfo } from './image-info';
import { renderThumbnail, thumbnailFormatOf } from './thumbnails';

export interface StoredFile {
  id: string;
  size: number;
  mimetype: string;
  filename: string;
  created_at: string;
  /** Image facts, or null for a file that is not an image (no thumbnail). */
  image: ImageInfo | null;
}

export interface NamedFile {
  name: string;
  id: string;
  filename: string;
  mimetype: string;
}

export interface ThumbnailFile {
  path: string;
  mimetype: string;
  bytes: number;
}

export interface FileInfo {
  filename: string;
  mimetype: string;
}

/** `odsfile://<name>`: a file name without path (letters, digits, `_`, `-`, `.`; at most 150). */
export const NAMED_FILE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,149}$/;

export interface FileStore {
  readonly root: string;
  /** Stores the bytes (idempotent: the same bytes are stored once) and returns their facts. */
  put(content: Buffer, info: FileInfo): Promise<StoredFile>;
  /** What `put` would return, without writing (dry runs, deletion by values). */
  describe(content: Buffer, info: FileInfo): Promise<StoredFile>;
  /** The facts of a stored file, or undefined when the store does not hold it. */
  stat(id: string): Promise<StoredFile | undefined>;
  /** Absolute path of the bytes of a stored file. */
  contentPath(id: string): string;
  /** The thumbnail of an image file, made once and cached; undefined when the file is not an image. */
  thumbnail(id: string, size: number): Promise<ThumbnailFile | undefined>;
  /** Stores the bytes and names them `odsfile://<name>` for a dataset (replacing an older file of that name). */
  putNamed(datasetId: string, name: string, content: Buffer, info: FileInfo): Promise<NamedFile>;
  /** The file a dataset calls `odsfile://<name>`, or undefined. */
  named(datasetId: string, name: string): Promise<NamedFile | undefined>;
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function checkNamed(datasetId: string, name: string): void {
  if (!DATASET_ID_PATTERN.test(datasetId)) throw new Error(`Invalid dataset id "${datasetId.slice(0, 100)}"`);
  if (!NAMED_FILE_PATTERN.test(name)) {
    throw new Error(`Invalid file name "${name.slice(0, 160)}": letters, digits, _, - and . (at most 150), no path`);
  }
}

export function directoryFileStore(root: string, clock: () => Date = () => new Date()): FileStore {
  const contentPath = (id: string): string => join(root, ...relativePathOf(id).split('/'));
  const metaPath = (id: string): string => `${contentPath(id)}.json`;
  const namedPath = (datasetId: string, name: string): string => join(root, 'named', datasetId, `${name}.json`);
  // (file, size) → the render in progress: concurrent first requests render once.
  const rendering = new Map<string, Promise<ThumbnailFile | undefined>>();

  const describe = async (content: Buffer, info: FileInfo): Promise<StoredFile> => ({
    id: contentHash(content),
    size: content.length,
    mimetype: info.mimetype,
    filename: info.filename,
    created_at: clock().toISOString(),
    image: (await imageInfoOf(content)) ?? null,
  });

  const storeStat = async (id: string): Promise<StoredFile | undefined> => {
    if (!isFileId(id)) return undefined;
    return readJson<StoredFile>(metaPath(id));
  };

  const put = async (content: Buffer, info: FileInfo): Promise<StoredFile> => {
    const facts = await describe(content, info);
    const existing = await storeStat(facts.id);
    const present = await stat(contentPath(facts.id)).then((s) => s.size === content.length, () => false);
    if (!present) await writeFileDurably(contentPath(facts.id), content);
    if (existing) return existing;
    await writeFileDurably(metaPath(facts.id), `${JSON.stringify(facts)}\n`);
    return facts;
  };

  const makeThumbnail = async (id: string, size: number): Promise<ThumbnailFile | undefined> => {
    const facts = await storeStat(id);
    if (!facts?.image) return undefined;
    const format = thumbnailFormatOf(facts.image.format);
    const path = join(root, 'thumbs', ...relativePathOf(id).split('/').slice(0, 2), `${id}-${size}.${format.ext}`);
    const cached = await stat(path).catch(() => undefined);
    if (cached) return { path, mimetype: format.mimetype, bytes: cached.size };
    const data = await renderThumbnail(contentPath(id), facts.image.format, size);
    await writeFileDurably(path, data);
    return { path, mimetype: format.mimetype, bytes: data.length };
  };

  return {
    root,
    put,
    describe,
    stat: storeStat,
    contentPath,
    async thumbnail(id, size) {
      if (!isFileId(id) || !Number.isSafeInteger(size) || size < 1) return undefined;
      const key = `${id}-${size}`;
      let p = rendering.get(key);
      if (!p) {
        p = makeThumbnail(id, size).finally(() => rendering.delete(key));
        rendering.set(key, p);
      }
      return p;
    },
    async putNamed(datasetId, name, content, info) {
      checkNamed(datasetId, name);
      const stored = await put(content, info);
      const named: NamedFile = { name, id: stored.id, filename: info.filename, mimetype: info.mimetype };
      await writeFileDurably(namedPath(datasetId, name), `${JSON.stringify(named)}\n`);
      return named;
    },
    async named(datasetId, name) {
      if (!DATASET_ID_PATTERN.test(datasetId) || !NAMED_FILE_PATTERN.test(name)) return undefined;
      return readJson<NamedFile>(namedPath(datasetId, name));
    },
  };
}
