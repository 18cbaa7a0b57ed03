/**
 * ETags of stored files (the content hash, so the same bytes have the same tag everywhere) and the
 * If-None-Match test of RFC 9110 §13.1.2: weak comparison, a list of tags, or `*`.
 */

export const fileEtag = (id: string, thumbnailSize?: number): string => (thumbnailSize === undefined ? `"${id}"` : `"${id}-${thumbnailSize}"`);

/** True when If-None-Match names this ETag (or `*`): the answer is then 304 without a body. */
export function noneMatchHit(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const header = ifNoneMatch.trim();
  if (header === '*') return true;
  const opaque = (t: string): string => t.trim().replace(/^W\//, '');
  const mine = opaque(etag);
  return header.split(',').some((t) => opaque(t) === mine);
}
