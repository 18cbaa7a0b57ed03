/**
 * Request id and per-request logger. The id comes from a sane incoming `X-Request-Id` (so a proxy's
 * id carries through) or is generated; it is echoed in the response header and on every log line.
 * Logged URLs have secret query parameters masked (src/logger.ts).
 *
 * One line per request when it ends: `request completed` with `req` (id, method, URL, user agent),
 * `res` (status) and `responseTime` in ms, at info (2xx/3xx), warn (4xx) or error (5xx). Nothing is
 * built for a line the level does not log: the request's child logger (`req.log`, which the error
 * handler and the routes use) is made on first use. pino-http made it, with its bindings serialised,
 * on every request, which the profile of a 1-2 ms search showed as a measurable share of its CPU
 * (docs/benchmarks.md).
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../../logger';
import { redactUrl } from '../../logger';

declare module 'http' {
  interface IncomingMessage {
    /** The request id (X-Request-Id). */
    id: string;
    /** The request's logger (bound to `req`), made on first use. */
    log: Logger;
  }
}

const INCOMING_ID = /^[A-Za-z0-9._-]{8,128}$/;

type Level = 'info' | 'warn' | 'error';
const levelOf = (status: number): Level => (status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info');

export function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', id);
    req.id = id;
    const started = Date.now();
    let child: Logger | undefined;
    const log = (): Logger =>
      (child ??= logger.child({ req: { id, method: req.method, url: redactUrl(req.originalUrl ?? req.url), ua: req.headers['user-agent'] } }));
    Object.defineProperty(req, 'log', { configurable: true, enumerable: false, get: log });
    let done = false;
    const onEnd = (): void => {
      if (done) return;
      done = true;
      res.off('finish', onEnd);
      res.off('close', onEnd);
      const level = levelOf(res.statusCode);
      if (!logger.isLevelEnabled(level)) return;
      log()[level]({ res: { statusCode: res.statusCode }, responseTime: Date.now() - started }, 'request completed');
    };
    res.on('finish', onEnd);
    res.on('close', onEnd);
    next();
  };
}
