/**
 * Request metrics (ops/prometheus/METRICS.md). Mounted first, so the duration covers the whole
 * pipeline. The `endpoint` label is the route template that matched (`/api/datasets/1.0/:datasetid`),
 * never the raw URL, so its values stay few — also for a call refused before routing (quota 429/503):
 * the template it would have reached; `unmatched` when no route would. Probes and scrapes
 * (`/metrics`, `/healthz`, `/readyz`) are not counted.
 */
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { GatewayMetrics } from '../../metrics/metrics';
import { openSearchErrorKind } from '../../metrics/opensearch-error-kind';

const UNCOUNTED = new Set(['/metrics', '/healthz', '/readyz']);
const METHODS = new Set(['GET', 'POST', 'HEAD', 'OPTIONS']);

/** The path as normalize-path will see it: no query, no double or trailing slash. */
function normalizedPath(url: string): string {
  const q = url.indexOf('?');
  const raw = q >= 0 ? url.slice(0, q) : url;
  const p = raw.includes('//') ? raw.replace(/\/{2,}/g, '/') : raw;
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

interface LayerLike {
  route?: { path?: unknown; methods?: Record<string, boolean> };
  handle?: { stack?: unknown };
  match?(path: string): false | { path: string };
}

/**
 * The route template a request would have reached. Used for answers given before routing (a quota
 * 429 or 503): they belong to the endpoint that was called, not to `unmatched`. It walks the app's
 * routers in order with their own (side-effect free) matchers; anything unexpected gives undefined.
 */
function templateFor(stack: unknown, method: string, path: string, base: string, depth = 0): string | undefined {
  if (!Array.isArray(stack) || depth > 4) return undefined;
  for (const layer of stack as LayerLike[]) {
    const m = typeof layer.match === 'function' ? layer.match(path) : false;
    if (!m) continue;
    if (layer.route) {
      const methods = layer.route.methods ?? {};
      if (methods[method] || methods._all || (method === 'head' && methods.get)) return `${base}${String(layer.route.path)}`;
      continue;
    }
    if (Array.isArray(layer.handle?.stack)) {
      const rest = path.slice(m.path.length);
      const found = templateFor(layer.handle.stack, method, rest.startsWith('/') ? rest : `/${rest}`, `${base}${m.path}`, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

export function endpointOf(req: Request, app?: unknown): string {
  const route = (req as { route?: { path?: unknown } }).route;
  if (route && route.path !== undefined) {
    return `${req.baseUrl ?? ''}${typeof route.path === 'string' ? route.path : String(route.path)}`;
  }
  const stack = (app as { router?: { stack?: unknown } } | undefined)?.router?.stack;
  const method = req.method.toLowerCase();
  const path = normalizedPath(req.originalUrl ?? req.url);
  // The routes do not change once the app is built: each method and path is looked up once (a cached
  // answer, given before routing, would otherwise walk every router's patterns again).
  const byPath = stack && typeof stack === 'object' ? (templates.get(stack) ?? templates.set(stack, new Map()).get(stack)!) : undefined;
  const key = `${method} ${path}`;
  const known = byPath?.get(key);
  if (known !== undefined) return known;
  let found: string;
  try {
    found = templateFor(stack, method, path, '') ?? 'unmatched';
  } catch {
    found = 'unmatched';
  }
  if (byPath) {
    if (byPath.size >= MAX_REMEMBERED_PATHS) byPath.clear();
    byPath.set(key, found);
  }
  return found;
}

/** Route templates by app (its router stack), then by `method path`; bounded, paths being the caller's choice. */
const templates = new WeakMap<object, Map<string, string>>();
const MAX_REMEMBERED_PATHS = 2000;

export function httpMetrics(metrics: GatewayMetrics): RequestHandler {
  return (req, res, next) => {
    if (UNCOUNTED.has(normalizedPath(req.originalUrl ?? req.url))) {
      next();
      return;
    }
    const started = process.hrtime.bigint();
    const app = req.app; // this app (a parent app may take req.app back by the time the response ends)
    let recorded = false;
    const record = (status: string) => {
      if (recorded) return;
      recorded = true;
      const endpoint = endpointOf(req, app);
      metrics.httpRequests.inc({ endpoint, method: METHODS.has(req.method) ? req.method : 'OTHER', status });
      metrics.httpDuration.observe({ endpoint }, Number(process.hrtime.bigint() - started) / 1e9);
    };
    res.once('finish', () => record(String(res.statusCode)));
    // Closed before the response was finished: the client went away.
    res.once('close', () => record(res.writableFinished ? String(res.statusCode) : '499'));
    next();
  };
}

/** Counts failed OpenSearch calls by kind on their way to the single error handler (mounted just before it). */
export function recordOpenSearchErrors(metrics: GatewayMetrics): ErrorRequestHandler {
  return (err, _req, _res, next) => {
    const kind = openSearchErrorKind(err);
    if (kind) metrics.countOpenSearchError(kind);
    next(err);
  };
}
