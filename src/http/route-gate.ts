/**
 * A router behind a gate that lets through only the requests one of its routes could match.
 *
 * Express walks every router mounted before the one that answers, and each router walks its own
 * routes through its dispatch machinery (the CPU profile of a 1-ms search showed this walk as a share
 * of the gateway's cost per request: docs/benchmarks.md). The gate first tests the request path against
 * the router's own patterns (the whole path for a route without parameters, else the literal
 * beginning up to the first parameter, wildcard or optional part), then, past that test, asks the
 * router's layers' own matchers, without the dispatch. The patterns are read from the router when the
 * first request arrives (the routers are complete by then), so nothing is listed by hand. A router
 * with a pattern the gate cannot read (a RegExp) or middleware for every path gets every request, as
 * without a gate.
 *
 * Express matches paths case-insensitively by default; so does the gate. The gated function keeps
 * the router's `stack`, which the request metrics read to name the endpoint of an answer given
 * before routing (src/http/middleware/metrics.ts).
 */
import type { Request, RequestHandler, Router } from 'express';

interface LayerLike {
  rawPath?: unknown;
  route?: unknown;
}

const SPECIAL = /[:*{(\\]/;

/** What a router's patterns can match: exact paths (routes without parameters) and path beginnings. */
export interface RouterPaths {
  exact: Set<string>;
  prefixes: string[];
}

/** The paths a router can match, or undefined when some pattern could match any path. */
export function routerPaths(router: Router): RouterPaths | undefined {
  const exact = new Set<string>();
  const prefixes = new Set<string>();
  for (const layer of (router as unknown as { stack: LayerLike[] }).stack) {
    const paths = Array.isArray(layer.rawPath) ? (layer.rawPath as unknown[]).flat(Infinity) : [layer.rawPath];
    for (const p of paths) {
      if (typeof p !== 'string') return undefined;
      const stop = p.search(SPECIAL);
      // A route (not middleware) whose pattern has no parameter matches that path only.
      if (layer.route && stop < 0) {
        exact.add(p.toLowerCase().replace(/(.)\/$/, '$1'));
        continue;
      }
      const prefix = (stop < 0 ? p : p.slice(0, stop)).toLowerCase();
      if (prefix === '' || prefix === '/') return undefined;
      prefixes.add(prefix);
    }
  }
  return { exact, prefixes: [...prefixes] };
}

const GATE_PATH = Symbol('gatePath');
type WithGatePath = Request & { [GATE_PATH]?: { url: string; path: string } };

/** The request path as the gates compare it (lower case, no trailing slash), worked out once per URL. */
function gatePath(req: WithGatePath): string {
  const memo = req[GATE_PATH];
  if (memo !== undefined && memo.url === req.url) return memo.path;
  let path = req.path.toLowerCase();
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  req[GATE_PATH] = { url: req.url, path };
  return path;
}

/**
 * Whether one of the router's own layers matches the path, by the layer's own matcher (what the router
 * would test, without its dispatch machinery). A matcher that throws (a malformed escape in a
 * parameter) counts as a match: the router then answers with its own error.
 */
function anyLayerMatches(stack: MatchingLayer[], path: string): boolean {
  for (const layer of stack) {
    try {
      if (layer.match(path)) return true;
    } catch {
      return true;
    }
  }
  return false;
}

interface MatchingLayer {
  match(path: string): unknown;
}

export function gated(router: Router): RequestHandler {
  let paths: RouterPaths | undefined | null = null;
  const stack = (router as unknown as { stack: MatchingLayer[] }).stack;
  const gate: RequestHandler = (req, res, next) => {
    if (paths === null) paths = routerPaths(router);
    if (paths !== undefined) {
      const path = gatePath(req);
      if (!paths.exact.has(path) && !paths.prefixes.some((p) => path.startsWith(p))) return next();
      // Past the cheap test (several routers share /api/datasets/1.0/), the layers' own matchers.
      if (!anyLayerMatches(stack, req.path)) return next();
    }
    return router(req, res, next);
  };
  return Object.assign(gate, { stack });
}
