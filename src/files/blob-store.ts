/**
 * Where the file store keeps its bytes: a few operations on whole blobs under string keys
 * (`ab/cd/<sha256>`, `named/<dataset>/<name>.json`...), so that the content-addressed store of
 * file-store.ts runs unchanged on a local directory (the embedded default) or on an S3-compatible
 * bucket (s3-blob-store.ts), which every gateway replica on every host shares.
 *
 * Keys are built by file-store.ts from validated ids and names only: never from a raw user string.
 */
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { writeFileDurably } from './durable-write';

export interface BlobStore {
  /** Where the blobs are, for messages: a directory, or s3://bucket/prefix. */
  readonly location: string;
  /** Where one blob is (diagnostics: `files info`). */
  locationOf(key: string): string;
  /** The size of a blob, or undefined when there is none. */
  size(key: string): Promise<number | undefined>;
  /** The whole blob (small ones: metadata), or undefined when there is none. */
  get(key: string): Promise<Buffer | undefined>;
  /** A stream of a blob's bytes, or undefined when there is none. */
  open(key: string): Promise<Readable | undefined>;
  /** Writes a blob whole: readers see all of it or the previous state, never a part. Durable when it resolves. */
  put(key: string, data: Buffer | string, contentType: string): Promise<void>;
}

const isMissing = (e: unknown): boolean => (e as NodeJS.ErrnoException).code === 'ENOENT';

/** Blobs as files under a directory (FILE_STORE_DIR): temporary file, fsync, rename (durable-write.ts). */
export function directoryBlobStore(root: string): BlobStore {
  const pathOf = (key: string): string => join(root, ...key.split('/'));
  return {
    location: root,
    locationOf: pathOf,
    async size(key) {
      try {
        return (await stat(pathOf(key))).size;
      } catch (e) {
        if (isMissing(e)) return undefined;
        throw e;
      }
    },
    async get(key) {
      try {
        return await readFile(pathOf(key));
      } catch (e) {
        if (isMissing(e)) return undefined;
        throw e;
      }
    },
    async open(key) {
      // Opened before it is streamed, so that a missing file is "none", not an error mid-response.
      let handle;
      try {
        handle = await open(pathOf(key), 'r');
      } catch (e) {
        if (isMissing(e)) return undefined;
        throw e;
      }
      return handle.createReadStream();
    },
    async put(key, data) {
      await writeFileDurably(pathOf(key), data);
    },
  };
}
