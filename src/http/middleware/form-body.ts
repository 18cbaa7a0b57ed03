/**
 * Form bodies (`application/x-www-form-urlencoded`), parsed in time linear in their size.
 *
 * body-parser's urlencoded parser (qs) joins the values of a repeated key by copying the array each
 * time (`[].concat(a, b)`): 9 000 values of one key in a 350 KB POST held the event loop for ~0.7 s.
 * v1 clients repeat keys on purpose (`q`, `refine.<f>`, `geofilter.*`, `facet`), so the body is read
 * as text (same size limit, same charsets) and split with URLSearchParams: a repeated key becomes
 * an array by appending. The result is a prototype-less object: `__proto__` is just a key.
 *
 * Errors keep body-parser's `type`s (src/http/middleware/handle-errors.ts turns them into 400/413).
 */
import express, { type RequestHandler } from 'express';

export interface FormBodyOptions {
  /** Largest body, in bytes (MAX_REQUEST_BODY_BYTES). */
  limit: number;
  /** Most parameters in one body. */
  parameterLimit: number;
}

export type FormBody = Record<string, string | string[]>;

/** `a=1&b=2&a=3` → { a: ['1', '3'], b: '2' } (null prototype); undefined past `parameterLimit`. */
export function parseForm(text: string, parameterLimit: number): FormBody | undefined {
  let pairs = 1;
  for (let i = text.indexOf('&'); i >= 0; i = text.indexOf('&', i + 1)) {
    if (++pairs > parameterLimit) return undefined;
  }
  const out = Object.create(null) as FormBody;
  for (const [k, v] of new URLSearchParams(text)) {
    const prev = out[k];
    if (prev === undefined) out[k] = v;
    else if (typeof prev === 'string') out[k] = [prev, v];
    else prev.push(v);
  }
  return out;
}

export function formBody(options: FormBodyOptions): RequestHandler {
  const text = express.text({ type: 'application/x-www-form-urlencoded', limit: options.limit, defaultCharset: 'utf-8' });
  return (req, res, next) => {
    text(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (typeof req.body !== 'string') return next();
      const parsed = parseForm(req.body, options.parameterLimit);
      if (parsed === undefined) {
        return next(Object.assign(new Error('too many parameters'), { status: 413, type: 'parameters.too.many' }));
      }
      req.body = parsed;
      next();
    });
  };
}

/**
 * Whether a request carries a body (RFC 9112 §6.3: a Content-Length or a Transfer-Encoding), as
 * body-parser decides it (type-is `hasBody`), read without it.
 */
export function hasBody(headers: { 'content-length'?: string | undefined; 'transfer-encoding'?: string | undefined }): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '' && !Number.isNaN(Number(length)));
}

/**
 * Form bodies (above) and JSON bodies (express.json, strict), both up to `limit`. A request without a
 * body (nearly every GET) passes on at once: the two parsers would find nothing to read, after
 * checking headers, content types and finish state of their own.
 */
export function bodyParsers(options: FormBodyOptions): RequestHandler {
  const form = formBody(options);
  const json = express.json({ limit: options.limit, strict: true });
  return (req, res, next) => {
    if (!hasBody(req.headers)) return next();
    form(req, res, (err?: unknown) => (err ? next(err) : json(req, res, next)));
  };
}
