/**
 * The file store, content-addressed, over a BlobStore (blob-store.ts): a local directory
 * (FILE_STORE_DIR, the embedded default) or an S3-compatible bucket (FILE_STORE_S3_*) that every
 * gateway replica shares. Used by pushed file fields, `--files-dir` loads, attachments and alternative
 * exports. Keys (file paths under the directory, object keys under the bucket's prefix):
 *
 *   ab/cd/<sha256>                     the bytes, written once
 *   ab/cd/<sha256>.json                {id, size, mimetype, filename, created_at, image} (the first name it came with)
 *   thumbs/ab/cd/<sha256>-<size>.<ext> thumbnails, made on first request and kept
 *   named/<datasetid>/<name>.json      {name, id, filename, mimetype}: `odsfile://<name>` of a dataset
 *                                      (attachments, alternative exports)
 *
 * Every write is whole and durable before the call returns. Keys are only ever built from validated
 * ids and names, never from a raw user string.
 */
import type { Readable } from 'node:stream';
import { DATASET_ID_PATTERN } from '../datasets/descriptor';
import { directoryBlobStore, type BlobStore } from './blob-store';
import { contentHash, isFileId, relativePathOf } from './content-address';
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
  mimetype: string;
  bytes: number;
  /** The thumbnail's bytes (undefined if it vanished since). */
  open(): Promise<Readable | undefined>;
}

export interface FileInfo {
  filename: string;
  mimetype: string;
}

/** `odsfile://<name>`: a file name without path (letters, digits, `_`, `-`, `.`; at most 150). */
export const NAMED_FILE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,149}$/;

export interface FileStore {
  /** Where the files are, for messages: a directory, or s3://bucket/prefix. */
  readonly location: string;
  /** Stores the bytes (idempotent: the same bytes are stored once) and returns their facts. */
  put(content: Buffer, info: FileInfo): Promise<StoredFile>;
  /** What `put` would return, without writing (dry runs, deletion by values). */
  describe(content: Buffer, info: FileInfo): Promise<StoredFile>;
  /** The facts of a stored file, or undefined when the store does not hold it. */
  stat(id: string): Promise<StoredFile | undefined>;
  /** The bytes of a stored file, or undefined when the store does not hold them. */
  open(id: string): Promise<Readable | undefined>;
  /** Where the bytes of a stored file are (a path or an s3:// URL; diagnostics). */
  locationOf(id: string): string;
  /** The thumbnail of an image file, made once and cached; undefined when the file is not an image or its pixels do not decode. */
  thumbnail(id: string, size: number): Promise<ThumbnailFile | undefined>;
  /** Stores the bytes and names them `odsfile://<name>` for a dataset (replacing an older file of that name). */
  putNamed(datasetId: string, name: string, content: Buffer, info: FileInfo): Promise<NamedFile>;
  /** The file a dataset calls `odsfile://<name>`, or undefined. */
  named(datasetId: string, name: string): Promise<NamedFile | undefined>;
}

async function readJson<T>(blobs: BlobStore, key: string): Promise<T | undefined> {
  const data = await blobs.get(key);
  return data === undefined ? undefined : (JSON.parse(data.toString('utf8')) as T);
}

function checkNamed(datasetId: string, name: string): void {
  if (!DATASET_ID_PATTERN.test(datasetId)) throw new Error(`Invalid dataset id "${datasetId.slice(0, 100)}"`);
  if (!NAMED_FILE_PATTERN.test(name)) {
    throw new Error(`Invalid file name "${name.slice(0, 160)}": letters, digits, _, - and . (at most 150), no path`);
  }
}

/** The store on a local directory (FILE_STORE_DIR). */
export function directoryFileStore(root: string, clock: () => Date = () => new Date()): FileStore {
  return fileStore(directoryBlobStore(root), clock);
}

export function fileStore(blobs: BlobStore, clock: () => Date = () => new Date()): FileStore {
  const contentKey = (id: string): string => relativePathOf(id);
  const metaKey = (id: string): string => `${contentKey(id)}.json`;
  const namedKey = (datasetId: string, name: string): string => `named/${datasetId}/${name}.json`;
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
    return readJson<StoredFile>(blobs, metaKey(id));
  };

  const put = async (content: Buffer, info: FileInfo): Promise<StoredFile> => {
    const facts = await describe(content, info);
    const existing = await storeStat(facts.id);
    const present = (await blobs.size(contentKey(facts.id))) === content.length;
    if (!present) await blobs.put(contentKey(facts.id), content, 'application/octet-stream');
    if (existing) return existing;
    await blobs.put(metaKey(facts.id), `${JSON.stringify(facts)}\n`, 'application/json');
    return facts;
  };

  const makeThumbnail = async (id: string, size: number): Promise<ThumbnailFile | undefined> => {
    const facts = await storeStat(id);
    if (!facts?.image) return undefined;
    const format = thumbnailFormatOf(facts.image.format);
    const key = `thumbs/${contentKey(id).split('/').slice(0, 2).join('/')}/${id}-${size}.${format.ext}`;
    const thumb = (bytes: number): ThumbnailFile => ({ mimetype: format.mimetype, bytes, open: () => blobs.open(key) });
    const cached = await blobs.size(key);
    if (cached !== undefined) return thumb(cached);
    const original = await blobs.get(contentKey(id));
    if (!original) return undefined;
    let data: Buffer;
    try {
      data = await renderThumbnail(original, facts.image.format, size);
    } catch {
      // The header reads as an image but the pixels do not decode (a truncated or damaged upload):
      // for a thumbnail it is not an image. The original is still served as it is.
      return undefined;
    }
    await blobs.put(key, data, format.mimetype);
    return thumb(data.length);
  };

  return {
    location: blobs.location,
    put,
    describe,
    stat: storeStat,
    open: (id) => (isFileId(id) ? blobs.open(contentKey(id)) : Promise.resolve(undefined)),
    locationOf: (id) => blobs.locationOf(contentKey(id)),
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
      await blobs.put(namedKey(datasetId, name), `${JSON.stringify(named)}\n`, 'application/json');
      return named;
    },
    async named(datasetId, name) {
      if (!DATASET_ID_PATTERN.test(datasetId) || !NAMED_FILE_PATTERN.test(name)) return undefined;
      return readJson<NamedFile>(blobs, namedKey(datasetId, name));
    },
  };
}
