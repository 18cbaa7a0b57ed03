/**
 * `req.query` parsed once per request. Express 5 defines `req.query` as a getter that parses the
 * query string again on every read; the authentication middleware alone reads it several times per
 * request (src/auth/credentials.ts), a long v1 query string each time. The app's request prototype
 * (Express gives each app its own) gets a getter that keeps the parsed value with the URL it was parsed
 * from, so a changed `req.url` is parsed again. The value is the one Express's getter returns.
 */
import type { Express } from 'express';

const MEMO = Symbol('parsedQuery');
type Memo = { url: string; value: unknown };

export function memoizeQuery(app: Express): void {
  let proto: object | null = app.request as object;
  let original: PropertyDescriptor | undefined;
  while (proto && !(original = Object.getOwnPropertyDescriptor(proto, 'query'))) proto = Object.getPrototypeOf(proto) as object | null;
  const read = original?.get;
  if (!read) return;
  Object.defineProperty(app.request, 'query', {
    configurable: true,
    enumerable: true,
    get(this: { url: string; [MEMO]?: Memo }) {
      const memo = this[MEMO];
      if (memo !== undefined && memo.url === this.url) return memo.value;
      const value: unknown = read.call(this);
      this[MEMO] = { url: this.url, value };
      return value;
    },
  });
}
