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
 * (docs/benchmarks.md). `req.log` is a getter of the request prototype, not a property defined on
 * every request.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
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

const CONTEXT = Symbol('requestContext');
interface Context {
  logger: Logger;
  id: string;
  child: Logger | undefined;
}
type WithContext = IncomingMessage & { originalUrl?: string; [CONTEXT]?: Context };

/** The request's child logger, made on first use. */
function logOf(req: WithContext): Logger {
  const c = req[CONTEXT]!;
  return (c.child ??= c.logger.child({ req: { id: c.id, method: req.method, url: redactUrl(req.originalUrl ?? req.url ?? ''), ua: req.headers['user-agent'] } }));
}

/**
 * `req.log` is a getter of the app's request prototype (Express gives each app its own), defined once:
 * a property defined on every request object cost more than the logger it defers.
 */
const withLogGetter = new WeakSet<object>();
function defineLogGetter(proto: object): void {
  if (withLogGetter.has(proto)) return;
  withLogGetter.add(proto);
  Object.defineProperty(proto, 'log', {
    configurable: true,
    enumerable: false,
    get(this: WithContext) {
      return this[CONTEXT] ? logOf(this) : undefined;
    },
  });
}

export function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', id);
    req.id = id;
    const started = Date.now();
    defineLogGetter(Object.getPrototypeOf(req) as object);
    (req as WithContext)[CONTEXT] = { logger, id, child: undefined };
    let done = false;
    const onEnd = (): void => {
      if (done) return;
      done = true;
      res.off('finish', onEnd);
      res.off('close', onEnd);
      const level = levelOf(res.statusCode);
      if (!logger.isLevelEnabled(level)) return;
      logOf(req)[level]({ res: { statusCode: res.statusCode }, responseTime: Date.now() - started }, 'request completed');
    };
    res.on('finish', onEnd);
    res.on('close', onEnd);
    next();
  };
}
