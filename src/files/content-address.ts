/**
 * Content addressing of the file store: a file's id is the sha256 (hex) of its bytes, and it lives at
 * `ab/cd/<hash>` under the store root (two levels of 256 directories keep any one directory small).
 * The same bytes pushed twice, by two datasets or under two names, are stored once.
 */
import { createHash } from 'node:crypto';

/** A file id as the v1 file object and the multimedia URLs carry it. */
export const FILE_ID_PATTERN = /^[0-9a-f]{64}$/;

export function isFileId(s: string): boolean {
  return FILE_ID_PATTERN.test(s);
}

/** sha256 hex of the bytes: the file id. */
export function contentHash(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * `ab/cd/<hash>` (POSIX separators; the store joins it to its root). Throws on anything that is not a
 * file id, so that a user string can never become a path.
 */
export function relativePathOf(hash: string): string {
  if (!isFileId(hash)) throw new Error(`Not a file id: "${hash.slice(0, 80)}"`);
  return `${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}`;
}
