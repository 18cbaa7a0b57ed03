/**
 * RSS 2.0 (https://www.rssboard.org/rss-specification): a channel with title, link, description,
 * then one <item> per entry with title, link, guid (the link, a permalink), pubDate (RFC 822, UTC)
 * and description. head()/item()/tail() let a streamed writer emit it piece by piece.
 */
import { element, escapeXml } from './xml';
import type { FeedInfo, FeedItem } from './feed-items';

const rfc822 = (iso: string): string => new Date(iso).toUTCString();

export const rssWriter = {
  head(info: FeedInfo, updated: string | undefined): string {
    return [
      '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>',
      element('title', info.title),
      element('link', info.link),
      element('description', info.description),
      updated ? element('lastBuildDate', rfc822(updated)) : '',
    ].join('');
  },
  item(item: FeedItem): string {
    return [
      '<item>',
      element('title', item.title),
      element('link', item.link),
      `<guid isPermaLink="true">${escapeXml(item.id)}</guid>`,
      item.updated ? element('pubDate', rfc822(item.updated)) : '',
      element('description', item.description),
      '</item>',
    ].join('');
  },
  tail: (): string => '</channel></rss>\n',
};

/** The latest date of the items (the feed's own date). */
export function latest(items: FeedItem[]): string | undefined {
  return items.map((i) => i.updated).filter((u): u is string => u !== undefined).sort().pop();
}

export function rssFeed(info: FeedInfo, items: FeedItem[]): string {
  return rssWriter.head(info, latest(items)) + items.map(rssWriter.item).join('') + rssWriter.tail();
}
