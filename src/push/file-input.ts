/**
 * A file field as a push sends it (docs/v1-api.md, Push):
 *   {"content": "<base64>", "content-type": "image/png"}        (since May 2017)
 *   {"content": "<base64>", "content_type": "image/png"}        (before: still accepted)
 * optionally with "filename". A `data:image/png;base64,...` URI is accepted as content and gives the
 * MIME type. A v1 file object (`{"id": ...}`) is refused: a pusher could otherwise publish, through
 * this dataset, a file of another dataset whose id it learnt.
 */
import { extensionOfMimetype, normalizeMimetype } from '../files/mime-types';

export interface FileInput {
  content: Buffer;
  mimetype: string;
  filename: string;
}

export type FileInputResult = { ok: true; file: FileInput } | { ok: false; error: string };

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const DATA_URI = /^data:([^;,]+)(?:;[^,]*)?;base64,/i;
const FILENAME_MAX = 255;

function decodeBase64(s: string): Buffer | undefined {
  const t = s.replace(/\s+/g, '');
  if (!BASE64.test(t) || t.length % 4 === 1) return undefined;
  return Buffer.from(t, 'base64');
}

export function parseFileInput(value: unknown, field: string): FileInputResult {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, error: 'expected a file object {"content": "<base64>", "content-type": "<mime type>"}' };
  }
  const o = value as Record<string, unknown>;
  if (o.content === undefined && typeof o.id === 'string') {
    return { ok: false, error: 'a file must be pushed with its content ({"content": "<base64>", "content-type": ...}), not by id' };
  }
  if (typeof o.content !== 'string') return { ok: false, error: 'expected "content": the file as a base64 string' };
  let content = o.content;
  let mimeRaw = o['content-type'] ?? o.content_type;
  const dataUri = DATA_URI.exec(content);
  if (dataUri) {
    mimeRaw ??= dataUri[1];
    content = content.slice(dataUri[0].length);
  }
  const bytes = decodeBase64(content);
  if (!bytes) return { ok: false, error: '"content" is not valid base64' };
  if (bytes.length === 0) return { ok: false, error: '"content" is empty' };
  if (typeof mimeRaw !== 'string') return { ok: false, error: 'expected "content-type" (a MIME type such as "image/png")' };
  const mimetype = normalizeMimetype(mimeRaw);
  if (!mimetype) return { ok: false, error: `"content-type" ${JSON.stringify(mimeRaw.slice(0, 80))} is not a MIME type` };
  let filename = `${field}.${extensionOfMimetype(mimetype)}`;
  if (o.filename !== undefined) {
    if (typeof o.filename !== 'string' || o.filename.trim() === '' || o.filename.length > FILENAME_MAX || /[\u0000-\u001f]/.test(o.filename)) {
      return { ok: false, error: `"filename" must be a non-empty name of at most ${FILENAME_MAX} characters` };
    }
    filename = o.filename.split(/[\\/]/).pop() as string;
  }
  return { ok: true, file: { content: bytes, mimetype, filename } };
}
