/**
 * Thumbnails: an image scaled down so that its longer side is at most `size` pixels (never enlarged:
 * a small image comes back at its own size), EXIF orientation applied. The output format follows the
 * source so that transparency and quality survive: JPEG → JPEG, WebP → WebP, everything else → PNG.
 * The file store caches each (file, size) once (file-store.ts).
 */
import { sharp } from './sharp';

/** Allowed `<size>` of `/files/<id>/<size>/` (clients use 300; v1 documents no range). */
export const MIN_THUMBNAIL_SIZE = 1;

export interface ThumbnailFormat {
  mimetype: string;
  ext: string;
}

export function thumbnailFormatOf(sourceFormat: string): ThumbnailFormat {
  if (sourceFormat === 'jpeg') return { mimetype: 'image/jpeg', ext: 'jpg' };
  if (sourceFormat === 'webp') return { mimetype: 'image/webp', ext: 'webp' };
  return { mimetype: 'image/png', ext: 'png' };
}

/** Renders the thumbnail of an image file (path or bytes) whose sharp format is `sourceFormat`. */
export async function renderThumbnail(input: string | Buffer, sourceFormat: string, size: number): Promise<Buffer> {
  const image = sharp()(input, { animated: false })
    .autoOrient()
    .resize({ width: size, height: size, fit: 'inside', withoutEnlargement: true });
  const out = thumbnailFormatOf(sourceFormat);
  if (out.ext === 'jpg') return image.jpeg({ quality: 85, mozjpeg: true }).toBuffer();
  if (out.ext === 'webp') return image.webp({ quality: 85 }).toBuffer();
  return image.png({ compressionLevel: 9 }).toBuffer();
}
