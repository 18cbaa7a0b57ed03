/**
 * What the v1 file object says about an image (format, width, height), read with sharp from the
 * header only (no decoding of the pixels). Anything sharp cannot read as a raster or SVG image is "not
 * an image": no dimensions, and no thumbnail.
 */
import { sharp } from './sharp';

export interface ImageInfo {
  /** sharp's name of the format: jpeg, png, webp, gif, tiff, svg, heif. */
  format: string;
  /** As displayed: EXIF orientation applied (a portrait photo stored sideways is reported portrait). */
  width: number;
  height: number;
}

/** The formats we make thumbnails of (sharp reports AVIF as heif). */
export const THUMBNAIL_SOURCE_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'svg', 'heif']);

/**
 * Image facts, or undefined for a file that is not an image we can thumbnail. sharp's default pixel
 * limit (about 268 Mpx) refuses decompression bombs.
 */
export async function imageInfoOf(content: Buffer): Promise<ImageInfo | undefined> {
  try {
    const m = await sharp()(content, { animated: false }).metadata();
    if (!m.format || !THUMBNAIL_SOURCE_FORMATS.has(m.format)) return undefined;
    const width = m.autoOrient?.width ?? m.width;
    const height = m.autoOrient?.height ?? m.height;
    if (!width || !height) return undefined;
    return { format: m.format, width, height };
  } catch {
    return undefined;
  }
}
