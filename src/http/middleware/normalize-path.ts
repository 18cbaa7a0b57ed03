/**
 * Path tolerance (docs/v1-api.md, What real clients send): double slashes (`/api//records/1.0/search`) are collapsed
 * and a trailing slash is dropped, in place, before routing — never a redirect, which would cost a
 * round trip and break JSONP and CORS.
 */
import type { RequestHandler } from 'express';

export const normalizePath: RequestHandler = (req, _res, next) => {
  const q = req.url.indexOf('?');
  const path = q >= 0 ? req.url.slice(0, q) : req.url;
  const rest = q >= 0 ? req.url.slice(q) : '';
  let p = path.includes('//') ? path.replace(/\/{2,}/g, '/') : path;
  if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  if (p !== path) req.url = p + rest;
  next();
};
