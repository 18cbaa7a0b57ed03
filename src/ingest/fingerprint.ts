/**
 * The fingerprint of a load: sha1 of the descriptor (canonical JSON), the source file's size and mtime,
 * the generated index body (so a mapping change forces a reload) and INGEST_LAYOUT_VERSION. The catalog doc keeps it, so a test setup can skip reloading a dataset that
 * is already there with the same content.
 */
import { stat } from 'node:fs/promises';
import type { DatasetDescriptor } from '../datasets/descriptor';
import { buildIndexBody } from '../datasets/mapping';
import { canonicalJson, sha1Hex } from './record-id';

/** Bump when the stored document layout, the catalog document or the mapping generator changes. */
export const INGEST_LAYOUT_VERSION = 2; // 2: catalog docs carry __visibility

export async function sourceFingerprint(descriptor: DatasetDescriptor, sourcePath: string): Promise<string> {
  const s = await stat(sourcePath);
  return sha1Hex(canonicalJson({ descriptor, body: buildIndexBody(descriptor), size: s.size, mtimeMs: Math.trunc(s.mtimeMs), layout: INGEST_LAYOUT_VERSION }));
}
