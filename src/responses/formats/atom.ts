/**
 * Atom 1.0 (RFC 4287): a feed with id, title, updated (required), author, an alternate link and a
 * self link, then one <entry> per item with id, title, updated (required: the feed date when the
 * item has none), link and a text content. head()/entry()/tail() allow streaming.
 */
import { element, escapeXml } from './xml';
import type { FeedInfo, FeedItem } from './feed-items';
import { latest } from './rss';

export const atomWriter = {
  head(info: FeedInfo, updated: string): string {
    return [
      '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">',
      element('id', info.id),
      element('title', info.title),
      element('subtitle', info.description),
      element('updated', updated),
      `<author>${element('name', info.author)}</author>`,
      `<link rel="alternate" href="${escapeXml(info.link)}"/>`,
      `<link rel="self" href="${escapeXml(info.id)}"/>`,
    ].join('');
  },
  entry(item: FeedItem, feedUpdated: string): string {
    return [
      '<entry>',
      element('id', item.id),
      element('title', item.title),
      element('updated', item.updated ?? feedUpdated),
      `<link href="${escapeXml(item.link)}"/>`,
      `<content type="text">${escapeXml(item.description)}</content>`,
      '</entry>',
    ].join('');
  },
  tail: (): string => '</feed>\n',
};

/** `now` dates a feed whose items carry no date (Atom requires one). */
export function atomFeed(info: FeedInfo, items: FeedItem[], now: Date): string {
  const updated = latest(items) ?? now.toISOString();
  return atomWriter.head(info, updated) + items.map((i) => atomWriter.entry(i, updated)).join('') + atomWriter.tail();
}
