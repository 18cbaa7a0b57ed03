/**
 * The v1 file object a record holds in a `file` field (docs/v1-api.md, Record search: `{id, filename, mimetype,
 * format, width, height, thumbnail}`, as captured from ODS responses). `id` is the content hash, the
 * `<file_id>` of `/api/datasets/1.0/<dataset>/files/<file_id>/`.
 *
 * `format` follows ODS (a Python/PIL platform): the upper-case format name ("JPEG", "PNG"). Files
 * that are not images carry no format, width or height, and `thumbnail: false`.
 */
import type { ImageInfo } from './image-info';

export interface V1FileObject {
  id: string;
  filename: string;
  mimetype: string;
  format?: string;
  width?: number;
  height?: number;
  thumbnail: boolean;
}

export interface FileFacts {
  id: string;
  filename: string;
  mimetype: string;
  image?: ImageInfo | null | undefined;
}

export function buildFileObject(f: FileFacts): V1FileObject {
  if (!f.image) return { id: f.id, filename: f.filename, mimetype: f.mimetype, thumbnail: false };
  return {
    id: f.id,
    filename: f.filename,
    mimetype: f.mimetype,
    format: f.image.format.toUpperCase(),
    width: f.image.width,
    height: f.image.height,
    thumbnail: true,
  };
}

/** Reads back a stored file object (a record's field value); undefined when it is not one. */
export function asFileObject(v: unknown): V1FileObject | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.id !== 'string') return undefined;
  return {
    id: o.id,
    filename: typeof o.filename === 'string' ? o.filename : o.id,
    mimetype: typeof o.mimetype === 'string' ? o.mimetype : 'application/octet-stream',
    thumbnail: o.thumbnail === true,
    ...(typeof o.format === 'string' ? { format: o.format } : {}),
    ...(typeof o.width === 'number' ? { width: o.width } : {}),
    ...(typeof o.height === 'number' ? { height: o.height } : {}),
  };
}
