/**
 * File name extension ↔ MIME type, for the files the ingest CLI attaches (`--attach`, `--files-dir`):
 * a push names its MIME type itself. A short table of what open-data portals publish; anything else
 * is application/octet-stream.
 */
import { extname } from 'node:path';

const BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  heic: 'image/heic',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  svg: 'image/svg+xml',
  bmp: 'image/bmp',
  pdf: 'application/pdf',
  csv: 'text/csv',
  txt: 'text/plain',
  md: 'text/markdown',
  json: 'application/json',
  geojson: 'application/geo+json',
  xml: 'application/xml',
  kml: 'application/vnd.google-earth.kml+xml',
  kmz: 'application/vnd.google-earth.kmz',
  gpx: 'application/gpx+xml',
  zip: 'application/zip',
  gz: 'application/gzip',
  parquet: 'application/vnd.apache.parquet',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
};

export const DEFAULT_MIMETYPE = 'application/octet-stream';

/** A `type/subtype` MIME type (parameters such as `; charset=` are not kept by the store). */
export const MIMETYPE_PATTERN = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

export function mimetypeOfName(name: string): string {
  return BY_EXTENSION[extname(name).slice(1).toLowerCase()] ?? DEFAULT_MIMETYPE;
}

/** A file name extension for a MIME type (default file names of pushed files), or `bin`. */
export function extensionOfMimetype(mimetype: string): string {
  if (mimetype === 'image/jpeg') return 'jpg';
  if (mimetype === 'image/tiff') return 'tif';
  for (const [ext, m] of Object.entries(BY_EXTENSION)) if (m === mimetype) return ext;
  return 'bin';
}

/** `"Image/PNG; charset=x"` → `image/png`, or undefined when it is not a MIME type. */
export function normalizeMimetype(raw: string): string | undefined {
  const m = raw.split(';')[0]!.trim().toLowerCase();
  return MIMETYPE_PATTERN.test(m) ? m : undefined;
}
